import { CelestialWcs } from './celestial-wcs';
import { SkyImage, footprintGroups, planOutputGrid } from './output-grid';

const image = (ra: number, dec: number, arcsec = 1, size = 100): SkyImage => {
  const s = arcsec / 3600;
  const wcs: CelestialWcs = {
    projection: 'TAN',
    crpix: [(size + 1) / 2, (size + 1) / 2],
    crval: [ra, dec],
    cd: [-s, 0, 0, s],
    lonpole: 180,
    latpole: 90,
    frame: 'icrs',
  };
  return { wcs, width: size, height: size };
};

describe('planOutputGrid', () => {
  it('should cover side-by-side tiles at the finest scale, north up', () => {
    const grid = planOutputGrid([image(150, 0, 1), image(150 - 100 / 3600, 0, 0.5, 200)]);
    expect(grid.wcs.cd).toEqual([-0.5 / 3600, 0, 0, 0.5 / 3600]);
    // 200″ × 100″ of sky at 0.5″ with the reference on a pixel centre: one more pixel each way.
    expect(grid.width).toBe(401);
    expect(grid.height).toBe(201);
  });

  it('should honour a given pixel scale', () => {
    expect(planOutputGrid([image(10, 20)], { pixelScaleArcsec: 2 }).width).toBe(51);
  });

  it('should refuse tiles no TAN grid can hold', () => {
    expect(() => planOutputGrid([image(10, 0), image(190, 0)])).toThrow(/too much sky/);
  });
});

describe('footprintGroups', () => {
  it('should count groups of overlapping footprints', () => {
    const a = image(150, 2);
    const b = image(150 + 80 / 3600, 2); // overlaps a
    const c = image(151, 2); // far away
    const grid = planOutputGrid([a, b, c]).wcs;
    expect(footprintGroups([a, b, c], grid)).toBe(2);
    expect(footprintGroups([a, b], grid)).toBe(1);
  });
});
