import {
  InputFootprint,
  describeOverBudget,
  estimateAt,
  estimateCompositeMB,
  estimateMosaicMB,
  scaleToFit,
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
