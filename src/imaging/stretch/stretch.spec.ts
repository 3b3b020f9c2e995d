import { asinhStretch, gammaCurve, histEqStretch, logStretch } from './stretch-functions';
import { applyCurve, stretchInterval, stretchPlane } from './stretch-plane';
import { zscaleInterval } from './zscale';

describe('stretch functions', () => {
  it('should follow the astropy formulas', () => {
    // Values from astropy 5.2: LogStretch()(0.5), AsinhStretch(0.1)(0.5), AsinhStretch(0.01)(0.05)
    expect(logStretch()(0.5)).toBeCloseTo(0.8998157120437035, 12);
    expect(asinhStretch(0.1)(0.5)).toBeCloseTo(0.7712696419200371, 12);
    expect(asinhStretch(0.01)(0.05)).toBeCloseTo(0.4364456242544575, 12);
    expect([logStretch()(0), logStretch()(1), asinhStretch()(0), asinhStretch()(1)]).toEqual([
      0, 1, 0, 1,
    ]);
  });

  it('should brighten mid-tones when gamma > 1', () => {
    expect(gammaCurve(2)(0.25)).toBeCloseTo(0.5);
    expect(gammaCurve(0.5)(0.5)).toBeCloseTo(0.25);
  });

  it('should equalise a histogram to the empirical CDF', () => {
    const fn = histEqStretch(Float32Array.of(0, 0.1, 0.2, 1, NaN));
    expect([fn(0), fn(0.1), fn(0.15), fn(1)].map((v) => Number(v.toFixed(6)))).toEqual(
      [0, 1 / 3, 0.5, 1].map((v) => Number(v.toFixed(6))),
    );
  });

  it('should approximate the exact CDF closely when binned', () => {
    const data = Float32Array.from({ length: 20000 }, (_, i) => ((i * 7919) % 20000) / 19999);
    const exact = histEqStretch(data);
    const binned = histEqStretch(data, 0);
    for (const x of [0.01, 0.3, 0.77, 0.999]) expect(binned(x)).toBeCloseTo(exact(x), 3);
  });
});

describe('stretchPlane', () => {
  const data = Float32Array.from({ length: 101 }, (_, i) => i);

  it('should map percentiles to 0 and 1 and clip outside', () => {
    const out = stretchPlane(data, { stretch: 'linear', blackPoint: 0.1, whitePoint: 0.9 });
    expect([out[0], out[10], out[50], out[90], out[100]]).toEqual([0, 0, 0.5, 1, 1]);
  });

  it('should keep NaN and map a flat image to 0', () => {
    expect(Array.from(stretchPlane(Float32Array.of(NaN, 5, 5)))).toEqual([NaN, 0, 0]);
  });

  it('should stretch in place when out is the input', () => {
    const copy = data.slice();
    expect(stretchPlane(copy, { stretch: 'sqrt', blackPoint: 0, whitePoint: 1 }, copy)).toBe(copy);
    expect(copy[25]).toBeCloseTo(0.5);
  });

  it('should use zscale limits for the zscale stretch', () => {
    expect(stretchInterval(data, { stretch: 'zscale' })).toEqual(zscaleInterval(data));
    expect(stretchInterval(data, { blackPoint: 0, whitePoint: 1 })).toEqual([0, 100]);
  });
});

describe('applyCurve', () => {
  it('should match the exact curve within 2e-6 on large planes (table path)', () => {
    const data = Float32Array.from({ length: 1 << 18 }, (_, i) => i / ((1 << 18) - 1));
    const exact = asinhStretch(0.001);
    const copy = data.slice();
    applyCurve(copy, exact);
    let worst = 0;
    data.forEach((x, i) => (worst = Math.max(worst, Math.abs(copy[i] - exact(x)))));
    expect(worst).toBeLessThan(2e-6);
  });
});
