import { percentiles } from './percentile';
import {
  StretchFn,
  StretchName,
  asinhStretch,
  gammaCurve,
  histEqStretch,
  linearStretch,
  logStretch,
  sqrtStretch,
} from './stretch-functions';
import { zscaleInterval } from './zscale';

/** How one plane is mapped to display values in [0, 1]. Defaults: {@link STRETCH_DEFAULTS}. */
export interface StretchParams {
  stretch?: StretchName;
  /** Percentile fraction (0..1) of finite pixels mapped to 0. Ignored by `zscale`. */
  blackPoint?: number;
  /** Percentile fraction (0..1) of finite pixels mapped to 1. Ignored by `zscale`. */
  whitePoint?: number;
  /** y = x^(1/gamma) after the stretch: > 1 brightens. */
  gamma?: number;
  /** Softening `a` of the asinh stretch. */
  asinhA?: number;
}

/** API defaults of every stretch parameter. */
export const STRETCH_DEFAULTS: Required<StretchParams> = {
  stretch: 'asinh',
  blackPoint: 0.001,
  whitePoint: 0.999,
  gamma: 1,
  asinhA: 0.1,
};

/** Input values mapped to 0 and 1: zscale limits, or the black/white percentiles. */
export function stretchInterval(data: Float32Array, params: StretchParams = {}): [number, number] {
  const p = { ...STRETCH_DEFAULTS, ...params };
  if (p.stretch === 'zscale') return zscaleInterval(data);
  const [lo, hi] = percentiles(data, [p.blackPoint, p.whitePoint]);
  return [lo, hi];
}

/**
 * Maps a plane to [0, 1]: interval → normalise and clip (astropy order) → stretch → gamma.
 * NaN stays NaN so callers decide what "no data" looks like. A flat interval maps to 0.
 * Writes into `out` (which may be `data` itself, to save memory).
 */
export function stretchPlane(
  data: Float32Array,
  params: StretchParams = {},
  out?: Float32Array,
): Float32Array {
  const p = { ...STRETCH_DEFAULTS, ...params };
  const [vmin, vmax] = stretchInterval(data, p);
  const target = out ?? new Float32Array(data.length);
  const scale = vmax > vmin ? 1 / (vmax - vmin) : 0;
  normalise(data, target, vmin, scale);
  const fn = composeCurve(stretchFunction(target, p), p.gamma);
  if (fn !== linearStretch) applyCurve(target, fn);
  return target;
}

function normalise(data: Float32Array, out: Float32Array, vmin: number, scale: number): void {
  for (let i = 0; i < data.length; i += 1) {
    const x = (data[i] - vmin) * scale;
    out[i] = x < 0 ? 0 : x > 1 ? 1 : x; // NaN fails both tests and stays NaN
  }
}

/** The curve of a stretch name; histeq needs the normalised data to build its CDF. */
export function stretchFunction(normalised: Float32Array, params: StretchParams = {}): StretchFn {
  const p = { ...STRETCH_DEFAULTS, ...params };
  switch (p.stretch) {
    case 'linear':
    case 'zscale':
      return linearStretch;
    case 'sqrt':
      return sqrtStretch;
    case 'log':
      return logStretch();
    case 'asinh':
      return asinhStretch(p.asinhA);
    case 'histeq':
      return histEqStretch(normalised);
  }
}

function composeCurve(fn: StretchFn, gamma: number): StretchFn {
  if (gamma === 1) return fn;
  const g = gammaCurve(gamma);
  return fn === linearStretch ? g : (x) => g(fn(x));
}

const LUT_SIZE = 65536;
const LUT_MIN_PIXELS = 1 << 18;

/**
 * Applies the curve in place. Large planes go through a 65537-entry table with linear
 * interpolation: ~4× faster than calling Math.asinh/log per pixel, error < 2e-6 (below a
 * 16-bit output step) for the smooth curves we use.
 */
export function applyCurve(data: Float32Array, fn: StretchFn): void {
  if (data.length < LUT_MIN_PIXELS) {
    for (let i = 0; i < data.length; i += 1) if (data[i] === data[i]) data[i] = fn(data[i]);
    return;
  }
  const lut = new Float64Array(LUT_SIZE + 2);
  for (let k = 0; k <= LUT_SIZE; k += 1) lut[k] = fn(k / LUT_SIZE);
  lut[LUT_SIZE + 1] = lut[LUT_SIZE]; // lets x = 1 interpolate without a branch
  for (let i = 0; i < data.length; i += 1) {
    const pos = data[i] * LUT_SIZE;
    if (pos !== pos) continue;
    const k = pos | 0;
    data[i] = lut[k] + (pos - k) * (lut[k + 1] - lut[k]);
  }
}
