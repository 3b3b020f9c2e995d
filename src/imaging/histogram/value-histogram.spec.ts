import { valueHistogram } from './value-histogram';

/** Reference binning: the last edge at or below the value, from float64 linspace edges. */
function reference(values: Float32Array, bins: number): number[] {
  const finite = Array.from(values).filter(Number.isFinite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const edges = Array.from({ length: bins + 1 }, (_, i) =>
    i === bins ? max : min + (i * (max - min)) / bins,
  );
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) {
    let k = bins - 1;
    while (k > 0 && v < edges[k]) k -= 1;
    counts[k] += 1;
  }
  return counts;
}

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('valueHistogram', () => {
  it('should count values into equal bins between min and max, the last bin closed', () => {
    const h = valueHistogram(Float32Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10), 5);
    expect(h).toMatchObject({ min: 0, max: 10, binWidth: 2, count: 12, nanCount: 0 });
    expect(h.counts).toEqual([2, 2, 2, 2, 4]);
  });

  it('should leave NaN and infinities out and count them', () => {
    const h = valueHistogram(Float32Array.of(NaN, -1, Infinity, 1, -Infinity), 16);
    expect(h).toMatchObject({ min: -1, max: 1, count: 2, nanCount: 3 });
    expect(h.counts[0]).toBe(1);
    expect(h.counts[15]).toBe(1);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('should report exact percentiles like numpy', () => {
    const data = Float32Array.from({ length: 1001 }, (_, i) => 1000 - i);
    const h = valueHistogram(data, 16);
    expect(h.percentiles).toEqual({
      p0_1: 1,
      p0_5: 5,
      p1: 10,
      p50: 500,
      p99: 990,
      p99_5: 995,
      p99_9: 999,
    });
  });

  it('should match reference binning on values that fall on bin edges', () => {
    const next = random(7);
    const data = Float32Array.from({ length: 5000 }, () => Math.round(next() * 300) / 7 - 3);
    for (const bins of [16, 100, 256, 999]) {
      expect(valueHistogram(data, bins).counts).toEqual(reference(data, bins));
    }
  });

  it('should put everything in the first bin when all values are equal', () => {
    const h = valueHistogram(Float32Array.of(5, 5, NaN), 16);
    expect(h).toMatchObject({ min: 5, max: 5, binWidth: 0, count: 2, nanCount: 1 });
    expect(h.counts[0]).toBe(2);
  });

  it('should answer nulls when nothing is finite', () => {
    const h = valueHistogram(Float32Array.of(NaN, NaN), 16);
    expect(h).toMatchObject({ min: null, max: null, count: 0, nanCount: 2 });
    expect(h.percentiles.p50).toBeNull();
    expect(h.counts).toEqual(new Array(16).fill(0));
  });
});
