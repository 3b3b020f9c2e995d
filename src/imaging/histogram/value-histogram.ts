import { finiteRange, percentiles } from '../stretch/percentile';

/** The percentiles every histogram reports, by name (`p0_1` = 0.1 %, the default black point). */
export const HISTOGRAM_PERCENTILES = {
  p0_1: 0.001,
  p0_5: 0.005,
  p1: 0.01,
  p50: 0.5,
  p99: 0.99,
  p99_5: 0.995,
  p99_9: 0.999,
} as const;

export type HistogramPercentiles = Record<keyof typeof HISTOGRAM_PERCENTILES, number | null>;

/**
 * Equal-width histogram of the finite values of a plane. `counts[i]` holds the values in
 * `[min + i·binWidth, min + (i+1)·binWidth)`, the last bin also holding `max` (numpy.histogram
 * with `range=(min, max)`). When every finite value is equal, `binWidth` is 0 and all are in bin 0.
 * With no finite value, `min`, `max` and the percentiles are null.
 */
export interface ValueHistogram {
  min: number | null;
  max: number | null;
  binWidth: number;
  counts: number[];
  /** Finite values counted. */
  count: number;
  /** Values left out: NaN (FITS BLANK) and ±Infinity. */
  nanCount: number;
  /** Exact percentiles of the finite values (numpy `method='linear'`). */
  percentiles: HistogramPercentiles;
}

/** Counts every finite value of `data` into `bins` bins between its minimum and maximum. */
export function valueHistogram(data: Float32Array, bins: number): ValueHistogram {
  const { count, min, max } = finiteRange(data);
  const nanCount = data.length - count;
  if (count === 0) {
    const none = Object.fromEntries(Object.keys(HISTOGRAM_PERCENTILES).map((k) => [k, null]));
    return {
      min: null,
      max: null,
      binWidth: 0,
      counts: new Array<number>(bins).fill(0),
      count,
      nanCount,
      percentiles: none as HistogramPercentiles,
    };
  }
  const counts = binCounts(data, bins, min, max);
  return {
    min,
    max,
    binWidth: (max - min) / bins,
    counts,
    count,
    nanCount,
    percentiles: named(data),
  };
}

function named(data: Float32Array): HistogramPercentiles {
  const keys = Object.keys(HISTOGRAM_PERCENTILES) as (keyof typeof HISTOGRAM_PERCENTILES)[];
  const values = percentiles(
    data,
    keys.map((k) => HISTOGRAM_PERCENTILES[k]),
  );
  return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as HistogramPercentiles;
}

/** One pass; a value's bin is checked against the float64 edges, as numpy does. */
function binCounts(data: Float32Array, bins: number, min: number, max: number): number[] {
  const counts = new Float64Array(bins);
  const span = max - min;
  if (span === 0) {
    for (let i = 0; i < data.length; i += 1) if (data[i] - data[i] === 0) counts[0] += 1;
    return Array.from(counts);
  }
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i <= bins; i += 1) edges[i] = min + (i * span) / bins;
  edges[bins] = max;
  const norm = bins / span;
  const last = bins - 1;
  for (let i = 0; i < data.length; i += 1) {
    const v = data[i];
    if (v - v !== 0) continue; // NaN and ±Infinity
    let k = Math.floor((v - min) * norm);
    if (k > last) k = last;
    if (v < edges[k]) k -= 1;
    else if (k < last && v >= edges[k + 1]) k += 1;
    counts[k] += 1;
  }
  return Array.from(counts);
}
