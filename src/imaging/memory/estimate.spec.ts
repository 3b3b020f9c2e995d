import {
  InputFootprint,
  alignMoment,
  channelCopies,
  describeOverBudget,
  estimateAt,
  estimateCompositeMB,
  estimateMosaicMB,
  scaleToFit,
  worseMoment,
} from './estimate';

const png = (side: number, channels = 1): InputFootprint => ({
  format: 'png',
  width: side,
  height: side,
  channels,
  bitDepth: 8,
  bytes: 250_000,
});
const fits = (side: number, bitDepth = 32): InputFootprint => ({
  format: 'fits',
  width: side,
  height: side,
  channels: 1,
  bitDepth,
  bytes: side * side * (bitDepth / 8),
});

describe('estimateCompositeMB', () => {
  it('should put a 16000² zero PNG far above a 2 GB budget', () => {
    const e = estimateCompositeMB([png(16000)]);
    expect(e.totalMB).toBeGreaterThan(2048);
    expect(e.totalMB).toBeLessThan(4096);
  });

  it('should grow with each channel and with 16-bit output', () => {
    const one = estimateCompositeMB([fits(4096)]).totalMB;
    const three = estimateCompositeMB([fits(4096), fits(4096), fits(4096)]).totalMB;
    const sixteen = estimateCompositeMB([fits(4096)], { bitDepth: 16 }).totalMB;
    expect(three).toBeGreaterThan(one + 2 * 64);
    expect(sixteen).toBeGreaterThan(one);
  });

  it('should keep a FITS full-size decode fixed and shrink raster decodes', () => {
    const f = estimateCompositeMB([fits(8192)]);
    const p = estimateCompositeMB([png(8192)]);
    expect(f.fixedMB).toBeGreaterThan((8192 * 8192 * 8) / 2 ** 20);
    expect(p.fixedMB).toBeLessThan(70);
  });

  it('should cost only the overhead with no inputs', () => {
    expect(estimateCompositeMB([]).totalMB).toBe(64);
  });
});

describe('estimateCompositeMB (align: "wcs")', () => {
  const MB = 2 ** 20;
  const SAFETY = 1.15;
  const side = 2000;
  const plane = side * side * 4; // one float32 channel copy on the 2000² output grid
  const maps = 64 * side * 16; // one strip of float64 x and y input coordinates
  const decode = side * side * (4 + 4); // a float32 FITS channel: aligned raw copy + plane

  it('should count the copies and coordinate strip of the aligning step', () => {
    const inputs = [fits(side), fits(side), fits(side)];
    expect(channelCopies(inputs, { align: 'wcs' })).toEqual([0, plane, plane]);
    expect(channelCopies(inputs, { align: 'pixel' })).toEqual([0, 0, 0]);
    // Channel 3: channel 2's copy held, its decode, its new plane and the strip (> 2 copies).
    expect(alignMoment(inputs, [0, plane, plane], { align: 'wcs' })).toEqual({
      fixed: decode + maps,
      scalable: 2 * plane,
    });
  });

  it('should grow by the extra channel copies when they outlast the encode (FITS, 8 channels)', () => {
    const inputs = Array.from({ length: 8 }, () => fits(side));
    const pixel = estimateCompositeMB(inputs, { format: 'fits', align: 'pixel' });
    const wcs = estimateCompositeMB(inputs, { format: 'fits', align: 'wcs' });
    // Pixel: 9 planes (sums + cube written twice). Aligned: 3 sums + 7 copies + 1 resample.
    expect((wcs.totalMB - pixel.totalMB) * MB).toBeCloseTo(2 * plane * SAFETY, 0);
    expect((wcs.fixedMB - pixel.fixedMB) * MB).toBeCloseTo(maps * SAFETY, 0);
  });

  it('should keep a 3-channel PNG at the encode peak and count the strip as fixed', () => {
    const inputs = [fits(side), fits(side), fits(side)];
    const pixel = estimateCompositeMB(inputs, { align: 'pixel' });
    const wcs = estimateCompositeMB(inputs, { align: 'wcs' });
    // The copies are decoded in place and become the planes the encode holds anyway.
    expect(wcs.totalMB).toBeCloseTo(pixel.totalMB, 9);
    expect((wcs.fixedMB - pixel.fixedMB) * MB).toBeCloseTo(maps * SAFETY, 0);
    // Downscaled, the estimate still covers the aligning step at that scale.
    const files = 3 * side * side * 4;
    const aligning = (s: number) =>
      64 + ((files + decode + maps + 2 * plane * s * s) * SAFETY) / MB;
    for (const s of [0.1, 0.5, 0.9]) expect(estimateAt(wcs, s)).toBeGreaterThanOrEqual(aligning(s));
  });

  it('should let downscale reach a budget that the aligned FITS composite exceeds', () => {
    const inputs = Array.from({ length: 8 }, () => fits(side));
    const wcs = estimateCompositeMB(inputs, { format: 'fits', align: 'wcs' });
    const budget = Math.floor(wcs.totalMB) - 100;
    const s = scaleToFit(wcs, budget) as number;
    expect(s).toBeLessThan(1);
    expect(estimateAt(wcs, s)).toBeLessThanOrEqual(budget);
  });
});

describe('worseMoment', () => {
  it('should be exact at full size and never below either moment downscaled', () => {
    const a = { fixed: 100, scalable: 10 };
    const b = { fixed: 20, scalable: 200 };
    const w = worseMoment(a, b);
    expect(w.fixed + w.scalable).toBe(220);
    for (const s of [0, 0.3, 0.7, 1]) {
      const at = (m: typeof a) => m.fixed + m.scalable * s * s;
      expect(at(w)).toBeGreaterThanOrEqual(Math.max(at(a), at(b)) - 1e-9);
    }
  });
});

describe('estimateMosaicMB', () => {
  it('should scale with the output grid and its canvas planes', () => {
    const tiles = [fits(1024), fits(1024)];
    const small = estimateMosaicMB(tiles, { width: 2048, height: 1024 });
    const big = estimateMosaicMB(tiles, { width: 8192, height: 8192 });
    const wcs = estimateMosaicMB(tiles, { width: 8192, height: 8192, canvasPlanes: 3 });
    expect(big.scalableMB).toBeGreaterThan(small.scalableMB * 20);
    expect(wcs.totalMB).toBeGreaterThan(big.totalMB);
    expect(small.fixedMB).toBe(big.fixedMB);
  });
});

describe('scaleToFit', () => {
  it('should answer 1 when the estimate fits', () => {
    expect(scaleToFit({ fixedMB: 100, scalableMB: 100, totalMB: 200 }, 2048)).toBe(1);
  });

  it('should find the largest factor whose estimate fits', () => {
    const e = { fixedMB: 100, scalableMB: 3000, totalMB: 3100 };
    const s = scaleToFit(e, 2048) as number;
    expect(s).toBe(0.8);
    expect(estimateAt(e, s)).toBeLessThanOrEqual(2048);
    expect(estimateAt(e, s + 0.01)).toBeGreaterThan(2048);
  });

  it('should answer null when the fixed part alone is over budget', () => {
    expect(scaleToFit({ fixedMB: 3000, scalableMB: 100, totalMB: 3100 }, 2048)).toBeNull();
  });
});

describe('describeOverBudget', () => {
  it('should give the estimate, the budget and the factor', () => {
    const text = describeOverBudget({ fixedMB: 100, scalableMB: 3000, totalMB: 3100 }, 2048);
    expect(text).toBe('needs ~3100 MB, budget 2048 MB: downscale to 0.80 or below');
    expect(describeOverBudget({ fixedMB: 3000, scalableMB: 1, totalMB: 3001 }, 2048)).toMatch(
      /too large even downscaled/,
    );
  });
});
