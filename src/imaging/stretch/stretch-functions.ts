/** Stretch names of the public API. `zscale` = zscale interval + linear stretch. */
export type StretchName = 'linear' | 'sqrt' | 'log' | 'asinh' | 'zscale' | 'histeq';

/** A map from normalised [0, 1] input to [0, 1] output. */
export type StretchFn = (x: number) => number;

/** astropy `LinearStretch`. */
export const linearStretch: StretchFn = (x) => x;

/** astropy `SqrtStretch`. */
export const sqrtStretch: StretchFn = Math.sqrt;

/** astropy `LogStretch(a)`: y = log(a·x + 1) / log(a + 1), a = 1000 by default. */
export function logStretch(a = 1000): StretchFn {
  const norm = 1 / Math.log(a + 1);
  return (x) => Math.log(a * x + 1) * norm;
}

/** astropy `AsinhStretch(a)`: y = asinh(x / a) / asinh(1 / a), a = 0.1 by default. */
export function asinhStretch(a = 0.1): StretchFn {
  const inv = 1 / a;
  const norm = 1 / Math.asinh(inv);
  return (x) => Math.asinh(x * inv) * norm;
}

/**
 * Gamma applied after the stretch: y = x^(1/gamma). We chose this direction (as in GIMP's levels,
 * Photoshop, PixInsight) so gamma > 1 brightens mid-tones and gamma < 1 darkens them; 1 is identity.
 */
export function gammaCurve(gamma: number): StretchFn {
  const p = 1 / gamma;
  return (x) => Math.pow(x, p);
}

/**
 * astropy `HistEqStretch(data)` for data already normalised to [0, 1]: output is the empirical
 * CDF, `np.interp(x, sort(data'), linspace(0, 1, n))` with data' rescaled to its own min/max.
 * Exact (sorted copy) up to `exactLimit` finite values; beyond, a 65536-bin CDF with linear
 * interpolation inside bins (error below one bin's share of pixels) keeps 16M pixels fast.
 */
export function histEqStretch(normalised: Float32Array, exactLimit = 1 << 20): StretchFn {
  const finite = finiteValues(normalised);
  if (finite.length < 2) return linearStretch;
  return finite.length <= exactLimit ? exactCdf(finite.sort()) : binnedCdf(finite);
}

function finiteValues(data: Float32Array): Float32Array {
  const out = new Float32Array(data.length);
  let n = 0;
  for (let i = 0; i < data.length; i += 1) {
    const v = data[i];
    if (v - v === 0) out[n++] = v;
  }
  return out.subarray(0, n);
}

function exactCdf(sorted: Float32Array): StretchFn {
  const n = sorted.length;
  const min = sorted[0];
  const span = sorted[n - 1] - min || 1;
  const xs = Float64Array.from(sorted, (v) => (v - min) / span);
  return (x) => {
    if (x < xs[0]) return 0;
    if (x >= xs[n - 1]) return 1;
    // Last index with xs[i] <= x, as np.interp's search does (matters for ties).
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (xs[mid] <= x) lo = mid;
      else hi = mid;
    }
    const t = xs[hi] > xs[lo] ? (x - xs[lo]) / (xs[hi] - xs[lo]) : 0;
    return (lo + t) / (n - 1);
  };
}

const CDF_BINS = 65536;

function binnedCdf(values: Float32Array): StretchFn {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i += 1) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const scale = CDF_BINS / (max - min || 1);
  const counts = new Float64Array(CDF_BINS + 1);
  for (let i = 0; i < values.length; i += 1) {
    counts[Math.min(CDF_BINS - 1, Math.floor((values[i] - min) * scale)) + 1] += 1;
  }
  for (let b = 1; b <= CDF_BINS; b += 1) counts[b] += counts[b - 1];
  const last = values.length - 1;
  return (x) => {
    const pos = Math.min(CDF_BINS, Math.max(0, x * CDF_BINS));
    const b = Math.min(CDF_BINS - 1, Math.floor(pos));
    const rank = counts[b] + (pos - b) * (counts[b + 1] - counts[b]);
    return Math.min(1, Math.max(0, (rank - 1) / last));
  };
}
