import { finiteRange, percentiles } from './percentile';

/** Reference: numpy.percentile(method='linear') by sorting. */
function reference(values: number[], p: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const r = p * (sorted.length - 1);
  const lo = Math.floor(r);
  return sorted[lo] + (r - lo) * ((sorted[Math.ceil(r)] ?? sorted[lo]) - sorted[lo]);
}

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('percentiles', () => {
  it('should interpolate linearly like numpy', () => {
    const data = Float32Array.of(4, 1, 3, 2);
    expect(percentiles(data, [0, 0.5, 1, 0.25, 0.1])).toEqual([1, 2.5, 4, 1.75, 1.3]);
  });

  it('should ignore NaN and infinities', () => {
    const data = Float32Array.of(NaN, 10, Infinity, 20, -Infinity, 30);
    expect(percentiles(data, [0, 0.5, 1])).toEqual([10, 20, 30]);
    expect(finiteRange(data)).toEqual({ count: 3, min: 10, max: 30 });
  });

  it('should return NaN when nothing is finite and the value when all are equal', () => {
    expect(percentiles(Float32Array.of(NaN, NaN), [0.5])).toEqual([NaN]);
    expect(percentiles(Float32Array.of(7, 7, 7), [0.1, 0.9])).toEqual([7, 7]);
  });

  it('should match a sorted reference on skewed data with ties and outliers', () => {
    const rnd = random(42);
    const values = Array.from({ length: 50000 }, () => {
      const r = rnd();
      return r < 0.3 ? 100 : r < 0.31 ? 1e9 : Math.fround(Math.exp(rnd() * 10));
    });
    const data = Float32Array.from(values);
    const fractions = [0, 0.001, 0.25, 0.5, 0.6, 0.999, 1];
    const got = percentiles(data, fractions);
    fractions.forEach((p, i) => expect(got[i]).toBeCloseTo(reference(Array.from(data), p), 3));
  });
});
