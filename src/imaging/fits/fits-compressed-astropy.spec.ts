import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithTool, hasAstropy, runPython } from '../testing/external-tools';
import { readFits } from './fits-reader';

/**
 * Writes one tile-compressed file per compression type and quantisation with astropy
 * (`CompImageHDU`, i.e. cfitsio), and saves what astropy decodes from it (float32) and its
 * `header` cards, for the decoder to match bit for bit.
 */
const WRITE_CASES = `
import sys, json, numpy as np
from astropy.io import fits
out = sys.argv[1]
rng = np.random.default_rng(7)
h, w = 37, 53
yy, xx = np.mgrid[0:h, 0:w]
sky = (rng.normal(100, 5, (h, w)) + 50 * np.exp(-((xx - 20) ** 2 + (yy - 15) ** 2) / 20)).astype(np.float32)
sky[3, 4] = np.nan
sky[10, 11] = 0.0
ints = {
    "i16": rng.integers(-3000, 3000, (h, w)).astype(np.int16),
    "i32": rng.integers(-2**30, 2**30, (h, w)).astype(np.int32),
    "u8": rng.integers(0, 255, (h, w)).astype(np.uint8),
    "u16": rng.integers(0, 65535, (h, w)).astype(np.uint16),
}
plio = rng.integers(0, 5, (h, w)).astype(np.int32)
plio[:, 10:30] = 7
cases = []
def write(name, data, **kw):
    hdu = fits.CompImageHDU(data=data, **kw)
    hdu.header["OBJECT"] = ("test", "synthetic")
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(f"{out}/{name}.fits", overwrite=True)
    with fits.open(f"{out}/{name}.fits") as f:
        # The header as read, before the data is scaled (astropy then drops BZERO/BSCALE).
        cards = [[c.keyword, c.value, c.comment] for c in f[1].header.cards if c.keyword]
        json.dump(cards, open(f"{out}/{name}.json", "w"))
        f[1].data.astype("<f4").tofile(f"{out}/{name}.raw")
    cases.append(name)
for m in ["RICE_1", "GZIP_1", "GZIP_2"]:
    for k, v in ints.items():
        write(f"{m}-{k}", v, compression_type=m)
    for q, code in [("NO_DITHER", -1), ("SUBTRACTIVE_DITHER_1", 1), ("SUBTRACTIVE_DITHER_2", 2)]:
        write(f"{m}-f32-{q}", sky, compression_type=m, quantize_method=code, tile_size=(20, 10), dither_seed=17)
for k in ["i16", "i32", "u8"]:
    write(f"HCOMPRESS_1-{k}", ints[k], compression_type="HCOMPRESS_1", tile_size=(16, 24))
write("HCOMPRESS_1-i16-scaled", ints["i16"], compression_type="HCOMPRESS_1", hcomp_scale=2, tile_size=(16, 24))
write("HCOMPRESS_1-i16-smooth", ints["i16"], compression_type="HCOMPRESS_1", hcomp_scale=2, hcomp_smooth=True, tile_size=(16, 24))
write("HCOMPRESS_1-f32-SUBTRACTIVE_DITHER_1", sky, compression_type="HCOMPRESS_1", quantize_method=1, tile_size=(16, 24), dither_seed=17)
write("PLIO_1-i32", plio, compression_type="PLIO_1", tile_size=(16, 8))
write("GZIP_1-f32-lossless", sky, compression_type="GZIP_1", quantize_level=0.0)
write("GZIP_2-f64-lossless", sky.astype(np.float64), compression_type="GZIP_2", quantize_level=0.0)
write("RICE_1-f64-dither", sky.astype(np.float64) * 3, compression_type="RICE_1", quantize_method=1, dither_seed=9999)
print(json.dumps(cases))
`;

/** Indices where the values differ (NaN equals NaN), at most `limit` of them. */
function differences(ours: Float32Array, theirs: Float32Array, limit = 5): string[] {
  const out: string[] = [];
  for (let i = 0; i < theirs.length && out.length < limit; i += 1) {
    const same = Object.is(ours[i], theirs[i]) || (ours[i] !== ours[i] && theirs[i] !== theirs[i]);
    if (!same) out.push(`${i}: ${ours[i]} vs ${theirs[i]}`);
  }
  return out;
}

describeWithTool(hasAstropy, 'astropy', 'tile-compressed FITS (astropy)', () => {
  let dir: string;
  let cases: string[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'darkroom-zfits-'));
    cases = JSON.parse(runPython(WRITE_CASES, [dir])) as string[];
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should decode every compression and quantisation to astropy’s pixels', () => {
    expect(cases).toHaveLength(31);
    const failures: Record<string, string[]> = {};
    for (const name of cases) {
      const image = readFits(readFileSync(join(dir, `${name}.fits`)));
      const raw = readFileSync(join(dir, `${name}.raw`));
      const theirs = new Float32Array(
        raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length),
      );
      expect([image.width, image.height]).toEqual([53, 37]);
      const diff = differences(image.data, theirs);
      if (diff.length > 0) failures[name] = diff;
    }
    expect(failures).toEqual({});
  });

  it('should decode astropy’s own comp.fits (RICE_1, 16-bit) as astropy does', () => {
    const script = `
import sys, json, glob, numpy as np
import astropy
from astropy.io import fits
path = glob.glob(astropy.__path__[0] + "/io/fits/tests/data/comp.fits")[0]
with fits.open(path) as f:
    d = f[1].data.astype(np.float64)
    print(json.dumps({"path": path, "shape": list(d.shape), "sum": float(d.sum()), "row": d[7, :50].tolist()}))`;
    const theirs = JSON.parse(runPython(script)) as {
      path: string;
      shape: number[];
      sum: number;
      row: number[];
    };
    const image = readFits(readFileSync(theirs.path));
    expect([image.height, image.width]).toEqual(theirs.shape);
    expect(Array.from(image.data.subarray(7 * image.width, 7 * image.width + 50))).toEqual(
      theirs.row,
    );
    expect(image.data.reduce((a, b) => a + b, 0)).toBe(theirs.sum);
  });

  it('should give the logical header cards astropy gives', () => {
    for (const name of cases) {
      const image = readFits(readFileSync(join(dir, `${name}.fits`)));
      const theirs = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as unknown[][];
      const ours = image.cards
        .filter((c) => c.keyword !== '')
        .map((c) => [c.keyword, c.value, c.comment ?? '']);
      expect({ name, cards: ours }).toEqual({ name, cards: theirs });
    }
  });
});
