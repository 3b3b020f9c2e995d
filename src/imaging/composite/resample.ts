import { Plane } from '../types';

/**
 * Bilinear resampling onto a width × height grid, pixel centres aligned (the image edges map to
 * the same edges). A NaN neighbour makes the result NaN, so "no data" never bleeds into values.
 */
export function resampleBilinear(plane: Plane, width: number, height: number): Plane {
  if (plane.width === width && plane.height === height) return plane;
  const out = new Float32Array(width * height);
  const xs = axisWeights(plane.width, width);
  const ys = axisWeights(plane.height, height);
  const src = plane.data;
  const sw = plane.width;
  for (let y = 0; y < height; y += 1) {
    const r0 = ys.lo[y] * sw;
    const r1 = ys.hi[y] * sw;
    const fy = ys.frac[y];
    for (let x = 0; x < width; x += 1) {
      const x0 = xs.lo[x];
      const x1 = xs.hi[x];
      const fx = xs.frac[x];
      const top = src[r0 + x0] + fx * (src[r0 + x1] - src[r0 + x0]);
      const bottom = src[r1 + x0] + fx * (src[r1 + x1] - src[r1 + x0]);
      out[y * width + x] = top + fy * (bottom - top);
    }
  }
  return { width, height, data: out };
}

/** For each output index: the two source indices and the weight of the second. */
function axisWeights(from: number, to: number) {
  const lo = new Int32Array(to);
  const hi = new Int32Array(to);
  const frac = new Float64Array(to);
  const scale = from / to;
  for (let i = 0; i < to; i += 1) {
    const s = Math.min(from - 1, Math.max(0, (i + 0.5) * scale - 0.5));
    lo[i] = Math.floor(s);
    hi[i] = Math.min(from - 1, lo[i] + 1);
    frac[i] = s - lo[i];
  }
  return { lo, hi, frac };
}
