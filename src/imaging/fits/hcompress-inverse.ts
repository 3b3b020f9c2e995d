/**
 * The inverse H-transform of HCOMPRESS_1 (cfitsio's hinv, unshuffle and hsmooth) on integers
 * held exactly in float64. The C code's bit operations become arithmetic that is exact for any
 * integer below 2^53 and agrees with two's complement: `x & -2^k` is a floor to a multiple of
 * 2^k, `x >> k` a floor division, and bit k of x is ⌊x / 2^k⌋ mod 2.
 */

/** x rounded down to a multiple of `step` (a power of two): C's `x & -step`. */
const floorTo = (x: number, step: number) => Math.floor(x / step) * step;

/** `bit` (a power of two) when that bit of x (two's complement) is set, else 0: C's `x & bit`. */
function bitOf(x: number, bit: number): number {
  return Math.floor(x / bit) % 2 !== 0 ? bit : 0;
}

/** Rounding state of one expansion level: `bitK` = 2^(level + K), `rndK` its half. */
interface Level {
  bit0: number;
  bit1: number;
  prnd0: number;
  nrnd0: number;
  prnd1: number;
  nrnd1: number;
  /** Final division: 2 on every level but the last, which divides by 4. */
  divide: number;
}

/**
 * Inverts the H-transform of an nx × ny array in place (ny is the fast axis), level by level
 * from the 1 × 1 top: coefficients are unshuffled, optionally smoothed, then each 2 × 2 block's
 * sum and differences (h0, hx, hy, hc), rounded as the coder left them, become four pixels.
 */
export function hinv(a: Float64Array, nx: number, ny: number, smooth: boolean, scale: number) {
  let log2n = 0;
  while (2 ** log2n < Math.max(nx, ny)) log2n += 1;
  if (log2n === 0) return;
  const tmp = new Float64Array((Math.max(nx, ny) + 1) >> 1);
  const bit0 = 2 ** (log2n - 1);
  a[0] = floorTo(a[0] + (a[0] >= 0 ? 2 * bit0 : 2 * bit0 - 1), 4 * bit0);
  let nxtop = 1;
  let nytop = 1;
  let nxf = nx;
  let nyf = ny;
  let c = 2 ** log2n;
  for (let k = log2n - 1; k >= 0; k -= 1) {
    // Level sizes: ntop[k-1] = (ntop[k] + 1) / 2 with ntop[log2n] = nx, ny.
    c /= 2;
    nxtop = 2 * nxtop - (nxf <= c ? 1 : 0);
    nytop = 2 * nytop - (nyf <= c ? 1 : 0);
    if (nxf > c) nxf -= c;
    if (nyf > c) nyf -= c;
    for (let i = 0; i < nxtop; i += 1) unshuffle(a, ny * i, nytop, 1, tmp);
    for (let j = 0; j < nytop; j += 1) unshuffle(a, j, nxtop, ny, tmp);
    if (smooth) hsmooth(a, nxtop, nytop, ny, scale);
    expandLevel(a, nxtop, nytop, ny, levelAt(k));
  }
}

function levelAt(k: number): Level {
  const bit0 = 2 ** k;
  const prnd0 = Math.floor(bit0 / 2);
  // On the last level prnd0 is 0 and cfitsio sets nrnd0 to 0 (not -1).
  const nrnd0 = k === 0 ? 0 : prnd0 - 1;
  return {
    bit0,
    bit1: 2 * bit0,
    prnd0,
    nrnd0,
    prnd1: bit0,
    nrnd1: bit0 - 1,
    divide: k === 0 ? 4 : 2,
  };
}

/** One level: every 2 × 2 block of the nxtop × nytop corner, then odd last row and column. */
function expandLevel(a: Float64Array, nxtop: number, nytop: number, ny: number, l: Level): void {
  const oddx = nxtop % 2;
  const oddy = nytop % 2;
  const round1 = (h: number) => floorTo(h + (h >= 0 ? l.prnd1 : l.nrnd1), l.bit1);
  const fold1 = (h0: number, h: number) => {
    const lowbit1 = bitOf(h, l.bit1);
    return h0 >= 0 ? h0 - lowbit1 : h0 + lowbit1;
  };
  let i = 0;
  for (; i < nxtop - oddx; i += 2) {
    const s00 = ny * i;
    const s10 = s00 + ny;
    let j = 0;
    for (; j < nytop - oddy; j += 2) block(a, s00 + j, s10 + j, l);
    if (oddy) {
      const hx = round1(a[s10 + j]);
      const h0 = fold1(a[s00 + j], hx);
      a[s10 + j] = Math.floor((h0 + hx) / l.divide);
      a[s00 + j] = Math.floor((h0 - hx) / l.divide);
    }
  }
  if (!oddx) return;
  const s00 = ny * i;
  let j = 0;
  for (; j < nytop - oddy; j += 2) {
    const hy = round1(a[s00 + j + 1]);
    const h0 = fold1(a[s00 + j], hy);
    a[s00 + j + 1] = Math.floor((h0 + hy) / l.divide);
    a[s00 + j] = Math.floor((h0 - hy) / l.divide);
  }
  if (oddy) a[s00 + j] = Math.floor(a[s00 + j] / l.divide);
}

/** A full 2 × 2 block at rows s00 (i) and s10 (i + 1), columns j and j + 1. */
function block(a: Float64Array, s00: number, s10: number, l: Level): void {
  let h0 = a[s00];
  let hx = floorTo(a[s10] + (a[s10] >= 0 ? l.prnd1 : l.nrnd1), l.bit1);
  let hy = floorTo(a[s00 + 1] + (a[s00 + 1] >= 0 ? l.prnd1 : l.nrnd1), l.bit1);
  const hc = floorTo(a[s10 + 1] + (a[s10 + 1] >= 0 ? l.prnd0 : l.nrnd0), l.bit0);
  // Bit 0 of hc goes to hx and hy; bits 0 and 1 of hc, hx, hy go to h0 (also when negative).
  const lowbit0 = bitOf(hc, l.bit0);
  hx = hx >= 0 ? hx - lowbit0 : hx + lowbit0;
  hy = hy >= 0 ? hy - lowbit0 : hy + lowbit0;
  const parity = (bitOf(hc, l.bit1) + bitOf(hx, l.bit1) + bitOf(hy, l.bit1)) / l.bit1;
  const lowbit1 = parity % 2 === 1 ? l.bit1 : 0;
  h0 = h0 >= 0 ? h0 + lowbit0 - lowbit1 : h0 + (lowbit0 === 0 ? lowbit1 : lowbit0 - lowbit1);
  a[s10 + 1] = Math.floor((h0 + hx + hy + hc) / l.divide);
  a[s10] = Math.floor((h0 + hx - hy - hc) / l.divide);
  a[s00 + 1] = Math.floor((h0 - hx + hy - hc) / l.divide);
  a[s00] = Math.floor((h0 - hx - hy + hc) / l.divide);
}

/**
 * Interleaves n values spaced `stride` apart from `offset`: the first half goes to the even
 * places, the second half to the odd ones.
 */
function unshuffle(a: Float64Array, offset: number, n: number, stride: number, tmp: Float64Array) {
  const half = (n + 1) >> 1;
  for (let i = half; i < n; i += 1) tmp[i - half] = a[offset + stride * i];
  for (let i = half - 1; i >= 0; i -= 1) a[offset + 2 * stride * i] = a[offset + stride * i];
  for (let i = 1; i < n; i += 2) a[offset + stride * i] = tmp[(i - 1) >> 1];
}

const clamp = (v: number, lo: number, hi: number) => Math.max(Math.min(v, hi), lo);

/**
 * SMOOTH = 1: moves the x, y and curvature differences of inner blocks toward what their
 * neighbours' means suggest, within monotonicity limits and by at most scale / 2 (the rounding
 * the coder allowed). Edge coefficients are left as they are.
 */
function hsmooth(a: Float64Array, nxtop: number, nytop: number, ny: number, scale: number) {
  const smax = scale >> 1;
  if (smax <= 0) return;
  const ny2 = 2 * ny;
  for (let i = 2; i < nxtop - 2; i += 2) {
    for (let j = 0; j < nytop; j += 2) {
      const s00 = ny * i + j;
      adjustSlope(a, s00 + ny, a[s00 - ny2], a[s00], a[s00 + ny2], smax);
    }
  }
  for (let i = 0; i < nxtop; i += 2) {
    for (let j = 2; j < nytop - 2; j += 2) {
      const s00 = ny * i + j;
      adjustSlope(a, s00 + 1, a[s00 - 2], a[s00], a[s00 + 2], smax);
    }
  }
  for (let i = 2; i < nxtop - 2; i += 2) {
    for (let j = 2; j < nytop - 2; j += 2) adjustCurvature(a, ny * i + j, ny, smax);
  }
}

/** A slope coefficient at `at` toward (hp − hm) / 8, limited as cfitsio limits it. */
function adjustSlope(
  a: Float64Array,
  at: number,
  hm: number,
  h0: number,
  hp: number,
  smax: number,
) {
  const dmax = Math.max(Math.min(hp - h0, h0 - hm), 0) * 4;
  const dmin = Math.min(Math.max(hp - h0, h0 - hm), 0) * 4;
  if (dmin >= dmax) return;
  const s = clamp(hp - hm, dmin, dmax) - a[at] * 8;
  a[at] += clamp(s >= 0 ? Math.floor(s / 8) : Math.floor((s + 7) / 8), -smax, smax);
}

/** The curvature coefficient of the block at s00 toward its four diagonal neighbours. */
function adjustCurvature(a: Float64Array, s00: number, ny: number, smax: number): void {
  const ny2 = 2 * ny;
  const s10 = s00 + ny;
  const [hmm, hpm, hmp, hpp] = [
    a[s00 - ny2 - 2],
    a[s00 + ny2 - 2],
    a[s00 - ny2 + 2],
    a[s00 + ny2 + 2],
  ];
  const h0 = a[s00];
  const hx2 = a[s10] * 2;
  const hy2 = a[s00 + 1] * 2;
  const m1 = Math.min(Math.max(hpp - h0, 0) - hx2 - hy2, Math.max(h0 - hpm, 0) + hx2 - hy2);
  const m2 = Math.min(Math.max(h0 - hmp, 0) - hx2 + hy2, Math.max(hmm - h0, 0) + hx2 + hy2);
  const dmax = Math.min(m1, m2) * 16;
  const n1 = Math.max(Math.min(hpp - h0, 0) - hx2 - hy2, Math.min(h0 - hpm, 0) + hx2 - hy2);
  const n2 = Math.max(Math.min(h0 - hmp, 0) - hx2 + hy2, Math.min(hmm - h0, 0) + hx2 + hy2);
  const dmin = Math.max(n1, n2) * 16;
  if (dmin >= dmax) return;
  const s = clamp(hpp + hmm - hmp - hpm, dmin, dmax) - a[s10 + 1] * 64;
  a[s10 + 1] += clamp(s >= 0 ? Math.floor(s / 64) : Math.floor((s + 63) / 64), -smax, smax);
}
