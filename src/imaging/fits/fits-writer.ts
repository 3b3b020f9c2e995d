import { CARD_LENGTH, FITS_BLOCK, FitsCard, FitsValue, formatCard } from './fits-card';
import { Bitpix } from './fits-header';

/** What to write: one float32 plane, or `depth` planes stacked (e.g. NAXIS3 = 3 for RGB). */
export interface FitsWriteInput {
  width: number;
  height: number;
  /** Number of planes in `data` (NAXIS3); 1 writes a 2-D image. */
  depth?: number;
  /** Physical values, plane after plane, row 0 = FITS row 1. */
  data: Float32Array;
}

/** How to encode samples. Defaults: BITPIX -32, no scaling. */
export interface FitsWriteOptions {
  bitpix?: Bitpix;
  /** Integer BITPIX only: raw = round((physical − bzero) / bscale). 32768 + 16 = unsigned 16-bit. */
  bzero?: number;
  bscale?: number;
  /** Integer BITPIX only: raw value written for NaN. Defaults to the type's minimum. */
  blank?: number;
  /** Extra cards carried into the header; structural keywords among them are ignored. */
  cards?: Array<FitsCard | { keyword: string; value: FitsValue; comment?: string }>;
}

const STRUCTURAL =
  /^(SIMPLE|BITPIX|NAXIS\d*|EXTEND|BZERO|BSCALE|BLANK|END|XTENSION|PCOUNT|GCOUNT)$/;
const INT_RANGE: Record<number, [number, number]> = {
  8: [0, 255],
  16: [-32768, 32767],
  32: [-2147483648, 2147483647],
  // Largest double below 2^63, so BigInt conversion never wraps.
  64: [-9223372036854775808, 9223372036854774784],
};

/** Encodes a single-HDU FITS file (primary image) that passes fitsverify. */
export function writeFits(input: FitsWriteInput, options: FitsWriteOptions = {}): Buffer {
  const bitpix = options.bitpix ?? -32;
  const depth = input.depth ?? 1;
  const header = headerCards(input, depth, bitpix, options);
  const headerBytes = padBlock(Buffer.from(header.join(''), 'latin1'), 0x20);
  const data = encodeData(input.data, bitpix, options);
  return Buffer.concat([headerBytes, padBlock(data, 0)]);
}

function headerCards(input: FitsWriteInput, depth: number, bitpix: Bitpix, o: FitsWriteOptions) {
  const cards = [
    formatCard('SIMPLE', true, 'conforms to FITS standard'),
    formatCard('BITPIX', bitpix),
    formatCard('NAXIS', depth > 1 ? 3 : 2),
    formatCard('NAXIS1', input.width),
    formatCard('NAXIS2', input.height),
  ];
  if (depth > 1) cards.push(formatCard('NAXIS3', depth));
  if (bitpix > 0) {
    cards.push(formatCard('BZERO', o.bzero ?? 0), formatCard('BSCALE', o.bscale ?? 1));
    // BLANK only when needed: with BZERO=32768 the default marker would hide physical 0.
    if (o.blank !== undefined || input.data.some(Number.isNaN)) {
      cards.push(formatCard('BLANK', blankFor(bitpix, o)));
    }
  }
  for (const card of o.cards ?? []) {
    if (STRUCTURAL.test(card.keyword)) continue;
    cards.push(
      'raw' in card
        ? card.raw.padEnd(CARD_LENGTH).slice(0, CARD_LENGTH)
        : formatCard(card.keyword, card.value, card.comment),
    );
  }
  cards.push('END'.padEnd(CARD_LENGTH));
  return cards;
}

function blankFor(bitpix: Bitpix, o: FitsWriteOptions): number {
  // BITPIX 8 is unsigned; its 0 is a real value, so mark blanks with 255 there.
  return o.blank ?? (bitpix === 8 ? 255 : INT_RANGE[bitpix][0]);
}

function padBlock(bytes: Buffer, fill: number): Buffer {
  const rest = bytes.length % FITS_BLOCK;
  if (rest === 0) return bytes;
  return Buffer.concat([bytes, Buffer.alloc(FITS_BLOCK - rest, fill)]);
}

function encodeData(data: Float32Array, bitpix: Bitpix, o: FitsWriteOptions): Buffer {
  const size = Math.abs(bitpix) / 8;
  const out = Buffer.alloc(data.length * size);
  if (bitpix === -32) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return out.swap32();
  }
  if (bitpix === -64) {
    out.set(new Uint8Array(Float64Array.from(data).buffer));
    return out.swap64();
  }
  return encodeIntegers(out, data, bitpix, o);
}

function encodeIntegers(
  out: Buffer,
  data: Float32Array,
  bitpix: Bitpix,
  o: FitsWriteOptions,
): Buffer {
  const [lo, hi] = INT_RANGE[bitpix];
  const bzero = o.bzero ?? 0;
  const bscale = o.bscale ?? 1;
  const blank = blankFor(bitpix, o);
  const raw = new Float64Array(data.length);
  for (let i = 0; i < data.length; i += 1) {
    const v = data[i];
    raw[i] = Number.isNaN(v) ? blank : Math.min(hi, Math.max(lo, Math.round((v - bzero) / bscale)));
  }
  if (bitpix === 8) out.set(raw);
  if (bitpix === 16) out.set(new Uint8Array(Int16Array.from(raw).buffer));
  if (bitpix === 32) out.set(new Uint8Array(Int32Array.from(raw).buffer));
  if (bitpix === 64) out.set(new Uint8Array(BigInt64Array.from(raw, (v) => BigInt(v)).buffer));
  // FITS is big-endian; samples were laid out little-endian above.
  if (bitpix === 16) out.swap16();
  if (bitpix === 32) out.swap32();
  if (bitpix === 64) out.swap64();
  return out;
}
