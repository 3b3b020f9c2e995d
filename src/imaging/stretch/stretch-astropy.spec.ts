import { describeWithTool, hasAstropy, runPython, withTempFile } from '../testing/external-tools';
import { percentiles } from './percentile';
import { StretchName } from './stretch-functions';
import { stretchPlane } from './stretch-plane';
import { zscaleInterval } from './zscale';

/** Deterministic synthetic sky: noisy background, a few stars, some NaN. */
function sky(n: number): Float32Array {
  let s = 7;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return Float32Array.from({ length: n }, (_, i) => {
    if (i % 97 === 0) return NaN;
    const star = rnd() < 0.01 ? 5000 * rnd() : 0;
    return 1000 + 20 * (rnd() + rnd() + rnd() - 1.5) + star;
  });
}

const SCRIPT = `
import json, sys, numpy as np
from astropy.visualization import (ZScaleInterval, LinearStretch, SqrtStretch, LogStretch,
    AsinhStretch, HistEqStretch, PowerStretch)
d = np.fromfile(sys.argv[1], dtype='<f4')
f = d[np.isfinite(d)]
lo, hi = np.percentile(f, [0.1, 99.9])
x = np.clip((d - lo) / (hi - lo), 0, 1)
zlo, zhi = ZScaleInterval().get_limits(d)
z = np.clip((d - zlo) / (zhi - zlo), 0, 1)
out = {
  "percentiles": [float(v) for v in np.percentile(f, [0, 0.1, 25, 50, 99.9, 100])],
  "zscale": [float(zlo), float(zhi)],
  "linear": LinearStretch()(x.copy()), "sqrt": SqrtStretch()(x.copy()),
  "log": LogStretch()(x.copy()), "asinh": AsinhStretch(0.05)(x.copy()),
  "histeq": HistEqStretch(x)(x.copy()), "zscale_plane": LinearStretch()(z.copy()),
  "gamma": PowerStretch(1 / 2.2)(AsinhStretch(0.1)(x.copy())),
}
print(json.dumps({k: [None if np.isnan(v) else float(v) for v in np.asarray(a)] if k not in ("percentiles", "zscale") else a for k, a in out.items()}))
`;

describeWithTool(hasAstropy, 'astropy', 'stretches (astropy cross-check)', () => {
  const data = sky(4096);
  let expected: Record<string, Array<number | null>>;
  beforeAll(() => {
    const bytes = new Uint8Array(data.buffer);
    expected = JSON.parse(withTempFile(bytes, '.f32', (file) => runPython(SCRIPT, [file])));
  });

  function expectClose(got: Float32Array | number[], want: Array<number | null>, digits: number) {
    expect(got.length).toBe(want.length);
    Array.from(got).forEach((v, i) => {
      const w = want[i];
      if (w === null) expect(v).toBeNaN();
      else expect(v).toBeCloseTo(w, digits);
    });
  }

  it('should compute the same percentiles as numpy', () => {
    expectClose(percentiles(data, [0, 0.001, 0.25, 0.5, 0.999, 1]), expected.percentiles, 2);
  });

  it('should compute the same zscale limits as ZScaleInterval', () => {
    expectClose(zscaleInterval(data), expected.zscale, 2);
  });

  it.each<[string, StretchName, number]>([
    ['linear', 'linear', 0.1],
    ['sqrt', 'sqrt', 0.1],
    ['log', 'log', 0.1],
    ['asinh', 'asinh', 0.05],
    ['histeq', 'histeq', 0.1],
    ['zscale_plane', 'zscale', 0.1],
  ])('should match astropy for %s', (key, stretch, asinhA) => {
    expectClose(stretchPlane(data, { stretch, asinhA }), expected[key], 4);
  });

  it('should match PowerStretch(1/gamma) after asinh for gamma', () => {
    expectClose(stretchPlane(data, { stretch: 'asinh', gamma: 2.2 }), expected.gamma, 4);
  });
});
