/** Count, minimum and maximum of the finite values. */
export interface FiniteRange {
  count: number;
  min: number;
  max: number;
}

const EXPONENT = 0x7f800000;
const SIGN = 0x80000000;

/** One pass over the data: how many finite values and their range. */
export function finiteRange(data: Float32Array): FiniteRange {
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i += 1) {
    const v = data[i];
    if (v - v !== 0) continue; // false for NaN and ±Infinity, cheaper than Number.isFinite
    count += 1;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { count, min, max };
}

/**
 * Percentiles of the finite values, like `numpy.percentile(..., method='linear')` with fractions
 * in [0, 1] (0 = minimum, 1 = maximum). Exact and O(n) whatever the distribution: a two-pass
 * radix select on the float bits (high 16 bits, then low 16 bits of the wanted buckets). Sorting
 * a 16M-pixel copy costs ~1.7 s; this costs two linear passes. NaN when nothing is finite.
 */
export function percentiles(data: Float32Array, fractions: readonly number[]): number[] {
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  const high = highHistogram(bits);
  const count = high.reduce((a, b) => a + b, 0);
  if (count === 0) return fractions.map(() => NaN);
  const ranks = fractions.map((p) => Math.min(1, Math.max(0, p)) * (count - 1));
  const wanted = [...new Set(ranks.flatMap((r) => [Math.floor(r), Math.ceil(r)]))];
  const values = selectRanks(bits, high, wanted);
  return ranks.map((r) => {
    const lo = values.get(Math.floor(r)) as number;
    const hi = values.get(Math.ceil(r)) as number;
    return lo + (r - Math.floor(r)) * (hi - lo);
  });
}

/** Maps float bits to an unsigned key whose integer order is the numeric order. */
function sortKey(b: number): number {
  return (b & SIGN ? ~b : b | SIGN) >>> 0;
}

const keyScratch = new Uint32Array(1);
const floatScratch = new Float32Array(keyScratch.buffer);
function keyToFloat(key: number): number {
  keyScratch[0] = key & SIGN ? key ^ SIGN : ~key;
  return floatScratch[0];
}

function highHistogram(bits: Uint32Array): Uint32Array {
  const counts = new Uint32Array(65536);
  for (let i = 0; i < bits.length; i += 1) {
    const b = bits[i];
    if ((b & EXPONENT) !== EXPONENT) counts[sortKey(b) >>> 16] += 1;
  }
  return counts;
}

/** Bucket (by cumulative count) holding each rank, and the rank of the bucket's first value. */
function locate(high: Uint32Array, rank: number): { bucket: number; start: number } {
  let start = 0;
  for (let bucket = 0; bucket < high.length; bucket += 1) {
    if (rank < start + high[bucket]) return { bucket, start };
    start += high[bucket];
  }
  throw new RangeError(`rank ${rank} out of range`);
}

/** Second pass: low-16-bit histograms of the wanted buckets give the exact k-th values. */
function selectRanks(bits: Uint32Array, high: Uint32Array, ranks: number[]): Map<number, number> {
  const found = ranks.map((rank) => ({ rank, ...locate(high, rank) }));
  const buckets = [...new Set(found.map((f) => f.bucket))];
  const slot = new Int32Array(65536).fill(-1);
  buckets.forEach((b, i) => (slot[b] = i));
  const low = new Uint32Array(65536 * buckets.length);
  for (let i = 0; i < bits.length; i += 1) {
    const b = bits[i];
    if ((b & EXPONENT) === EXPONENT) continue;
    const key = sortKey(b);
    const s = slot[key >>> 16];
    if (s >= 0) low[s * 65536 + (key & 0xffff)] += 1;
  }
  const result = new Map<number, number>();
  for (const f of found) {
    const offset = slot[f.bucket] * 65536;
    let start = f.start;
    let k = 0;
    while (f.rank >= start + low[offset + k]) start += low[offset + k++];
    result.set(f.rank, keyToFloat(((f.bucket << 16) | k) >>> 0));
  }
  return result;
}
