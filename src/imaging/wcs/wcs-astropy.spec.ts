import { FitsCard, FitsValue, formatCard, parseCard } from '../fits/fits-card';
import { describeWithTool, hasAstropy, runPython } from '../testing/external-tools';
import { readWcs } from './celestial-wcs';
import { WcsTransform } from './wcs-transform';

type Header = Record<string, FitsValue>;

const base = (ctype: string, extra: Header): Header => ({
  NAXIS: 2,
  NAXIS1: 120,
  NAXIS2: 90,
  CTYPE1: `RA---${ctype}`,
  CTYPE2: `DEC--${ctype}`,
  CRPIX1: 60.5,
  CRPIX2: 45.25,
  CRVAL1: 150.1,
  CRVAL2: 2.2,
  ...extra,
});

const rotatedCd = { CD1_1: -2.1e-4, CD1_2: 0.9e-4, CD2_1: 0.85e-4, CD2_2: 2.0e-4 };
const sip: Header = {
  A_ORDER: 3,
  B_ORDER: 3,
  A_2_0: 2.1e-5,
  A_1_1: -1.3e-5,
  A_0_2: 0.8e-5,
  A_3_0: 3e-8,
  A_1_2: -2e-8,
  B_2_0: -1.1e-5,
  B_1_1: 1.6e-5,
  B_0_2: 1.9e-5,
  B_0_3: 2e-8,
  B_2_1: 1e-8,
};

/** Headers covering the keyword forms the reader must handle; `tol` in pixels. */
const CASES: Array<[string, Header, number]> = [
  ['TAN with a rotated CD matrix', base('TAN', rotatedCd), 1e-6],
  [
    'TAN with PC + CDELT',
    base('TAN', {
      CDELT1: -3e-4,
      CDELT2: 2.5e-4,
      PC1_1: 0.9,
      PC1_2: 0.3,
      PC2_1: -0.25,
      PC2_2: 0.95,
    }),
    1e-6,
  ],
  ['TAN with CROTA2', base('TAN', { CDELT1: -2e-4, CDELT2: 2e-4, CROTA2: 33 }), 1e-6],
  ['TAN near the pole', base('TAN', { ...rotatedCd, CRVAL1: 10, CRVAL2: 89.99 }), 1e-6],
  [
    'TAN across RA 0 in FK5',
    base('TAN', { ...rotatedCd, CRVAL1: 0.001, CRVAL2: -30, RADESYS: 'FK5', EQUINOX: 2000 }),
    1e-6,
  ],
  ['TAN with LONPOLE', base('TAN', { ...rotatedCd, LONPOLE: 170 }), 1e-6],
  [
    'TAN-SIP',
    { ...base('TAN-SIP', { CD1_1: -2.8e-4, CD1_2: 0, CD2_1: 0, CD2_2: 2.8e-4 }), ...sip },
    1e-3,
  ],
  ['TAN-SIP rotated', { ...base('TAN-SIP', rotatedCd), ...sip }, 1e-3],
  ['SIN', base('SIN', rotatedCd), 1e-6],
  ['ZEA', base('ZEA', { ...rotatedCd, CRVAL2: -65 }), 1e-6],
  ['CAR', base('CAR', { CDELT1: -0.5, CDELT2: 0.5, CRVAL1: 30, CRVAL2: 0 }), 1e-6],
  [
    'CAR off the equator',
    base('CAR', { CDELT1: -0.1, CDELT2: 0.1, CRVAL1: 30, CRVAL2: -20 }),
    1e-6,
  ],
];

function cardsOf(header: Header): FitsCard[] {
  return Object.entries(header).map(([k, v]) => parseCard(formatCard(k, v)));
}

/** Pixel grid covering the image and a margin around it, 0-based. */
function points(width: number, height: number): number[][] {
  const out: number[][] = [];
  for (let y = -5; y <= height + 5; y += 7.3)
    for (let x = -5; x <= width + 5; x += 6.7) out.push([x, y]);
  return out;
}

const SCRIPT = `
import json, sys, numpy as np, warnings
from astropy.io import fits
from astropy.wcs import WCS
warnings.simplefilter("ignore")
cases = json.load(sys.stdin)
out = []
for case in cases:
    h = fits.Header()
    for k, v in case["header"].items(): h[k] = v
    w = WCS(h)
    p = np.array(case["pixels"], dtype=float)
    world = w.all_pix2world(p[:, 0], p[:, 1], 0)
    back = w.all_world2pix(world[0], world[1], 0, tolerance=1e-12, maxiter=200)
    out.append({"world": np.array(world).T.tolist(), "pixels": np.array(back).T.tolist()})
print(json.dumps(out))`;

/** Angular distance in degrees between two (ra, dec) points. */
function separation(a: number[], b: number[]): number {
  const r = Math.PI / 180;
  const s =
    Math.sin(a[1] * r) * Math.sin(b[1] * r) +
    Math.cos(a[1] * r) * Math.cos(b[1] * r) * Math.cos((a[0] - b[0]) * r);
  const dx = Math.cos(a[1] * r) * Math.sin((a[0] - b[0]) * r);
  const dy = Math.sin((a[1] - b[1]) * r);
  return Math.atan2(Math.hypot(dx, dy), s) / r;
}

describeWithTool(hasAstropy, 'astropy', 'WcsTransform (astropy.wcs)', () => {
  const inputs = CASES.map(([, header]) => ({
    header,
    pixels: points(header.NAXIS1 as number, header.NAXIS2 as number),
  }));
  let expected: Array<{ world: number[][]; pixels: number[][] }>;
  beforeAll(() => {
    expected = JSON.parse(
      runPython(`import sys; exec(sys.argv[1])`, [
        SCRIPT.replace('json.load(sys.stdin)', 'json.loads(sys.argv[2])'),
        JSON.stringify(inputs),
      ]),
    ) as typeof expected;
  });

  it.each(CASES.map((c, i) => [c[0], i, c[2]] as const))(
    'should match astropy pixel↔world for %s',
    (_name, index, tol) => {
      const wcs = readWcs(cardsOf(inputs[index].header));
      expect(wcs).not.toBeNull();
      const t = new WcsTransform(wcs!);
      const scale = Math.sqrt(Math.abs(wcs!.cd[0] * wcs!.cd[3] - wcs!.cd[1] * wcs!.cd[2]));
      const out = new Float64Array(2);
      let worst = 0;
      let worstBack = 0;
      inputs[index].pixels.forEach(([x, y], k) => {
        const world = expected[index].world[k];
        t.pixelToWorld(x, y, out);
        worst = Math.max(worst, separation([out[0], out[1]], world) / scale);
        t.worldToPixel(world[0], world[1], out);
        const [ex, ey] = expected[index].pixels[k];
        worstBack = Math.max(worstBack, Math.hypot(out[0] - ex, out[1] - ey));
      });
      expect(inputs[index].pixels.length).toBeGreaterThan(200);
      expect(worst).toBeLessThan(tol);
      expect(worstBack).toBeLessThan(tol);
    },
  );
});
