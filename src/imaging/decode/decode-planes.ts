import sharp from 'sharp';
import { ImageDecodeError } from '../errors';
import { resampleBilinear } from '../composite/resample';
import { gunzipFits } from '../fits/fits-gzip';
import { isGzip } from '../fits/fits-header';
import { readFits } from '../fits/fits-reader';
import { Plane } from '../types';
import { detectFormat } from './detect-format';
import { DecodeLimits, probeImage } from './probe';

/** Decode limits, and optionally the size the planes are wanted at. */
export interface DecodeOptions extends DecodeLimits {
  /**
   * Resample to this size while decoding (a memory-budget downscale): rasters are resized by
   * sharp as they are decoded, FITS planes are resampled bilinearly after the decode.
   */
  resizeTo?: { width: number; height: number };
}

/** Rec. 709 luma weights, applied to stored (not linearised) values. */
const LUMA = [0.2126, 0.7152, 0.0722];

/**
 * Decodes any input to one luminance plane in FITS orientation (row 0 = bottom). FITS: physical
 * values of the first plane. Rasters: samples scaled to [0, 1] (÷255, ÷65535; float TIFF kept as
 * is), colour reduced to Rec. 709 luma of the stored values, alpha dropped, EXIF orientation applied.
 */
export async function decodeLuminance(
  buffer: Uint8Array,
  limits: DecodeOptions = {},
  consume = false,
): Promise<Plane> {
  const planes = await decodePlanes(buffer, limits, consume);
  return planes.length >= 3 ? luminance(planes) : planes[0];
}

/**
 * Decodes to one plane per colour channel (alpha dropped), FITS orientation. With `consume`, the
 * caller gives up `buffer`: float32 FITS samples are then decoded in place, without a copy.
 */
export async function decodePlanes(
  buffer: Uint8Array,
  limits: DecodeOptions = {},
  consume = false,
): Promise<Plane[]> {
  if (detectFormat(buffer) === 'fits') {
    const gzipped = isGzip(buffer);
    // The inflated copy is ours to decode in place; it stops at the end of the image's data.
    const fits = gzipped ? (await gunzipFits(buffer, limits)).bytes : buffer;
    await probeImage(fits, limits); // header-only size check before decoding pixels
    const { width, height, data } = readFits(fits, { inPlace: consume || gzipped });
    const size = limits.resizeTo ?? { width, height };
    return [resampleBilinear({ width, height, data }, size.width, size.height)];
  }
  return decodeRaster(buffer, limits);
}

/**
 * Whether `inputs[i]` shares bytes with another input (the same buffer passed twice, or
 * overlapping views of one ArrayBuffer): such an input must not be decoded in place.
 */
export function sharesMemory(inputs: readonly Uint8Array[], i: number): boolean {
  const a = inputs[i];
  return inputs.some(
    (b, j) =>
      j !== i &&
      b.buffer === a.buffer &&
      b.byteOffset < a.byteOffset + a.byteLength &&
      a.byteOffset < b.byteOffset + b.byteLength,
  );
}

async function decodeRaster(buffer: Uint8Array, limits: DecodeOptions): Promise<Plane[]> {
  const info = await probeImage(buffer, limits);
  const colour = info.channels >= 3;
  let pipeline = sharp(buffer, { failOn: 'error', limitInputPixels: false, autoOrient: true });
  const size = limits.resizeTo;
  if (size && (size.width !== info.width || size.height !== info.height))
    pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
  if (info.bitDepth === 16) pipeline = pipeline.toColourspace(colour ? 'rgb16' : 'grey16');
  const depth = info.bitDepth === 8 ? 'uchar' : info.bitDepth === 16 ? 'ushort' : 'float';
  const { data, info: out } = await pipeline
    .raw({ depth })
    .toBuffer({ resolveWithObject: true })
    .catch((e: unknown) => {
      throw new ImageDecodeError(`cannot decode ${info.format}: ${(e as Error).message}`);
    });
  const samples = typedSamples(data, depth);
  const scale = depth === 'uchar' ? 1 / 255 : depth === 'ushort' ? 1 / 65535 : 1;
  const count = colour ? 3 : 1;
  return Array.from({ length: count }, (_, c) =>
    deinterleave(samples, out.width, out.height, out.channels, c, scale),
  );
}

function typedSamples(data: Buffer, depth: 'uchar' | 'ushort' | 'float'): ArrayLike<number> {
  // sharp buffers may be unaligned views; copy when a typed view is impossible.
  const aligned = data.byteOffset % 4 === 0 ? data : Buffer.from(data);
  if (depth === 'uchar') return aligned;
  if (depth === 'ushort')
    return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.length / 2);
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
}

/** Extracts channel `c`, scaled, flipping rows so row 0 is the bottom (FITS orientation). */
function deinterleave(
  src: ArrayLike<number>,
  width: number,
  height: number,
  stride: number,
  c: number,
  scale: number,
): Plane {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const from = (height - 1 - y) * width * stride + c;
    const to = y * width;
    for (let x = 0; x < width; x += 1) data[to + x] = src[from + x * stride] * scale;
  }
  return { width, height, data };
}

/** Rec. 709 luma of the first three planes, written into the first one to save memory. */
function luminance(planes: Plane[]): Plane {
  const [r, g, b] = planes.map((p) => p.data);
  for (let i = 0; i < r.length; i += 1) r[i] = LUMA[0] * r[i] + LUMA[1] * g[i] + LUMA[2] * b[i];
  return planes[0];
}
