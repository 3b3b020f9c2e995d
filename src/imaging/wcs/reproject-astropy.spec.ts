import { writeFits } from '../fits/fits-writer';
import { describeWithTool, hasReproject, runPython, withTempFile } from '../testing/external-tools';
import { Plane } from '../types';
import { CelestialWcs } from './celestial-wcs';
import { skyFootprint } from './footprint';
import { Interpolation, reprojectPlane } from './reproject';
import { wcsCards } from './wcs-cards';

const tan = (over: Partial<CelestialWcs>): CelestialWcs => ({
  projection: 'TAN',
  crpix: [35.5, 30.2],
  crval: [83.8, -5.4],
  cd: [-2.7e-4, 0.6e-4, 0.55e-4, 2.8e-4],
  lonpole: 180,
  latpole: 90,
  frame: 'icrs',
  ...over,
});

/** A smooth sky with a few sharp stars and a NaN hole. */
function sky(width: number, height: number): Plane {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) {
      let v = 100 + 0.7 * x - 0.3 * y + 5 * Math.sin(x / 7) * Math.cos(y / 5);
      for (const [sx, sy] of [
        [20, 15],
        [50, 40],
        [12, 48],
      ])
        v += 500 * Math.exp(-((x - sx) ** 2 + (y - sy) ** 2) / 4);
      data[y * width + x] = v;
    }
  data[30 * width + 40] = NaN;
  return { width, height, data };
}

const OUTPUT = tan({ crpix: [40, 33], crval: [83.801, -5.4005], cd: [-2.2e-4, 0, 0, 2.2e-4] });
const SIP_INPUT = tan({
  sip: {
    a: [
      [2, 0, 3e-5],
      [1, 1, -2e-5],
      [0, 2, 1e-5],
    ],
    b: [
      [2, 0, -1e-5],
      [0, 2, 2e-5],
      [1, 1, 1.5e-5],
    ],
  },
});

const SCRIPT = `
import json, sys, warnings, numpy as np
from astropy.io import fits
from astropy.wcs import WCS
from reproject import reproject_interp
warnings.simplefilter("ignore")
hdu = fits.open(sys.argv[1])[0]
out = fits.Header()
for k, v in json.loads(sys.argv[2]).items(): out[k] = v
res = {}
for order in (0, 1):
    arr, _ = reproject_interp(hdu, out, shape_out=(int(sys.argv[4]), int(sys.argv[3])), order=order)
    res[str(order)] = [None if not np.isfinite(v) else float(v) for v in arr.ravel()]
w = WCS(hdu.header)
res["footprint"] = w.calc_footprint(center=False).tolist()
print(json.dumps(res))`;

function astropyReproject(src: Plane, from: CelestialWcs, to: CelestialWcs, w: number, h: number) {
  const file = writeFits(src, { cards: wcsCards(from) });
  const header = Object.fromEntries(wcsCards(to).map((c) => [c.keyword, c.value]));
  return withTempFile(file, '.fits', (path) =>
    JSON.parse(runPython(SCRIPT, [path, JSON.stringify(header), String(w), String(h)])),
  ) as { '0': Array<number | null>; '1': Array<number | null>; footprint: number[][] };
}

describeWithTool(hasReproject, 'astropy + reproject', 'reprojectPlane (reproject_interp)', () => {
  const src = sky(70, 60);
  const W = 90;
  const H = 80;
  const box = { x0: 0, y0: 0, x1: W - 1, y1: H - 1 };

  it.each<[string, CelestialWcs]>([
    ['TAN', tan({})],
    ['TAN-SIP', SIP_INPUT],
  ])('should match reproject_interp order 0 and 1 for a %s input', (_name, from) => {
    const expected = astropyReproject(src, from, OUTPUT, W, H);
    (['nearest', 'bilinear'] as Interpolation[]).forEach((interpolation, order) => {
      const ours = reprojectPlane(src, from, OUTPUT, box, interpolation).data;
      const theirs = expected[String(order) as '0' | '1'];
      let compared = 0;
      let mismatched = 0;
      let worst = 0;
      theirs.forEach((t, i) => {
        const o = ours[i];
        if ((t === null) !== Number.isNaN(o)) mismatched += 1;
        if (t === null || Number.isNaN(o)) return;
        compared += 1;
        worst = Math.max(worst, Math.abs(o - t) / Math.max(1, Math.abs(t)));
      });
      expect(compared).toBeGreaterThan(W * H * 0.4);
      expect(compared).toBeLessThan(W * H); // part of the output lies outside the input
      expect(mismatched).toBeLessThanOrEqual(3); // the NaN hole's neighbours and the edges agree
      expect(worst).toBeLessThan(1e-4);
    });
  });

  it('should give the same footprint corners as calc_footprint(center=False)', () => {
    const from = SIP_INPUT;
    const { footprint } = astropyReproject(src, from, OUTPUT, 4, 4);
    const { corners } = skyFootprint(from, src.width, src.height);
    corners.forEach((c, i) => {
      expect(Math.abs(c.ra - footprint[i][0]) * 3600).toBeLessThan(1e-6);
      expect(Math.abs(c.dec - footprint[i][1]) * 3600).toBeLessThan(1e-6);
    });
  });
});
