import { ImageDecodeError } from '../errors';
import { CARD_LENGTH, FITS_BLOCK, FitsCard, findCard, numberCard, parseCard } from './fits-card';
import { isCompressedImage, logicalHeader } from './fits-compressed-header';
import { inflateHead } from './fits-gzip-head';

/** BITPIX values defined by the FITS standard. */
export type Bitpix = 8 | 16 | 32 | 64 | -32 | -64;
const BITPIXES: readonly number[] = [8, 16, 32, 64, -32, -64];

/** One header-data unit as found in the file, before its pixels are decoded. */
export interface FitsHdu {
  cards: FitsCard[];
  /** Byte offset of the data unit in the file. */
  dataOffset: number;
  /** Unpadded size of the data unit in bytes. */
  dataBytes: number;
  /** Byte offset of the next HDU. */
  nextOffset: number;
  bitpix: number;
  axes: number[];
  isImage: boolean;
  /** A BINTABLE holding a tile-compressed image (`ZIMAGE = T`). */
  isCompressed: boolean;
  /** Position of the HDU in the file (0 = primary). */
  index: number;
}

/** Dimensions of the image HDU a reader would decode. */
export interface FitsImageInfo {
  width: number;
  height: number;
  /** NAXIS3 (product of the higher axes), 1 for a 2-D image. */
  depth: number;
  bitpix: Bitpix;
  /** The image's header: for a tile-compressed image, its logical header (as astropy's). */
  cards: FitsCard[];
  hdu: FitsHdu;
}

const MAX_HEADER_BLOCKS = 1000;

/** True when the bytes start like a FITS primary header. */
export function isFits(buffer: Uint8Array): boolean {
  return buffer.length >= 10 && ascii(buffer, 0, 10) === 'SIMPLE  = ';
}

function ascii(buffer: Uint8Array, start: number, end: number): string {
  return Buffer.from(buffer.buffer, buffer.byteOffset + start, end - start).toString('latin1');
}

/** Reads the header cards starting at `offset` up to END; returns them and the data offset. */
function readCards(buffer: Uint8Array, offset: number): { cards: FitsCard[]; end: number } {
  const cards: FitsCard[] = [];
  for (let block = 0; block < MAX_HEADER_BLOCKS; block += 1) {
    const start = offset + block * FITS_BLOCK;
    if (start + FITS_BLOCK > buffer.length) throw new ImageDecodeError('FITS header is truncated');
    for (let c = 0; c < FITS_BLOCK; c += CARD_LENGTH) {
      const card = parseCard(ascii(buffer, start + c, start + c + CARD_LENGTH));
      if (card.keyword === 'END') return { cards, end: start + FITS_BLOCK };
      cards.push(card);
    }
  }
  throw new ImageDecodeError('FITS header has no END card');
}

function positiveInt(cards: FitsCard[], keyword: string): number {
  const value = findCard(cards, keyword)?.value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ImageDecodeError(`FITS keyword ${keyword} is missing or invalid`);
  }
  return value;
}

/** Parses the HDU header at `offset` and computes where its data lives. */
export function readHdu(buffer: Uint8Array, offset: number, index = 0): FitsHdu {
  const { cards, end } = readCards(buffer, offset);
  const bitpix = numberCard(cards, 'BITPIX', NaN);
  const naxis = positiveInt(cards, 'NAXIS');
  if (naxis > 999) throw new ImageDecodeError('FITS NAXIS is out of range');
  const axes = Array.from({ length: naxis }, (_, i) => positiveInt(cards, `NAXIS${i + 1}`));
  const xtension = findCard(cards, 'XTENSION')?.value;
  const primary = offset === 0;
  const pcount = primary ? 0 : numberCard(cards, 'PCOUNT', 0);
  const gcount = primary ? 1 : numberCard(cards, 'GCOUNT', 1);
  const elements = naxis === 0 ? 0 : axes.reduce((a, b) => a * b, 1);
  const dataBytes = (Math.abs(bitpix) / 8) * gcount * (pcount + elements);
  if (!Number.isFinite(dataBytes)) throw new ImageDecodeError('FITS BITPIX is invalid');
  const padded = Math.ceil(dataBytes / FITS_BLOCK) * FITS_BLOCK;
  const isImage = (primary || xtension === 'IMAGE') && BITPIXES.includes(bitpix) && elements > 0;
  const isCompressed = !primary && isCompressedImage(cards);
  const nextOffset = end + padded;
  return {
    cards,
    dataOffset: end,
    dataBytes,
    nextOffset,
    bitpix,
    axes,
    isImage,
    isCompressed,
    index,
  };
}

/**
 * Finds the first HDU holding an image: the primary one, or else the first IMAGE extension or
 * tile-compressed image (a BINTABLE with `ZIMAGE = T`).
 */
export function findImageHdu(buffer: Uint8Array): FitsHdu {
  if (!isFits(buffer)) throw new ImageDecodeError('not a FITS file (no SIMPLE card)');
  let offset = 0;
  for (let index = 0; offset < buffer.length; index += 1) {
    const hdu = readHdu(buffer, offset, index);
    if (hdu.isImage || hdu.isCompressed) return hdu;
    offset = hdu.nextOffset;
  }
  throw new ImageDecodeError('FITS file has no image HDU');
}

/** Axes, BITPIX and header of the image an HDU holds (the logical image when compressed). */
export function imageOf(hdu: FitsHdu): { axes: number[]; bitpix: number; cards: FitsCard[] } {
  if (!hdu.isCompressed) return { axes: hdu.axes, bitpix: hdu.bitpix, cards: hdu.cards };
  const cards = logicalHeader(hdu.cards);
  const naxis = numberCard(cards, 'NAXIS', 0);
  const axes = Array.from({ length: naxis }, (_, i) => numberCard(cards, `NAXIS${i + 1}`, 0));
  const bitpix = numberCard(cards, 'BITPIX', NaN);
  if (!BITPIXES.includes(bitpix)) throw new ImageDecodeError('compressed image ZBITPIX is invalid');
  return { axes, bitpix, cards };
}

/** Bytes the HDU's data must have in the file: the first plane, or the whole compressed table. */
export function requiredDataBytes(hdu: FitsHdu, width: number, height: number): number {
  return hdu.isCompressed ? hdu.dataBytes : width * height * (Math.abs(hdu.bitpix) / 8);
}

/**
 * Cheap probe: reads headers only (no pixel is decoded) to give dimensions and BITPIX, e.g. to
 * validate an upload. Throws {@link ImageDecodeError} on anything we could not decode later.
 * `length` is the file's full size when `buffer` holds only its start (e.g. inflated headers).
 * A gzip-compressed file is accepted: its headers are inflated (bounded) to be read.
 */
export function readFitsHeader(buffer: Uint8Array, length = buffer.length): FitsImageInfo {
  if (isGzip(buffer)) {
    // Headers of a gzip'd file come from its inflated start; its data is checked when decoded.
    const head = inflateHead(buffer, (bytes) => findsImage(bytes));
    return readFitsHeader(head, Infinity);
  }
  const hdu = findImageHdu(buffer);
  const { axes, bitpix, cards } = imageOf(hdu);
  if (axes.length < 2) throw new ImageDecodeError('FITS image must have at least 2 axes');
  const [width, height, ...rest] = axes;
  const depth = rest.reduce((a, b) => a * b, 1);
  if (hdu.dataOffset + requiredDataBytes(hdu, width, height) > length) {
    throw new ImageDecodeError('FITS data unit is truncated');
  }
  return { width, height, depth, bitpix: bitpix as Bitpix, cards, hdu };
}

/** Whether the bytes hold an image HDU's complete header (so inflating further is not needed). */
function findsImage(bytes: Uint8Array): boolean {
  try {
    findImageHdu(bytes);
    return true;
  } catch {
    return false;
  }
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(buffer: Uint8Array): boolean {
  return buffer.length >= 3 && buffer[0] === 0x1f && buffer[1] === 0x8b && buffer[2] === 8;
}
