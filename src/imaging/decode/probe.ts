import sharp from 'sharp';
import { ImageDecodeError, ImageTooLargeError } from '../errors';
import { gunzipFits } from '../fits/fits-gzip';
import { isGzip } from '../fits/fits-header';
import { readFitsHeader } from '../fits/fits-header';
import { CelestialWcs, readWcs } from '../wcs/celestial-wcs';
import { ImageFormat, detectFormat } from './detect-format';

/** Cheap facts about an input, read from headers only. */
export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
  /** Colour channels (alpha included); FITS: 1 (only the first plane of a cube is used). */
  channels: number;
  /** Bits per sample; FITS: |BITPIX|. */
  bitDepth: number;
  /** FITS only: NAXIS3 (1 for a 2-D image). */
  depth?: number;
  /** FITS only: BITPIX (negative = floating point). */
  bitpix?: number;
  /** FITS only: the celestial WCS of the image HDU, null when it has none. */
  wcs?: CelestialWcs | null;
}

/** Limits applied when probing or decoding. */
export interface DecodeLimits {
  /** Largest width × height accepted; larger inputs throw `image_too_large`. */
  maxPixels?: number;
}

/** Default pixel limit: 16384 × 16384. */
export const DEFAULT_MAX_PIXELS = 16384 * 16384;

const BITS: Record<string, number> = {
  uchar: 8,
  char: 8,
  ushort: 16,
  short: 16,
  uint: 32,
  int: 32,
  float: 32,
  double: 64,
};

/** Throws `image_too_large` when width × height exceeds the limit. */
export function assertPixels(width: number, height: number, limits: DecodeLimits = {}): void {
  const max = limits.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (width * height > max) throw new ImageTooLargeError(width * height, max);
}

/** Reads format, size, channels and bit depth without decoding pixels. */
export async function probeImage(
  buffer: Uint8Array,
  limits: DecodeLimits = {},
): Promise<ImageInfo> {
  const format = detectFormat(buffer);
  const info =
    format !== 'fits'
      ? await probeRaster(buffer, format)
      : isGzip(buffer)
        ? await probeGzipFits(buffer, limits)
        : probeFits(buffer);
  assertPixels(info.width, info.height, limits);
  return info;
}

/** Inflates as far as the image's data ends (bounded by the pixel limit), keeping headers only. */
async function probeGzipFits(buffer: Uint8Array, limits: DecodeLimits): Promise<ImageInfo> {
  const { bytes, length } = await gunzipFits(buffer, limits, 'probe');
  return probeFits(bytes, length);
}

function probeFits(buffer: Uint8Array, length = buffer.length): ImageInfo {
  const h = readFitsHeader(buffer, length);
  const common = { width: h.width, height: h.height, channels: 1, depth: h.depth };
  const wcs = readWcs(h.cards);
  const fits = {
    format: 'fits' as const,
    ...common,
    bitDepth: Math.abs(h.bitpix),
    bitpix: h.bitpix,
  };
  return wcs ? { ...fits, wcs } : fits;
}

async function probeRaster(buffer: Uint8Array, format: ImageFormat): Promise<ImageInfo> {
  const meta = await sharp(buffer, { failOn: 'error' })
    .metadata()
    .catch((e: unknown) => {
      throw new ImageDecodeError(`cannot read ${format}: ${(e as Error).message}`);
    });
  if (!meta.width || !meta.height) throw new ImageDecodeError(`${format} has no dimensions`);
  const rotated = (meta.orientation ?? 1) >= 5; // EXIF 5..8 swap width and height
  return {
    format,
    width: rotated ? meta.height : meta.width,
    height: rotated ? meta.width : meta.height,
    channels: meta.channels ?? 1,
    bitDepth: BITS[meta.depth ?? 'uchar'] ?? 8,
  };
}
