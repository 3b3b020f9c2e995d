import sharp from 'sharp';
import { resampleBilinear } from '../composite/resample';
import { writeFits } from '../fits/fits-writer';
import type { SkyImage } from '../wcs/output-grid';
import { scaleWcs, wcsCards } from '../wcs/wcs-cards';
import { EncodedImage, OutputFormat } from '../types';

/** How a display-ready image is written. */
export interface EncodeOptions {
  format?: OutputFormat;
  /** JPEG quality 1..100 (90). */
  quality?: number;
  /** PNG sample depth (8). */
  bitDepth?: 8 | 16;
  /** Output size; with both, the image fits inside width × height keeping its aspect ratio. */
  width?: number;
  height?: number;
  /** The full-size grid's celestial WCS: FITS output carries it, scaled to the output size. */
  sky?: SkyImage;
}

/** Planes (1 = grey, 3 = RGB) of equal size with display values in [0, 1], FITS orientation. */
export interface DisplayPlanes {
  width: number;
  height: number;
  planes: Float32Array[];
}

const CONTENT_TYPES = { png: 'image/png', jpeg: 'image/jpeg', fits: 'application/fits' } as const;

/** Output size that fits inside the requested box, keeping the aspect ratio. */
export function fitInside(
  width: number,
  height: number,
  maxW?: number,
  maxH?: number,
): [number, number] {
  if (!maxW && !maxH) return [width, height];
  const scale = Math.min(maxW ? maxW / width : Infinity, maxH ? maxH / height : Infinity);
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

/**
 * Encodes display planes. PNG/JPEG are flipped vertically (FITS row 1 at the bottom, as ds9 and
 * astropy `origin='lower'` show it). FITS gets a float32 image or NAXIS3 cube, unflipped.
 */
export async function encodeDisplay(
  image: DisplayPlanes,
  options: EncodeOptions = {},
): Promise<EncodedImage> {
  const format = options.format ?? 'png';
  const [width, height] = fitInside(image.width, image.height, options.width, options.height);
  if (format === 'fits') return encodeFitsPlanes(image, width, height, options.sky);
  const raw = interleaveFlipped(image, rasterSixteen(options));
  const channels = image.planes.length === 3 ? 3 : 1;
  return encodeRaster({ width: image.width, height: image.height, channels, raw }, options);
}

/** Whether a PNG/JPEG output takes 16-bit samples (else 8-bit). */
export function rasterSixteen(options: EncodeOptions): boolean {
  return (options.format ?? 'png') === 'png' && options.bitDepth === 16;
}

/** Interleaved display samples, top row first: 8-bit, or 16-bit when {@link rasterSixteen}. */
export interface RasterSamples {
  width: number;
  height: number;
  channels: 1 | 3;
  raw: Uint8Array | Uint16Array;
}

/** Encodes interleaved samples as PNG/JPEG (`options.format` must not be `fits`). */
export async function encodeRaster(
  image: RasterSamples,
  options: EncodeOptions = {},
): Promise<EncodedImage> {
  const format = options.format ?? 'png';
  if (format === 'fits') throw new RangeError('encodeRaster writes PNG or JPEG only');
  const [width, height] = fitInside(image.width, image.height, options.width, options.height);
  const sixteen = rasterSixteen(options);
  const { raw, channels } = image;
  let pipeline = sharp(raw, { raw: { width: image.width, height: image.height, channels } });
  if (sixteen) pipeline = pipeline.toColourspace(channels === 3 ? 'rgb16' : 'grey16');
  if (width !== image.width || height !== image.height)
    pipeline = pipeline.resize(width, height, { fit: 'fill' });
  pipeline =
    format === 'png'
      ? pipeline.png({ compressionLevel: 3, adaptiveFiltering: false })
      : pipeline.jpeg({ quality: options.quality ?? 90, mozjpeg: false });
  const buffer = await pipeline.toBuffer();
  return { buffer, contentType: CONTENT_TYPES[format], extension: format, width, height };
}

/** Interleaves planes into 8- or 16-bit samples, top row first, clamping to [0, 1]; NaN → 0. */
export function interleaveFlipped(
  image: DisplayPlanes,
  sixteen: boolean,
): Uint8Array | Uint16Array {
  const { width, height, planes } = image;
  const n = planes.length;
  const max = sixteen ? 65535 : 255;
  const out = sixteen ? new Uint16Array(width * height * n) : new Uint8Array(width * height * n);
  for (let c = 0; c < n; c += 1) {
    const src = planes[c];
    for (let y = 0; y < height; y += 1) {
      const from = (height - 1 - y) * width;
      let to = y * width * n + c;
      for (let x = 0; x < width; x += 1, to += n) {
        const v = src[from + x];
        out[to] = v > 0 ? (v < 1 ? v * max + 0.5 : max) : 0; // typed array store truncates
      }
    }
  }
  return out;
}

function encodeFitsPlanes(
  image: DisplayPlanes,
  width: number,
  height: number,
  sky?: SkyImage,
): EncodedImage {
  const planes = image.planes.map(
    (data) =>
      resampleBilinear({ width: image.width, height: image.height, data }, width, height).data,
  );
  const data = planes.length === 1 ? planes[0] : concat(planes);
  const wcs = sky ? wcsCards(scaleWcs(sky.wcs, [sky.width, sky.height], [width, height])) : [];
  const cards = [...FITS_CARDS, ...wcs];
  const buffer = writeFits({ width, height, depth: planes.length, data }, { cards });
  return { buffer, contentType: CONTENT_TYPES.fits, extension: 'fits', width, height };
}

const FITS_CARDS = [{ keyword: 'CREATOR', value: 'darkroom', comment: 'Darkroom imaging library' }];

function concat(planes: Float32Array[]): Float32Array {
  const out = new Float32Array(planes.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of planes) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
