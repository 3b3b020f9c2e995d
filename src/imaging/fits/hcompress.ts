import { ImageDecodeError } from '../errors';
import { hinv } from './hcompress-inverse';

/** Bytes before the bit planes: magic, nx, ny, scale (int32 each), sum of all (int64), 3 counts. */
const HEADER_BYTES = 2 + 4 + 4 + 4 + 8 + 3;

/**
 * Decodes one HCOMPRESS_1 tile (R. White's H-transform coder, as cfitsio's fits_hdecompress
 * and fits_hdecompress64 do): header, quadtree-coded bit planes of the four coefficient
 * quadrants, sign bits, multiplication by the stored scale, then the inverse H-transform,
 * smoothed when `smooth` (ZNAME 'SMOOTH' = 1). The stream's `nx` is the tile's rows and `ny`
 * its row length (the fast axis). `wide` follows cfitsio's choice of the 64-bit decoder
 * (ZBITPIX 32 and floats); the 32-bit one keeps only the low 32 bits of the stored sum.
 *
 * Coefficients are exact integers in float64: every intermediate stays below 2^53 for pixel
 * values within int32 and tiles up to 2^16 a side (a coefficient is at most 2^(2 + log2 side)
 * times the largest pixel, a sum of four of them 4 times that), so the result is cfitsio's.
 */
export function hcompressDecode(
  input: Uint8Array,
  count: number,
  smooth: boolean,
  wide: boolean,
): Int32Array {
  if (input.length < HEADER_BYTES || input[0] !== 0xdd || input[1] !== 0x99) {
    throw new ImageDecodeError('HCOMPRESS_1 tile has a bad header (no 0xDD99 magic)');
  }
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const nx = view.getInt32(2);
  const ny = view.getInt32(6);
  const scale = view.getInt32(10);
  const sum = view.getBigInt64(14);
  if (!(nx > 0 && ny > 0) || nx * ny !== count) {
    throw new ImageDecodeError(`HCOMPRESS_1 tile is ${ny} × ${nx}, expected ${count} pixels`);
  }
  const planes = [input[22], input[23], input[24]];
  const a = new Float64Array(count);
  decodeQuadrants(new BitReader(input, HEADER_BYTES), a, nx, ny, planes);
  a[0] = Number(wide ? sum : BigInt.asIntN(32, sum));
  if (scale > 1) for (let i = 0; i < a.length; i += 1) a[i] *= scale;
  hinv(a, nx, ny, smooth, scale);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i += 1) out[i] = a[i] | 0; // C's (int) of a LONGLONG: low 32 bits
  return out;
}

/** Big-endian bit input (cfitsio's input_bit / input_nbits); reading past the end throws. */
export class BitReader {
  private position: number;

  constructor(
    private readonly bytes: Uint8Array,
    startByte: number,
  ) {
    this.position = startByte * 8;
  }

  bits(n: number): number {
    let value = 0;
    for (let k = 0; k < n; k += 1) {
      const byte = this.position >> 3;
      if (byte >= this.bytes.length) throw new ImageDecodeError('HCOMPRESS_1 tile is truncated');
      value = (value << 1) | ((this.bytes[byte] >> (7 - (this.position & 7))) & 1);
      this.position += 1;
    }
    return value;
  }

  /** Drops the rest of the current byte (cfitsio's start_inputing_bits). */
  alignToByte(): void {
    this.position = Math.ceil(this.position / 8) * 8;
  }
}

/** Quadrants of the coefficient array: low-low, then the two mixed ones, then high-high. */
function decodeQuadrants(
  reader: BitReader,
  a: Float64Array,
  nx: number,
  ny: number,
  planes: number[],
): void {
  const nx2 = (nx + 1) >> 1;
  const ny2 = (ny + 1) >> 1;
  qtreeDecode(reader, a, 0, ny, nx2, ny2, planes[0]);
  qtreeDecode(reader, a, ny2, ny, nx2, ny >> 1, planes[1]);
  qtreeDecode(reader, a, ny * nx2, ny, nx >> 1, ny2, planes[1]);
  qtreeDecode(reader, a, ny * nx2 + ny2, ny, nx >> 1, ny >> 1, planes[2]);
  if (reader.bits(4) !== 0) throw new ImageDecodeError('HCOMPRESS_1 tile has bad bit planes');
  reader.alignToByte();
  for (let i = 0; i < a.length; i += 1) if (a[i] !== 0 && reader.bits(1) === 1) a[i] = -a[i];
}

/** Smallest k with 2^k ≥ n (cfitsio's rounded log2, then bumped). */
function log2Ceil(n: number): number {
  let k = 0;
  while (2 ** k < n) k += 1;
  return k;
}

/**
 * Adds the bit planes of one nqx × nqy quadrant (rows of `a` are `n` long, the quadrant starts
 * at `offset`), top plane first; each is written directly (code 0) or quadtree-coded (0xF).
 */
function qtreeDecode(
  reader: BitReader,
  a: Float64Array,
  offset: number,
  n: number,
  nqx: number,
  nqy: number,
  planes: number,
): void {
  const log2n = log2Ceil(Math.max(nqx, nqy));
  const cells = ((nqx + 1) >> 1) * ((nqy + 1) >> 1);
  for (let bit = planes - 1; bit >= 0; bit -= 1) {
    const format = reader.bits(4);
    let codes: Uint8Array;
    if (format === 0) {
      codes = new Uint8Array(cells);
      for (let i = 0; i < cells; i += 1) codes[i] = reader.bits(4);
    } else if (format === 0xf) {
      codes = expandQuadtree(reader, nqx, nqy, log2n);
    } else {
      throw new ImageDecodeError('HCOMPRESS_1 tile has a bad bit-plane code');
    }
    insertBits(codes, nqx, nqy, a, offset, n, 2 ** bit);
  }
}

/** The quadtree's last level: one 4-bit code per 2 × 2 block of the quadrant. */
function expandQuadtree(reader: BitReader, nqx: number, nqy: number, log2n: number): Uint8Array {
  let codes: Uint8Array = Uint8Array.of(huffman(reader));
  let nx = 1;
  let ny = 1;
  let nfx = nqx;
  let nfy = nqy;
  let c = 2 ** log2n;
  for (let k = 1; k < log2n; k += 1) {
    // Sizes of the levels: n[k-1] = (n[k] + 1) / 2 with n[log2n] = nqx, nqy.
    c /= 2;
    nx *= 2;
    ny *= 2;
    if (nfx <= c) nx -= 1;
    else nfx -= c;
    if (nfy <= c) ny -= 1;
    else nfy -= c;
    codes = splitCodes(codes, nx, ny);
    // Set cells get their own code, read from the last cell back to the first.
    for (let i = nx * ny - 1; i >= 0; i -= 1) if (codes[i] !== 0) codes[i] = huffman(reader);
  }
  return codes;
}

/** Bit (3 − 2·row parity − column parity) of a 4-bit code, for a cell of its 2 × 2 block. */
const shiftOf = (i: number, j: number) => 3 - 2 * (i & 1) - (j & 1);

/** Each 4-bit code of a ⌈nx/2⌉ × ⌈ny/2⌉ array becomes four 0/1 cells of an nx × ny one. */
function splitCodes(codes: Uint8Array, nx: number, ny: number): Uint8Array<ArrayBuffer> {
  const ny2 = (ny + 1) >> 1;
  const out = new Uint8Array(nx * ny);
  for (let i = 0; i < nx; i += 1) {
    for (let j = 0; j < ny; j += 1) {
      out[i * ny + j] = (codes[(i >> 1) * ny2 + (j >> 1)] >> shiftOf(i, j)) & 1;
    }
  }
  return out;
}

/** Sets bit `plane` of the quadrant's cells whose bit of their block's code is 1. */
function insertBits(
  codes: Uint8Array,
  nx: number,
  ny: number,
  a: Float64Array,
  offset: number,
  n: number,
  plane: number,
): void {
  const ny2 = (ny + 1) >> 1;
  for (let i = 0; i < nx; i += 1) {
    for (let j = 0; j < ny; j += 1) {
      // Each plane is added once per cell (a starts at 0): + is cfitsio's |=.
      if ((codes[(i >> 1) * ny2 + (j >> 1)] >> shiftOf(i, j)) & 1) a[offset + i * n + j] += plane;
    }
  }
}

/** Decoded value of each 6-bit Huffman code whose first 5 bits are 11111 (0x3e, 0x3f). */
const SIX_BIT = [0, 14];
/** Values of the 4-bit codes 8..12 and the 5-bit codes 26..30 (cfitsio's fixed code table). */
const FOUR_BIT: Record<number, number> = { 8: 3, 9: 5, 10: 10, 11: 12, 12: 15 };
const FIVE_BIT: Record<number, number> = { 26: 6, 27: 7, 28: 9, 29: 11, 30: 13 };

/** One 4-bit quadtree code from the fixed Huffman code (3 to 6 bits). */
function huffman(reader: BitReader): number {
  let c = reader.bits(3);
  if (c < 4) return 1 << c;
  c = (c << 1) | reader.bits(1);
  if (c < 13) return FOUR_BIT[c];
  c = (c << 1) | reader.bits(1);
  if (c < 31) return FIVE_BIT[c];
  c = (c << 1) | reader.bits(1);
  return SIX_BIT[c - 62];
}
