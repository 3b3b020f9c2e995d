import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPython } from '../../src/imaging/testing/external-tools';

/** A tile cut from the synthetic sky: centre, rotation (deg, as CROTA2), pixel scale (arcsec), size. */
export interface TileSpec {
  ra: number;
  dec: number;
  rotation: number;
  scale: number;
  width: number;
  height: number;
  /** Added to every pixel (a background offset). */
  offset?: number;
  filter?: string;
}

/** Stars of the synthetic sky, (ra, dec) in degrees. */
export const SKY_STARS: Array<[number, number]> = [
  [150.0, 2.0],
  [150.006, 2.004],
  [149.995, 2.007],
  [150.012, 1.996],
  [149.991, 1.993],
  [150.003, 1.989],
];

const SCRIPT = `
import json, sys, warnings, numpy as np
from astropy.io import fits
from astropy.wcs import WCS
from reproject import reproject_interp
warnings.simplefilter("ignore")
out_dir, specs, stars = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
# One fine reference sky (0.25"/px, north up) with Gaussian stars (sigma 1.5") on a gentle slope.
n = 700
ref = WCS(naxis=2)
ref.wcs.ctype = ["RA---TAN", "DEC--TAN"]
ref.wcs.crval = [150.0, 2.0]
ref.wcs.crpix = [(n + 1) / 2, (n + 1) / 2]
ref.wcs.cdelt = [-0.25 / 3600, 0.25 / 3600]
y, x = np.mgrid[0:n, 0:n]
sky = 10 + 0.002 * x + 0.001 * y
for ra, dec in stars:
    sx, sy = ref.world_to_pixel_values(ra, dec)
    sky += 1000 * np.exp(-((x - sx) ** 2 + (y - sy) ** 2) / (2 * 6.0 ** 2))
for i, s in enumerate(specs):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [s["ra"], s["dec"]]
    w.wcs.crpix = [(s["width"] + 1) / 2, (s["height"] + 1) / 2]
    w.wcs.cdelt = [-s["scale"] / 3600, s["scale"] / 3600]
    r = np.deg2rad(s["rotation"])
    w.wcs.pc = [[np.cos(r), np.sin(r)], [-np.sin(r), np.cos(r)]]  # CROTA2 = rotation
    data, _ = reproject_interp((sky, ref), w, shape_out=(s["height"], s["width"]), order=1)
    data = data + s.get("offset", 0)
    h = w.to_header()
    h["TELESCOP"] = "SYNTH"
    h["FILTER"] = s.get("filter", "F200W")
    h["BUNIT"] = "MJy/sr"
    fits.PrimaryHDU(data.astype(np.float32), header=h).writeto(f"{out_dir}/tile{i}.fits")
print("ok")`;

/** FITS tiles written by astropy (+ reproject) from one synthetic sky. */
export function skyTiles(specs: TileSpec[]): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), 'darkroom-sky-'));
  try {
    runPython(SCRIPT, [dir, JSON.stringify(specs), JSON.stringify(SKY_STARS)]);
    return specs.map((_, i) => readFileSync(join(dir, `tile${i}.fits`)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CENTROIDS = `
import json, sys, warnings, numpy as np
from astropy.io import fits
from astropy.wcs import WCS
warnings.simplefilter("ignore")
hdul = fits.open(sys.argv[1])
data = hdul[0].data
if data.ndim == 3: data = data[int(sys.argv[3])]
w = WCS(hdul[0].header).celestial
out = []
for ra, dec in json.loads(sys.argv[2]):
    px, py = w.world_to_pixel_values(ra, dec)
    ix, iy = int(round(float(px))), int(round(float(py)))
    if not (4 <= ix < data.shape[1] - 4 and 4 <= iy < data.shape[0] - 4):
        out.append(None); continue
    cut = np.nan_to_num(data[iy - 4:iy + 5, ix - 4:ix + 5].astype(float))
    cut = cut - np.median(cut)
    cut[cut < 0] = 0
    yy, xx = np.mgrid[iy - 4:iy + 5, ix - 4:ix + 5]
    total = cut.sum()
    if not total > 0:
        out.append([float(px), float(py), 1e9, 1e9]); continue
    out.append([float(px), float(py), float((cut * xx).sum() / total), float((cut * yy).sum() / total)])
print(json.dumps({"stars": out, "extnames": [h.name for h in hdul], "header": {k: str(v) for k, v in hdul[0].header.items() if k in ("NINPUTS", "COMBMETH", "TELESCOP", "FILTER", "BUNIT", "SRC0001")}}))`;

/** For each star, astropy's predicted pixel (from the file's WCS) and the measured centroid. */
export function starCentroids(
  fitsBytes: Buffer,
  plane = 0,
): {
  stars: Array<[number, number, number, number] | null>;
  extnames: string[];
  header: Record<string, string>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'darkroom-sky-'));
  try {
    const file = join(dir, 'out.fits');
    writeFileSync(file, fitsBytes);
    return JSON.parse(runPython(CENTROIDS, [file, JSON.stringify(SKY_STARS), String(plane)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
