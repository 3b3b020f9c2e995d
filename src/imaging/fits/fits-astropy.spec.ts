import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeWithTool,
  fitsverify,
  hasAstropy,
  hasFitsverify,
  runPython,
} from '../testing/external-tools';
import { Bitpix } from './fits-header';
import { readFits } from './fits-reader';
import { writeFits } from './fits-writer';

const BITPIXES: Bitpix[] = [8, 16, 32, 64, -32, -64];
const data = Float32Array.from({ length: 12 }, (_, i) => (i === 5 ? NaN : i * 3 + 1));

function ours(bitpix: Bitpix): Buffer {
  return writeFits(
    { width: 4, height: 3, data },
    { bitpix, cards: [{ keyword: 'OBJECT', value: 'test', comment: 'synthetic' }] },
  );
}

describeWithTool(hasFitsverify, 'fitsverify', 'writeFits (fitsverify)', () => {
  it.each(BITPIXES)('should pass fitsverify for BITPIX %i', (bitpix) => {
    const result = fitsverify(ours(bitpix));
    expect(result.output).not.toMatch(/error/i);
    expect(result.ok).toBe(true);
  });

  it('should pass fitsverify for an RGB cube and unsigned 16-bit data', () => {
    const cube = new Float32Array(4 * 3 * 3).fill(0.5);
    expect(fitsverify(writeFits({ width: 4, height: 3, depth: 3, data: cube })).ok).toBe(true);
    expect(
      fitsverify(writeFits({ width: 4, height: 3, data }, { bitpix: 16, bzero: 32768 })).ok,
    ).toBe(true);
  });
});

describeWithTool(hasAstropy, 'astropy', 'FITS codec (astropy)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'darkroom-fits-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should write files that astropy reads back with the same values', () => {
    for (const bitpix of BITPIXES) writeFileSync(join(dir, `ours${bitpix}.fits`), ours(bitpix));
    const script = `
import json, sys, numpy as np
from astropy.io import fits
out = {}
for b in ${JSON.stringify(BITPIXES)}:
    with fits.open(f"{sys.argv[1]}/ours{b}.fits") as h:
        d = h[0].data.astype(np.float64).ravel()
        out[str(b)] = {"data": [None if np.isnan(v) else float(v) for v in d], "object": h[0].header["OBJECT"]}
print(json.dumps(out))`;
    const result = JSON.parse(runPython(script, [dir]));
    const expected = Array.from(data, (v) => (Number.isNaN(v) ? null : v));
    for (const bitpix of BITPIXES) {
      expect(result[String(bitpix)]).toEqual({ data: expected, object: 'test' });
    }
  });

  it('should read files written by astropy (BLANK, BZERO/BSCALE, extensions, cubes)', () => {
    const script = `
import json, sys, numpy as np
from astropy.io import fits
d = sys.argv[1]
a = (np.arange(20, dtype=np.int16).reshape(4, 5) * 3 - 10)
h = fits.PrimaryHDU(a); h.header["BLANK"] = -10; h.writeto(f"{d}/blank.fits")
fits.PrimaryHDU(np.arange(20, dtype=np.uint16).reshape(4, 5) * 3000).writeto(f"{d}/uint16.fits")
s = fits.PrimaryHDU(np.arange(20, dtype=np.float64).reshape(4, 5) / 7)
s.scale("int16", bscale=0.01, bzero=1.5); s.writeto(f"{d}/scaled.fits")
fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(np.arange(6, dtype=np.float32).reshape(2, 3))]).writeto(f"{d}/ext.fits")
fits.PrimaryHDU(np.arange(24, dtype=np.int32).reshape(2, 3, 4)).writeto(f"{d}/cube.fits")
out = {}
for n in ["blank", "uint16", "scaled", "ext", "cube"]:
    with fits.open(f"{d}/{n}.fits") as h:
        hdu = next(x for x in h if x.data is not None)
        v = hdu.data[0] if hdu.data.ndim == 3 else hdu.data
        out[n] = [None if np.isnan(x) else float(x) for x in v.astype(np.float64).ravel()]
print(json.dumps(out))`;
    const expected = JSON.parse(runPython(script, [dir]));
    for (const name of ['blank', 'uint16', 'scaled', 'ext', 'cube']) {
      const image = readFits(readFileSync(join(dir, `${name}.fits`)));
      const got = Array.from(image.data, (v) => (Number.isNaN(v) ? null : v));
      expect(got.map((v) => (v === null ? v : Number(v.toPrecision(6))))).toEqual(
        expected[name].map((v: number | null) =>
          v === null ? v : Number(Math.fround(v).toPrecision(6)),
        ),
      );
    }
    expect(readFits(readFileSync(join(dir, 'cube.fits')))).toMatchObject({
      width: 4,
      height: 3,
      depth: 2,
    });
  });
});
