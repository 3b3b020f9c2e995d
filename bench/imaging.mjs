// Imaging benchmark. Run: npx tsc -p tsconfig.build.json && node bench/imaging.mjs
// Composite 3×4096² float32 FITS → PNG, 16-tile 2048² mosaic → PNG, 100 thumbnails; prints wall
// time, peak RSS and max event-loop lag, and compares with astropy make_lupton_rgb when present.
// Also a WCS mosaic of 9 rotated 2048² tiles against reproject_and_coadd (bench/wcs-mosaic.mjs);
// `--wcs-only` runs just that case.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const require = createRequire(import.meta.url);
// Collect the bench's own input-generation garbage before each run, so peak RSS is the live
// inputs plus the work measured (not leftovers of building synthetic FITS files).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const { ImagingPool } = require('../dist/imaging/pool/imaging-pool.js');
const { writeFits } = require('../dist/imaging/fits/fits-writer.js');
const { benchWcsMosaic } = await import('./wcs-mosaic.mjs');

/** Synthetic sky: noisy background plus Gaussian-ish stars, deterministic. */
function sky(size, seed, planeOnly = false) {
  let s = seed >>> 0;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const data = new Float32Array(size * size);
  for (let i = 0; i < data.length; i += 1) data[i] = 1000 + 30 * (rnd() + rnd() - 1);
  for (let k = 0; k < size; k += 1) {
    const cx = Math.floor(rnd() * size), cy = Math.floor(rnd() * size), peak = 5000 * rnd();
    for (let dy = -3; dy <= 3; dy += 1) for (let dx = -3; dx <= 3; dx += 1) {
      const x = cx + dx, y = cy + dy;
      if (x >= 0 && y >= 0 && x < size && y < size) data[y * size + x] += peak * Math.exp(-(dx * dx + dy * dy) / 2);
    }
  }
  const plane = { width: size, height: size, data };
  return planeOnly ? plane : writeFits(plane);
}

async function measure(name, fn) {
  gc();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  lag.enable();
  const start = performance.now();
  const detail = await fn();
  const ms = performance.now() - start;
  lag.disable();
  clearInterval(timer);
  const maxRss = process.resourceUsage().maxRSS / 1024;
  console.log(`${name}: ${ms.toFixed(0)} ms, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (at start ${(before / 2 ** 20).toFixed(0)} MB, maxRSS so far ${maxRss.toFixed(0)} MB), max event-loop lag ${(lag.max / 1e6).toFixed(1)} ms ${detail ?? ''}`);
  return Object.assign(Number(ms), { ms, peakMB: peak / 2 ** 20, growthMB: (peak - before) / 2 ** 20 });
}

const pool = new ImagingPool({ maxThreads: 2 });
console.log(`pool mode: ${pool.mode}`);
const dir = mkdtempSync(join(tmpdir(), 'darkroom-bench-'));
if (process.argv.includes('--wcs-only')) {
  await benchWcsMosaic(measure, pool, dir, sky);
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
const channels = [sky(4096, 1), sky(4096, 2), sky(4096, 3)];
channels.forEach((b, i) => writeFileSync(join(dir, `c${i}.fits`), b));
const ours = await measure('composite 3×4096² FITS → PNG', async () => {
  const r = await pool.composite(channels, {
    channels: [{ color: '#ff0000' }, { color: '#00ff00' }, { color: '#0000ff' }],
  });
  return `(${(r.buffer.length / 2 ** 20).toFixed(1)} MB PNG)`;
});
channels.length = 0;

const tiles = Array.from({ length: 16 }, (_, i) => sky(2048, 10 + i));
await measure('mosaic 16×2048² → PNG', async () => {
  const r = await pool.mosaic(tiles, { columns: 4, gap: 8, background: '#000000' });
  return `(${r.width}×${r.height})`;
});

tiles.length = 0;
await benchWcsMosaic(measure, pool, dir, sky);
const inputs = Array.from({ length: 100 }, (_, i) => sky(512, 100 + i));
await measure('100 thumbnails (512² FITS → WebP 256)', async () => {
  await Promise.all(inputs.map((input) => pool.thumbnail(input, { size: 256 })));
});
await pool.close();

const hasAstropy = spawnSync('/usr/bin/python3', ['-c', 'import astropy, PIL'], { stdio: 'ignore' }).status === 0;
if (hasAstropy) {
  const script = `
import sys, time, numpy as np
from astropy.io import fits
from astropy.visualization import make_lupton_rgb
from PIL import Image
t = time.perf_counter()
r, g, b = (fits.getdata(f"{sys.argv[1]}/c{i}.fits").astype(np.float32) for i in range(3))
rgb = make_lupton_rgb(r, g, b, minimum=1000, stretch=500, Q=8)
Image.fromarray(np.flipud(rgb)).save(f"{sys.argv[1]}/lupton.png")
print(f"{(time.perf_counter() - t) * 1000:.0f}")`;
  const result = spawnSync('/usr/bin/python3', ['-c', script, dir], { encoding: 'utf8' });
  const theirs = Number(result.stdout.trim());
  if (result.status === 0) console.log(`astropy make_lupton_rgb + PIL PNG: ${theirs} ms (ours / astropy = ${(ours / theirs).toFixed(2)})`);
  else console.log(`astropy comparison failed: ${result.stderr}`);
} else {
  console.log('astropy comparison skipped: /usr/bin/python3 lacks astropy or PIL');
}
rmSync(dir, { recursive: true, force: true });
