import { ImageDecodeError } from '../errors';

/** How a tile-compressed float image was quantised (`ZQUANTIZ`, `ZDITHER0`). */
export interface Dither {
  method: string;
  /** `ZDITHER0`: 1..10000, offsets the random sequence by tile. */
  seed: number;
}

/** One tile's linear scaling and null marker (ZSCALE, ZZERO, ZBLANK columns or keywords). */
export interface TileScaling {
  scale: number;
  zero: number;
  /** Integer that marks an undefined pixel (NaN when none). */
  blank: number;
}

const N_RANDOM = 10000;
/** SUBTRACTIVE_DITHER_2 writes this for pixels that were exactly 0.0. */
const ZERO_VALUE = -2147483646;

let randoms: Float32Array | undefined;

/**
 * The tiled-image convention's 10000 uniform random numbers: the Park–Miller generator
 * (a = 16807, m = 2^31 − 1, seed 1) in double precision, each stored as a C `float`, exactly as
 * cfitsio's `fits_init_randoms`. The 10000th seed must be 1043618065.
 */
export function ditherRandoms(): Float32Array {
  if (randoms) return randoms;
  const a = 16807;
  const m = 2147483647;
  const values = new Float32Array(N_RANDOM);
  let seed = 1;
  for (let i = 0; i < N_RANDOM; i += 1) {
    const temp = a * seed;
    seed = temp - m * Math.trunc(temp / m);
    values[i] = seed / m;
  }
  if (seed !== 1043618065) throw new Error('dither random sequence is wrong');
  randoms = values;
  return values;
}

/**
 * Quantised integers back to floats, as cfitsio's `unquantize_i4r4`: NO_DITHER is
 * `i × scale + zero`; the subtractive dithers subtract the tile's random offsets,
 * `(i − r + 0.5) × scale + zero`, where the sequence starts at
 * `(tile + ZDITHER0 − 1) mod 10000` (tile 0-based) and advances one value per pixel.
 * The null marker gives NaN; with SUBTRACTIVE_DITHER_2 the ZERO_VALUE marker gives exactly 0.
 */
export function unquantize(
  raw: Int32Array,
  s: TileScaling,
  dither: Dither,
  tile: number,
): Float64Array {
  const out = new Float64Array(raw.length);
  const { scale, zero, blank } = s;
  if (dither.method === 'NO_DITHER' || dither.method === 'NONE') {
    for (let i = 0; i < raw.length; i += 1) out[i] = raw[i] === blank ? NaN : raw[i] * scale + zero;
    return out;
  }
  if (dither.method !== 'SUBTRACTIVE_DITHER_1' && dither.method !== 'SUBTRACTIVE_DITHER_2') {
    throw new ImageDecodeError(`unknown quantisation '${dither.method}'`);
  }
  const zeros = dither.method === 'SUBTRACTIVE_DITHER_2';
  const r = ditherRandoms();
  let iseed = (((tile + dither.seed - 1) % N_RANDOM) + N_RANDOM) % N_RANDOM;
  let next = Math.trunc(Math.fround(r[iseed] * 500));
  for (let i = 0; i < raw.length; i += 1) {
    const v = raw[i];
    if (v === blank) out[i] = NaN;
    else if (zeros && v === ZERO_VALUE) out[i] = 0;
    else out[i] = (v - r[next] + 0.5) * scale + zero;
    next += 1;
    if (next === N_RANDOM) {
      iseed = (iseed + 1) % N_RANDOM;
      next = Math.trunc(Math.fround(r[iseed] * 500));
    }
  }
  return out;
}
