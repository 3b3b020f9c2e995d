import { gzipSync } from 'node:zlib';
import { readFits } from '../fits/fits-reader';
import { writeFits } from '../fits/fits-writer';
import {
  describeWithTool,
  fitsverify,
  hasReproject,
  hasFitsverify,
  runPython,
  withTempFile,
} from '../testing/external-tools';
import { CelestialWcs, readWcs } from '../wcs/celestial-wcs';
import { wcsCards } from '../wcs/wcs-cards';
import { WcsTransform } from '../wcs/wcs-transform';
import { wcsMosaic } from './wcs-mosaic';

/** A smooth sky brightness at (ra, dec) degrees. */
const skyAt = (ra: number, dec: number) =>
  100 + 3000 * (ra - 150) + 2000 * (dec - 2) + 20 * Math.sin(ra * 900) * Math.cos(dec * 700);

function tile(crval: [number, number], rotationDeg: number, scaleArcsec: number, extra = {}) {
  const r = (rotationDeg * Math.PI) / 180;
  const s = scaleArcsec / 3600;
  const wcs: CelestialWcs = {
    projection: 'TAN',
    crpix: [30.5, 25.5],
    crval,
    cd: [-s * Math.cos(r), s * Math.sin(r), s * Math.sin(r), s * Math.cos(r)],
    lonpole: 180,
    latpole: 90,
    frame: 'icrs',
  };
  const width = 60;
  const height = 50;
  const t = new WcsTransform(wcs);
  const out = new Float64Array(2);
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) {
      t.pixelToWorld(x, y, out);
      data[y * width + x] = skyAt(out[0], out[1]);
    }
  const cards = [
    ...wcsCards(wcs),
    { keyword: 'TELESCOP', value: 'JWST' },
    ...Object.entries(extra).map(([keyword, value]) => ({ keyword, value: value as string })),
  ];
  return writeFits({ width, height, data }, { cards });
}

const tiles = () => [
  tile([150, 2], 0, 1.0, { FILTER: 'F200W' }),
  tile([150.008, 2.004], 25, 1.2, { FILTER: 'F200W' }),
  tile([149.995, 2.009], -40, 0.9, { FILTER: 'F444W' }),
];

const COADD = `
import json, sys, warnings, numpy as np
from astropy.io import fits
from astropy.wcs import WCS
from reproject import reproject_interp
from reproject.mosaicking import reproject_and_coadd
warnings.simplefilter("ignore")
ours = fits.open(sys.argv[1])
inputs = [fits.open(p)[0] for p in sys.argv[2:]]
h = ours[0].header
ref, fp = reproject_and_coadd(inputs, WCS(h), shape_out=ours[0].data.shape, reproject_function=reproject_interp, combine_function="mean")
print(json.dumps({"ref": [None if not np.isfinite(v) else float(v) for v in ref.ravel()],
  "cov": ours["COVERAGE"].data.ravel().tolist(), "fp": fp.ravel().tolist(),
  "keys": {k: str(h.get(k)) for k in ("NINPUTS", "COMBMETH", "TELESCOP", "FILTER", "SRC0002")}}))`;

describeWithTool(hasReproject, 'astropy + reproject', 'wcsMosaic (reproject_and_coadd)', () => {
  it('should coadd like reproject_and_coadd on its own grid and record coverage', async () => {
    const inputs = tiles();
    const result = await wcsMosaic(
      inputs.map((b) => Buffer.from(b)),
      {
        layout: 'wcs',
        format: 'fits',
        names: ['a.fits', 'b.fits', 'c.fits'],
      },
    );
    const ours = readFits(result.buffer).data;
    const paths: string[] = [];
    const files = [result.buffer, ...inputs];
    const nest = (k: number): ReturnType<typeof run> =>
      k === files.length
        ? run(paths)
        : withTempFile(files[k], '.fits', (p) => {
            paths.push(p);
            return nest(k + 1);
          });
    const run = (p: string[]) =>
      JSON.parse(runPython(COADD, p)) as {
        ref: Array<number | null>;
        cov: number[];
        fp: number[];
        keys: Record<string, string>;
      };
    const expected = nest(0);
    let worst = 0;
    let compared = 0;
    expected.ref.forEach((v, i) => {
      if (v === null || Number.isNaN(ours[i])) return;
      compared += 1;
      worst = Math.max(worst, Math.abs(ours[i] - v) / Math.abs(v));
    });
    expect(compared).toBeGreaterThan(result.width * result.height * 0.5);
    expect(worst).toBeLessThan(1e-4);
    const mismatched = expected.fp.filter((f, i) => f !== expected.cov[i]).length;
    expect(mismatched).toBeLessThan(result.width * result.height * 0.01);
    expect(Math.max(...expected.cov)).toBe(3);
    expect(expected.keys).toEqual({
      NINPUTS: '3',
      COMBMETH: 'MEAN',
      TELESCOP: 'JWST',
      FILTER: 'None',
      SRC0002: 'b.fits',
    });
  });

  it('should be north up at the finest input scale and put sky values at their pixels', async () => {
    const result = await wcsMosaic(tiles(), {
      layout: 'wcs',
      format: 'fits',
      interpolation: 'nearest',
    });
    const image = readFits(result.buffer);
    const wcs = readWcs(image.cards)!;
    expect(wcs.cd[1]).toBe(0);
    expect(wcs.cd[2]).toBe(0);
    expect(wcs.cd[3] * 3600).toBeCloseTo(0.9, 9);
    const t = new WcsTransform(wcs);
    const out = new Float64Array(2);
    t.worldToPixel(150.004, 2.003, out);
    const v = image.data[Math.round(out[1]) * image.width + Math.round(out[0])];
    expect(Math.abs(v - skyAt(150.004, 2.003))).toBeLessThan(2);
  });
});

describeWithTool(hasFitsverify, 'fitsverify', 'wcsMosaic (fitsverify)', () => {
  it('should write a FITS file with a COVERAGE extension that passes fitsverify', async () => {
    const result = await wcsMosaic(tiles(), {
      layout: 'wcs',
      format: 'fits',
      backgroundMatch: true,
    });
    const check = fitsverify(result.buffer);
    expect(check.output).not.toMatch(/error/i);
    expect(check.ok).toBe(true);
  });
});

describe('wcsMosaic (compressed inputs)', () => {
  it('should read the WCS of gzip-compressed tiles and give the same mosaic', async () => {
    const plain = await wcsMosaic(tiles(), { layout: 'wcs', format: 'fits' });
    const zipped = await wcsMosaic(
      tiles().map((b) => gzipSync(b)),
      { layout: 'wcs', format: 'fits' },
    );
    expect(zipped.buffer.equals(plain.buffer)).toBe(true);
  });

  it('should refuse a tile without a celestial WCS', async () => {
    const bare = writeFits({ width: 2, height: 2, data: new Float32Array(4) });
    await expect(wcsMosaic([tiles()[0], bare], { layout: 'wcs' })).rejects.toMatchObject({
      code: 'invalid_options',
    });
  });
});
