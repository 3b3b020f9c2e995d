const MAX_SAMPLES = 1 << 20;

/**
 * Sky (background) level of a plane: the median of its finite values after iterative 3σ clipping
 * (as astropy `sigma_clipped_stats`, 5 iterations), on at most ~1 M evenly spaced samples.
 * NaN when nothing is finite.
 */
export function skyLevel(data: Float32Array, sigma = 3, iterations = 5): number {
  const step = Math.max(1, Math.floor(data.length / MAX_SAMPLES));
  let values: Float64Array = Float64Array.from(
    { length: Math.ceil(data.length / step) },
    (_, i) => data[i * step],
  ).filter((v) => Number.isFinite(v));
  if (values.length === 0) return NaN;
  values.sort();
  for (let k = 0; k < iterations; k += 1) {
    const median = medianOfSorted(values);
    let sum = 0;
    for (const v of values) sum += (v - median) ** 2;
    const std = Math.sqrt(sum / values.length);
    const kept = values.filter((v) => Math.abs(v - median) <= sigma * std);
    if (kept.length === values.length || kept.length === 0) break;
    values = kept;
  }
  return medianOfSorted(values);
}

function medianOfSorted(values: Float64Array): number {
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}
