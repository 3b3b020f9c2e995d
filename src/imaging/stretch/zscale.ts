/** Parameters of IRAF's zscale, defaults as astropy `ZScaleInterval`. */
export interface ZScaleOptions {
  nSamples?: number;
  contrast?: number;
  maxReject?: number;
  minNpixels?: number;
  krej?: number;
  maxIterations?: number;
}

const DEFAULTS: Required<ZScaleOptions> = {
  nSamples: 1000,
  contrast: 0.25,
  maxReject: 0.5,
  minNpixels: 5,
  krej: 2.5,
  maxIterations: 5,
};

/**
 * Display limits [vmin, vmax] following astropy's `ZScaleInterval.get_limits` step for step
 * (same sampling stride, weighted line fit, k-sigma rejection with mask dilation), so results
 * match astropy to float precision. [NaN, NaN] when no value is finite.
 */
export function zscaleInterval(data: Float32Array, options: ZScaleOptions = {}): [number, number] {
  const o = { ...DEFAULTS, ...options };
  const samples = sample(data, o.nSamples);
  const npix = samples.length;
  if (npix === 0) return [NaN, NaN];
  let vmin = samples[0];
  let vmax = samples[npix - 1];
  const minpix = Math.max(o.minNpixels, Math.floor(npix * o.maxReject));
  const fit = rejectFit(samples, minpix, o);
  if (fit) {
    const slope = o.contrast > 0 ? fit.slope / o.contrast : fit.slope;
    const center = Math.floor((npix - 1) / 2);
    const median = npix % 2 ? samples[center] : (samples[center] + samples[center + 1]) / 2;
    vmin = Math.max(vmin, median - (center - 1) * slope);
    vmax = Math.min(vmax, median + (npix - center) * slope);
  }
  return [vmin, vmax];
}

/** Every stride-th finite value, at most n of them, sorted (as astropy does). */
function sample(data: Float32Array, n: number): Float64Array {
  let finite = 0;
  for (let i = 0; i < data.length; i += 1) if (Number.isFinite(data[i])) finite += 1;
  const stride = Math.max(1, Math.floor(finite / n));
  const out: number[] = [];
  let seen = 0;
  for (let i = 0; i < data.length && out.length < n; i += 1) {
    if (!Number.isFinite(data[i])) continue;
    if (seen % stride === 0) out.push(data[i]);
    seen += 1;
  }
  return Float64Array.from(out).sort();
}

/** Iterative line fit with k-sigma rejection; the last fit when enough pixels stay good. */
function rejectFit(samples: Float64Array, minpix: number, o: Required<ZScaleOptions>) {
  const npix = samples.length;
  let bad: Uint8Array = new Uint8Array(npix);
  let good = npix;
  let lastGood = npix + 1;
  let fit: { slope: number; intercept: number } | undefined;
  const grow = Math.max(1, Math.floor(npix * 0.01));
  for (let it = 0; it < o.maxIterations; it += 1) {
    if (good >= lastGood || good < minpix) break;
    fit = lineFit(samples, bad);
    const threshold = o.krej * residualStd(samples, bad, fit);
    for (let i = 0; i < npix; i += 1) {
      const flat = samples[i] - (fit.intercept + fit.slope * i);
      if (flat < -threshold || flat > threshold) bad[i] = 1;
    }
    bad = dilate(bad, grow);
    lastGood = good;
    good = bad.reduce((n, b) => n + (b ? 0 : 1), 0);
  }
  return good >= minpix ? fit : undefined;
}

/** Least-squares line through the good samples (x = index). */
function lineFit(y: Float64Array, bad: Uint8Array): { slope: number; intercept: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < y.length; i += 1) {
    if (bad[i]) continue;
    n += 1;
    sx += i;
    sy += y[i];
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < y.length; i += 1) {
    if (bad[i]) continue;
    sxy += (i - mx) * (y[i] - my);
    sxx += (i - mx) * (i - mx);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

/** Population standard deviation of the good residuals (numpy `std`, ddof = 0). */
function residualStd(y: Float64Array, bad: Uint8Array, fit: { slope: number; intercept: number }) {
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < y.length; i += 1) {
    if (bad[i]) continue;
    const r = y[i] - (fit.intercept + fit.slope * i);
    n += 1;
    sum += r;
    sum2 += r * r;
  }
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sum2 / n - mean * mean));
}

/** `np.convolve(bad, ones(grow), mode='same')`: marks neighbours of bad samples as bad. */
function dilate(bad: Uint8Array, grow: number): Uint8Array {
  const out = new Uint8Array(bad.length);
  const ahead = Math.floor((grow - 1) / 2);
  const behind = grow - 1 - ahead;
  for (let i = 0; i < bad.length; i += 1) {
    if (!bad[i]) continue;
    const from = Math.max(0, i - ahead);
    const to = Math.min(bad.length - 1, i + behind);
    for (let j = from; j <= to; j += 1) out[j] = 1;
  }
  return out;
}
