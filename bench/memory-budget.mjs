// Peak RSS of the server for composites of a 16000² all-zero PNG (~250 KB, under MAX_PIXELS):
// once with the memory budget off (IMAGING_MEMORY_MB huge: the code path before the budget) and
// once with the default budget (2048 MB), one composite and two at once.
// Usage: npm run build && node bench/memory-budget.mjs [--side 16000] [--budget 2048]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import sharp from 'sharp';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const SIDE = arg('side', 16000);
const BUDGET = arg('budget', 2048);
const SECRET = 'bench-secret';
const token = jwt.sign({ sub: 'bench' }, SECRET, { algorithm: 'HS256', expiresIn: 3600 });

function startServer(env) {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-membench-'));
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      AUTH_JWT_SECRET: SECRET,
      RATE_LIMIT_PER_MINUTE: '0',
      UPLOADS_PER_MINUTE: '0',
      COMPOSITE_CONCURRENCY: '2',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 30_000);
    const onData = (chunk) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      resolve({ child, url: match[1], dataDir });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

/** Peak resident set (VmHWM) of a process in MB, from /proc. */
function peakRssMB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function api(url, method, path, body) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function upload(url, bytes) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'zeros.png');
  const res = await fetch(`${url}/api/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

async function waitJob(url, id) {
  for (;;) {
    const { body } = await api(url, 'GET', `/api/jobs/${id}`);
    if (['completed', 'failed', 'cancelled'].includes(body.state)) return body;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function run(label, env, parallel, downscale) {
  const server = await startServer(env);
  try {
    const png = await sharp(Buffer.alloc(SIDE * SIDE), {
      raw: { width: SIDE, height: SIDE, channels: 1 },
      limitInputPixels: false,
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const id = await upload(server.url, png);
    // Let the automatic thumbnail job finish so that it does not count.
    await new Promise((r) => setTimeout(r, 3000));
    const before = peakRssMB(server.child.pid);
    const started = Date.now();
    const body = { channels: [{ assetId: id, color: '#ffffff' }], downscale };
    const submitted = await Promise.all(
      Array.from({ length: parallel }, () =>
        api(server.url, 'POST', '/api/composite/export', body),
      ),
    );
    const jobs = await Promise.all(
      submitted.map((s) => (s.status === 202 ? waitJob(server.url, s.body.jobId) : s)),
    );
    const outcome = jobs.map(
      (j) => j.state ?? `${j.status} ${j.body.code}: ${j.body.details?.[0]?.problem}`,
    );
    const peak = peakRssMB(server.child.pid);
    console.log(
      `${label.padEnd(44)} png ${(png.length / 1024).toFixed(0)} KB  peak RSS ${peak.toFixed(0)} MB ` +
        `(before jobs ${before.toFixed(0)} MB)  ${((Date.now() - started) / 1000).toFixed(1)} s  ${outcome.join(', ')}`,
    );
  } finally {
    server.child.kill('SIGKILL');
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

const off = { IMAGING_MEMORY_MB: '1048576' };
const on = { IMAGING_MEMORY_MB: String(BUDGET) };
const only = process.argv.includes('--budget-only');
if (!only) await run('no budget, 1 composite', off, 1, false);
if (!only) await run('no budget, 2 composites at once', off, 2, false);
await run(`budget ${BUDGET} MB, 1 composite (no downscale)`, on, 1, false);
await run(`budget ${BUDGET} MB, 1 composite, downscale`, on, 1, true);
await run(`budget ${BUDGET} MB, 2 at once, downscale`, on, 2, true);
