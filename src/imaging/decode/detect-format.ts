import { ImageDecodeError } from '../errors';
import { isGzip } from '../fits/fits-header';

/** Input formats we accept. */
export type ImageFormat = 'fits' | 'png' | 'jpeg' | 'tiff' | 'webp';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(buffer: Uint8Array, bytes: number[], at = 0): boolean {
  return buffer.length >= at + bytes.length && bytes.every((b, i) => buffer[at + i] === b);
}

function asciiAt(buffer: Uint8Array, text: string, at = 0): boolean {
  return startsWith(
    buffer,
    Array.from(text, (c) => c.charCodeAt(0)),
    at,
  );
}

/** Detects the format from magic bytes only (never from a name or a declared type); gzip = FITS. */
export function detectFormat(buffer: Uint8Array): ImageFormat {
  if (asciiAt(buffer, 'SIMPLE  =')) return 'fits';
  // Only FITS is accepted gzip-compressed; what the gzip holds is checked when it is inflated.
  if (isGzip(buffer)) return 'fits';
  if (startsWith(buffer, PNG)) return 'png';
  if (startsWith(buffer, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (asciiAt(buffer, 'II*\0') || asciiAt(buffer, 'MM\0*')) return 'tiff';
  if (asciiAt(buffer, 'RIFF') && asciiAt(buffer, 'WEBP', 8)) return 'webp';
  throw new ImageDecodeError('unrecognised image format (expected FITS, PNG, JPEG, TIFF or WebP)');
}
