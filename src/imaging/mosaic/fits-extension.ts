import { FITS_BLOCK, FitsValue, formatCard } from '../fits/fits-card';

/** An extra header card. */
export interface ExtensionCard {
  keyword: string;
  value: FitsValue;
  comment?: string;
}

/**
 * A float32 primary image followed by a 16-bit IMAGE extension (e.g. a coverage count), laid
 * out in one buffer before any pixel exists: callers fill `data` and `counts` in place (native
 * byte order), then {@link finish} makes them big-endian. No copy of either plane is ever made.
 */
export interface ImageWithCounts {
  buffer: Buffer;
  /** View of the primary data unit. */
  data: Float32Array;
  /** View of the extension's data unit. */
  counts: Uint16Array;
  /** Byte-swaps both data units to FITS (big-endian) order; the views are unusable after. */
  finish(): void;
}

const padTo = (n: number): number => Math.ceil(n / FITS_BLOCK) * FITS_BLOCK;

function header(cards: string[]): Buffer {
  const text = [...cards, 'END'].map((c) => c.padEnd(80)).join('');
  return Buffer.from(text.padEnd(padTo(text.length), ' '), 'latin1');
}

/** Allocates the file of a width × height image with a counts extension (`cards` for each HDU). */
export function imageWithCounts(
  width: number,
  height: number,
  primaryCards: ExtensionCard[],
  extensionCards: ExtensionCard[],
): ImageWithCounts {
  const n = width * height;
  const card = (c: ExtensionCard) => formatCard(c.keyword, c.value, c.comment);
  const primary = header([
    formatCard('SIMPLE', true, 'conforms to FITS standard'),
    formatCard('BITPIX', -32),
    formatCard('NAXIS', 2),
    formatCard('NAXIS1', width),
    formatCard('NAXIS2', height),
    formatCard('EXTEND', true),
    ...primaryCards.map(card),
  ]);
  const extension = header([
    formatCard('XTENSION', 'IMAGE', 'image extension'),
    formatCard('BITPIX', 16),
    formatCard('NAXIS', 2),
    formatCard('NAXIS1', width),
    formatCard('NAXIS2', height),
    formatCard('PCOUNT', 0),
    formatCard('GCOUNT', 1),
    ...extensionCards.map(card),
  ]);
  const dataAt = primary.length;
  const extAt = dataAt + padTo(n * 4);
  const countsAt = extAt + extension.length;
  const buffer = Buffer.alloc(countsAt + padTo(n * 2));
  primary.copy(buffer, 0);
  extension.copy(buffer, extAt);
  const data = new Float32Array(buffer.buffer, buffer.byteOffset + dataAt, n);
  const counts = new Uint16Array(buffer.buffer, buffer.byteOffset + countsAt, n);
  const finish = () => {
    // Counts above 32767 cannot occur (at most 256 tiles), so unsigned → signed 16 is exact.
    buffer.subarray(dataAt, dataAt + n * 4).swap32();
    buffer.subarray(countsAt, countsAt + n * 2).swap16();
  };
  return { buffer, data, counts, finish };
}
