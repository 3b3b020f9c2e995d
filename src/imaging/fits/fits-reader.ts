import { FitsCard, findCard, numberCard } from './fits-card';
import { Bitpix, readFitsHeader } from './fits-header';
import { readTiledPlane } from './fits-tiled';

/** A decoded FITS image (first plane of a cube). */
export interface FitsImage {
  width: number;
  height: number;
  /** NAXIS3 (or product of higher axes); only plane 1 is decoded. */
  depth: number;
  bitpix: Bitpix;
  /** Physical values (BZERO + BSCALE × raw), BLANK → NaN. Row 0 = FITS row 1 = bottom. */
  data: Float32Array;
  /** Header cards of the HDU that was decoded (without END). */
  cards: FitsCard[];
}

/** How {@link readFits} may treat its input. */
export interface FitsReadOptions {
  /**
   * Decode float32 data in place: the samples are byte-swapped inside `buffer`, whose memory then
   * backs the returned plane (no 4-byte-per-pixel copy). The caller must not use `buffer` again.
   */
  inPlace?: boolean;
}

/** Decodes the primary image (or first image extension, plain or tile-compressed) of a FITS file. */
export function readFits(buffer: Uint8Array, options: FitsReadOptions = {}): FitsImage {
  const info = readFitsHeader(buffer);
  const { width, height, bitpix, cards } = info;
  const count = width * height;
  const scale: Scaling = {
    bzero: numberCard(cards, 'BZERO', 0),
    bscale: numberCard(cards, 'BSCALE', 1),
    blank: blankOf(cards, bitpix),
  };
  if (info.hdu.isCompressed) {
    const { data } = readTiledPlane(buffer, info.hdu, scale);
    return { width, height, depth: info.depth, bitpix, data, cards };
  }
  const bytes = buffer.subarray(
    info.hdu.dataOffset,
    info.hdu.dataOffset + count * (Math.abs(bitpix) / 8),
  );
  const data =
    options.inPlace && bitpix === -32 && bytes.byteOffset % 4 === 0
      ? scaleFloats(swappedInPlace(bytes), scale)
      : decodeRaw(bytes, bitpix, count, scale);
  return { width, height, depth: info.depth, bitpix, data, cards };
}

/** BZERO/BSCALE and the integer BLANK marker (NaN when absent: it never equals a sample). */
interface Scaling {
  bzero: number;
  bscale: number;
  blank: number;
}

function blankOf(cards: FitsCard[], bitpix: Bitpix): number {
  const value = findCard(cards, 'BLANK')?.value;
  return bitpix > 0 && Number.isInteger(value) ? (value as number) : NaN;
}

/** Copies the big-endian samples into an aligned buffer and byte-swaps natively (fast path). */
function swapped(bytes: Uint8Array, size: number): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.length);
  const view = Buffer.from(copy);
  view.set(bytes);
  if (size === 2) view.swap16();
  if (size === 4) view.swap32();
  if (size === 8) view.swap64();
  return copy;
}

/** Byte-swaps big-endian float32 samples where they lie and views them as a Float32Array. */
function swappedInPlace(bytes: Uint8Array): Float32Array {
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).swap32();
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function decodeRaw(bytes: Uint8Array, bitpix: Bitpix, count: number, s: Scaling): Float32Array {
  switch (bitpix) {
    case -32:
      return scaleFloats(new Float32Array(swapped(bytes, 4)), s);
    case -64:
      return scaleFloats(Float32Array.from(new Float64Array(swapped(bytes, 8))), s);
    case 8:
      return integersToFloat(bytes, count, s);
    case 16:
      return integersToFloat(new Int16Array(swapped(bytes, 2)), count, s);
    case 32:
      return integersToFloat(new Int32Array(swapped(bytes, 4)), count, s);
    case 64:
      return bigIntegersToFloat(new BigInt64Array(swapped(bytes, 8)), count, s);
  }
}

/** Scales in double precision before rounding to float32 so BZERO offsets keep integer values. */
function integersToFloat(raw: ArrayLike<number>, count: number, s: Scaling): Float32Array {
  const out = new Float32Array(count);
  const { bzero, bscale, blank } = s;
  for (let i = 0; i < count; i += 1) {
    const v = raw[i];
    out[i] = v === blank ? NaN : bzero + bscale * v;
  }
  return out;
}

function bigIntegersToFloat(raw: BigInt64Array, count: number, s: Scaling): Float32Array {
  const out = new Float32Array(count);
  const blank = Number.isNaN(s.blank) ? undefined : BigInt(s.blank);
  for (let i = 0; i < count; i += 1) {
    const v = raw[i];
    out[i] = v === blank ? NaN : s.bzero + s.bscale * Number(v);
  }
  return out;
}

/** BZERO/BSCALE also apply to float data (rare but legal); NaN stays NaN. */
function scaleFloats(data: Float32Array, s: Scaling): Float32Array {
  if (s.bzero === 0 && s.bscale === 1) return data;
  for (let i = 0; i < data.length; i += 1) data[i] = s.bzero + s.bscale * data[i];
  return data;
}
