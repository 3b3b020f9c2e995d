import { BlobStore } from '../../core/storage/blob-store.port';
import {
  DecodeLimits,
  ImageDecodeError,
  ImageInfo,
  ImagingError,
  ImagingPool,
  assertPixels,
  detectFormat,
  findImageHdu,
  imageOf,
  isGzip,
  readWcs,
  requiredDataBytes,
} from '../../imaging';
import { uploadImagingError } from './asset-errors';
import { readBlobBytes } from './blob-bytes';

/** Enough for the headers of any sane FITS file (1024 blocks) and of raster formats. */
const HEAD_BYTES = 2880 * 1024;

/**
 * Probes a stored upload from its first bytes only: format from content, size, channels, bit
 * depth, pixel limit. A TIFF whose directory lies beyond the head is read whole as a fallback.
 * Throws the HTTP error to answer (415/422).
 */
export async function probeStoredImage(
  blobs: BlobStore,
  pool: ImagingPool,
  key: string,
  bytes: number,
  limits: DecodeLimits,
): Promise<ImageInfo> {
  if (bytes === 0) throw uploadImagingError(new ImageDecodeError('the file is empty'), false);
  const headBytes = Math.min(bytes, HEAD_BYTES);
  const head = await readBlobBytes(blobs, key, headBytes, { start: 0, end: headBytes - 1 });
  let format: ReturnType<typeof detectFormat>;
  try {
    format = detectFormat(head);
  } catch (err) {
    throw err instanceof ImagingError ? uploadImagingError(err, false) : err;
  }
  try {
    if (headBytes === bytes) return await pool.probe(head, limits);
    // A gzip'd FITS is inflated (in a worker, bounded by the pixel limit) to check it whole.
    if (format === 'fits' && isGzip(head)) {
      return await pool.probe(await readBlobBytes(blobs, key, bytes), limits);
    }
    if (format === 'fits') return probeFitsHead(head, bytes, limits);
    return await pool.probe(head, limits).catch(async (err: unknown) => {
      if (!(err instanceof ImageDecodeError)) throw err;
      return pool.probe(await readBlobBytes(blobs, key, bytes), limits);
    });
  } catch (err) {
    throw err instanceof ImagingError ? uploadImagingError(err, true) : err;
  }
}

/** FITS headers come from the head; the data unit is checked against the whole file's size. */
function probeFitsHead(head: Uint8Array, total: number, limits: DecodeLimits): ImageInfo {
  const hdu = findImageHdu(head);
  const { axes, bitpix, cards } = imageOf(hdu);
  if (axes.length < 2) throw new ImageDecodeError('FITS image must have at least 2 axes');
  const [width, height, ...rest] = axes;
  if (hdu.dataOffset + requiredDataBytes(hdu, width, height) > total) {
    throw new ImageDecodeError('FITS data unit is truncated');
  }
  assertPixels(width, height, limits);
  const depth = rest.reduce((a, b) => a * b, 1);
  const wcs = readWcs(cards);
  return {
    format: 'fits',
    width,
    height,
    channels: 1,
    bitDepth: Math.abs(bitpix),
    depth,
    bitpix,
    wcs,
  };
}
