import { ImageDecodeError } from '../errors';

/** Rice code parameters by bytes per pixel (cfitsio `fits_rdecomp`, `_short`, `_byte`). */
const PARAMS: Record<number, { fsBits: number; fsMax: number; bBits: number }> = {
  1: { fsBits: 3, fsMax: 6, bBits: 8 },
  2: { fsBits: 4, fsMax: 14, bBits: 16 },
  4: { fsBits: 5, fsMax: 25, bBits: 32 },
};

/** Bit length of each byte value (the position of its highest set bit, 1-based; 0 for 0). */
const BIT_LENGTH = Uint8Array.from({ length: 256 }, (_, b) => (b === 0 ? 0 : 32 - Math.clz32(b)));

/**
 * Decodes a RICE_1 tile (FITS tiled-image convention, as cfitsio's ricecomp.c): the first pixel
 * is stored raw (`bytepix` bytes, big-endian), then blocks of `blockSize` differences, each
 * block led by its `fs` code: all equal (fs < 0), raw values (fs = fsMax) or Rice codes.
 * Values wrap like the C integer type of `bytepix` bytes (unsigned byte, signed short, int).
 */
export function riceDecode(
  input: Uint8Array,
  count: number,
  blockSize: number,
  bytepix: number,
): Int32Array {
  const params = PARAMS[bytepix];
  if (!params) throw new ImageDecodeError(`RICE_1 BYTEPIX ${bytepix} is not supported`);
  const { fsBits, fsMax, bBits } = params;
  const out = new Int32Array(count);
  const wrap = wrapper(bytepix);
  let c = 0;
  let lastpix = 0;
  for (let k = 0; k < bytepix; k += 1) lastpix = lastpix * 256 + byte(input, c++);
  lastpix = wrap(lastpix);
  let b = byte(input, c++);
  let nbits = 8;
  for (let i = 0; i < count;) {
    nbits -= fsBits;
    while (nbits < 0) {
      b = b * 256 + byte(input, c++);
      nbits += 8;
    }
    const fs = Math.floor(b / 2 ** nbits) - 1;
    b %= 2 ** nbits;
    const end = Math.min(i + blockSize, count);
    if (fs < 0) {
      for (; i < end; i += 1) out[i] = lastpix;
    } else if (fs === fsMax) {
      for (; i < end; i += 1) {
        // bBits raw bits: what is left of b, then whole bytes, then the top of the next byte.
        let diff = b;
        let need = bBits - nbits;
        while (need >= 8) {
          diff = diff * 256 + byte(input, c++);
          need -= 8;
        }
        if (need > 0) {
          const next = byte(input, c++);
          diff = diff * 2 ** need + (next >> (8 - need));
          b = next & ((1 << (8 - need)) - 1);
          nbits = 8 - need;
        } else {
          b = 0;
          nbits = 0;
        }
        lastpix = wrap(unzigzag(diff) + lastpix);
        out[i] = lastpix;
      }
    } else {
      for (; i < end; i += 1) {
        while (b === 0) {
          nbits += 8;
          b = byte(input, c++);
        }
        const nzero = nbits - BIT_LENGTH[b];
        nbits -= nzero + 1;
        b -= 2 ** nbits; // drop the leading one bit
        nbits -= fs;
        while (nbits < 0) {
          b = b * 256 + byte(input, c++);
          nbits += 8;
        }
        const diff = nzero * 2 ** fs + Math.floor(b / 2 ** nbits);
        b %= 2 ** nbits;
        lastpix = wrap(unzigzag(diff) + lastpix);
        out[i] = lastpix;
      }
    }
  }
  return out;
}

function byte(input: Uint8Array, at: number): number {
  if (at >= input.length) throw new ImageDecodeError('RICE_1 tile is truncated');
  return input[at];
}

/** Undoes the sign mapping: even → non-negative, odd → negative (as `~(diff >> 1)`). */
function unzigzag(diff: number): number {
  const half = Math.floor(diff / 2);
  return diff % 2 === 0 ? half : -half - 1;
}

/** Wraps a sum to the C type of `bytepix` bytes: unsigned char, short, int. */
function wrapper(bytepix: number): (v: number) => number {
  if (bytepix === 1) return (v) => v & 0xff;
  if (bytepix === 2) return (v) => (v << 16) >> 16;
  return (v) => v | 0;
}
