import { createGunzip } from 'node:zlib';
import { ImageDecodeError, ImageTooLargeError } from '../errors';
import { FITS_BLOCK } from './fits-card';
import { findImageHdu, imageOf, isFits, requiredDataBytes } from './fits-header';

/**
 * How far {@link gunzipFits} inflates: `image` keeps everything up to the end of the image
 * HDU's data; `probe` inflates that far too (so a truncated file is caught) but keeps only the
 * headers; `header` stops as soon as the image HDU's header is in.
 */
export type GunzipMode = 'image' | 'probe' | 'header';

/** Inflated bytes, and how many bytes the inflated file is known to have. */
export interface GunzippedFits {
  bytes: Buffer;
  length: number;
}

/** Headers longer than this (before the image HDU) are refused: no sane file has them. */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;
/** The decode default (16384²) when no pixel limit is given. */
const DEFAULT_MAX_PIXELS = 16384 * 16384;

/**
 * Stream-inflates a gzip-compressed FITS file, never further than the image it holds: once the
 * image HDU's header is in, its size is checked against `maxPixels` and inflation stops at the
 * end of its data. A gzip bomb therefore costs at most the declared image (itself bounded by
 * the pixel limit), never the whole inflated stream.
 */
export async function gunzipFits(
  input: Uint8Array,
  limits: { maxPixels?: number } = {},
  mode: GunzipMode = 'image',
): Promise<GunzippedFits> {
  const gunzip = createGunzip();
  gunzip.end(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  let chunks: Buffer[] = [];
  let total = 0;
  let need = Infinity;
  let headerEnd = Infinity;
  let tryAt = FITS_BLOCK;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (total < headerEnd || mode === 'image') chunks.push(chunk);
      total += chunk.length;
      if (need === Infinity && total >= tryAt) {
        const flat = Buffer.concat(chunks);
        chunks = [flat];
        tryAt = total * 2;
        const found = locate(flat, limits, total);
        if (found)
          [headerEnd, need] = [found.dataOffset, mode === 'header' ? found.dataOffset : found.end];
      }
      if (total >= need) break;
    }
  } catch (error) {
    if (error instanceof ImageDecodeError || error instanceof ImageTooLargeError) throw error;
    if (total < need)
      throw new ImageDecodeError(`gzip data is corrupt or truncated: ${(error as Error).message}`);
  } finally {
    gunzip.destroy();
  }
  if (need === Infinity) {
    const found = locate(Buffer.concat(chunks), limits, total, true);
    if (!found) throw new ImageDecodeError('FITS file has no image HDU');
    [headerEnd, need] = [found.dataOffset, mode === 'header' ? found.dataOffset : found.end];
  }
  if (total < need) throw new ImageDecodeError('FITS data unit is truncated');
  const keep = mode === 'image' ? need : headerEnd;
  return { bytes: Buffer.concat(chunks).subarray(0, keep), length: total };
}

/**
 * Where the image HDU's data starts and ends, once its header has been inflated; undefined
 * while more is needed (or throws when `final`, or when the content cannot be a FITS image).
 */
function locate(
  bytes: Buffer,
  limits: { maxPixels?: number },
  total: number,
  final = false,
): { dataOffset: number; end: number } | undefined {
  if (!isFits(bytes.subarray(0, 10))) {
    throw new ImageDecodeError('the gzip file does not hold a FITS file');
  }
  let hdu;
  try {
    hdu = findImageHdu(bytes);
  } catch (error) {
    if (final || !(error instanceof ImageDecodeError)) throw error;
    if (total > MAX_HEADER_BYTES) throw new ImageDecodeError('FITS headers are too long');
    return undefined;
  }
  const { axes } = imageOf(hdu);
  const [width = 0, height = 0] = axes;
  const maxPixels = limits.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (width * height > maxPixels) throw new ImageTooLargeError(width * height, maxPixels);
  const data = requiredDataBytes(hdu, width, height);
  if (data > maxPixels * 8 + MAX_HEADER_BYTES)
    throw new ImageTooLargeError(width * height, maxPixels);
  return { dataOffset: hdu.dataOffset, end: hdu.dataOffset + data };
}
