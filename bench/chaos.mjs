#!/usr/bin/env node
// Chaos: the app as a child process on one data directory; a mix of diagnostic and composite jobs
// is submitted (with Idempotency-Key, re-sent after connection errors) while the app is killed
// with SIGKILL and restarted at random moments, and the blob store fails for a while (its folder
// is swapped for a file). Prints accepted, completed, failed, lost, duplicated runs (from each
// job's `history`) and the longest orphan time (kill → the job's next event on another node).
//   npm run chaos -- [--jobs 300] [--kills 5] [--seed 7]
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, stopApp, tokenFor } from './app-process.mjs';
import { option } from './figures.mjs';

const require = createRequire(import.meta.url);
const sharp = require('sharp');
const JOBS = option('jobs', 300);
const KILLS = option('kills', 5);
let seed = option('seed', 7) >>> 0;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const LEASE_MS = 3000;
const TERMINAL = ['completed', 'failed', 'cancelled'];

const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-chaos-'));
const env = {
  DATA_DIR: dataDir,
  QUEUE_CAPACITY: '100000',
  USER_QUEUE_CAPACITY: '100000',
  RATE_LIMIT_PER_MINUTE: '0',
  UPLOADS_PER_MINUTE: '0',
  JOB_LEASE_MS: String(LEASE_MS),
  JOB_POLL_MS: '250',
  BACKOFF_BASE_MS: '200',
  BACKOFF_MAX_MS: '2000',
  DIAGNOSTIC_MAX_ATTEMPTS: '6',
  COMPOSITE_MAX_ATTEMPTS: '6',
  SHUTDOWN_GRACE_MS: '1000',
};
const user = tokenFor('chaos');
const admin = tokenFor('chaos-admin', true);
let app = null;
const kills = [];

async function call(method, path, { token = user, body, headers = {} } = {}) {
  if (!app) throw new Error('down');
  const res = await fetch(app.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

/** Re-sends a submission (same Idempotency-Key) until the app answers it. */
async function submit(i, assetId) {
  const composite = assetId && rand() < 0.3;
  const path = composite ? '/api/composite/export' : '/api/diagnostics/jobs';
  const body = composite
    ? { channels: [{ assetId, color: '#ffffff' }] }
    : { durationMs: Math.floor(rand() * 1500), steps: 5, resultBytes: 1024, failAttempts: rand() < 0.1 ? 1 : 0 };
  for (;;) {
    try {
      const res = await call('POST', path, { body, headers: { 'idempotency-key': `chaos-${i}` } });
      if (res.status === 202) return res.body.jobId;
      if (res.status !== 429 && res.status !== 503) throw new Error(`submit ${res.status} ${JSON.stringify(res.body)}`);
    } catch (err) {
      if (!/down|fetch failed|aborted|timeout/i.test(String(err.message ?? err))) throw err;
    }
    await sleep(200);
  }
}

async function start() {
  app = await startApp(env);
}

/** SIGKILL now; remember which jobs were running; restart after a short pause. */
async function killAndRestart() {
  let running = [];
  try {
    running = (await call('GET', '/api/jobs?state=running&all=true&limit=100', { token: admin })).body.items.map((j) => j.id);
  } catch {
    // The app may be mid-restart: nothing known to be running.
  }
  const current = app;
  app = null;
  await stopApp(current.child, 'SIGKILL');
  kills.push({ at: Date.now(), running });
  await sleep(300 + rand() * 1500);
  await start();
}

/** Swaps the blob folder for a file for `ms`: every blob write and read fails meanwhile. */
async function blobOutage(ms) {
  const blobs = join(dataDir, 'blobs');
  mkdirSync(blobs, { recursive: true });
  renameSync(blobs, `${blobs}.away`);
  writeFileSync(blobs, 'not a folder');
  await sleep(ms);
  rmSync(blobs);
  renameSync(`${blobs}.away`, blobs);
}

/** Events that end a run: after one of them, a new claim is a new run, not a duplicate. */
const RUN_ENDS = ['completed', 'failed', 'cancelled', 'retry', 'released', 'recovered', 'progress-lost'];

/** A duplicated run: a claim while an earlier run of the job had not ended; or two completions. */
function duplicatesOf(job) {
  const history = job.history ?? [];
  let open = false;
  let overlapping = 0;
  for (const h of history) {
    if (h.event === 'claimed') {
      if (open) overlapping += 1;
      open = true;
    } else if (RUN_ENDS.includes(h.event)) open = false;
  }
  const completedTwice = history.filter((h) => h.event === 'completed').length > 1;
  const reclaims = history.filter((h) => h.event === 'claimed').length - 1;
  return { completedTwice, overlapping, reclaims: Math.max(0, reclaims) };
}

/** Longest time from a kill to the next history event of a job that was running at the kill. */
function orphanMs(jobs) {
  let longest = 0;
  for (const kill of kills) {
    for (const id of kill.running) {
      const job = jobs.get(id);
      const next = (job?.history ?? []).map((h) => Date.parse(h.at)).filter((t) => t > kill.at).sort((a, b) => a - b)[0];
      if (next !== undefined) longest = Math.max(longest, next - kill.at);
    }
  }
  return longest;
}

async function main() {
  await start();
  const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#808080' } }).png().toBuffer();
  const form = new FormData();
  form.append('file', new Blob([png]), 'grey.png');
  const upload = await fetch(`${app.url}/api/assets`, { method: 'POST', headers: { authorization: `Bearer ${user}` }, body: form });
  const assetId = (await upload.json()).id;

  const started = Date.now();
  const accepted = [];
  const submitting = (async () => {
    for (let i = 0; i < JOBS; i += 1) {
      accepted.push(await submit(i, assetId));
      await sleep(rand() * 40);
    }
  })();
  const chaos = (async () => {
    for (let k = 0; k < KILLS; k += 1) {
      await sleep(1000 + rand() * 3000);
      await killAndRestart();
      if (k === 1) await blobOutage(4000);
    }
  })();
  await Promise.all([submitting, chaos]);

  const deadline = Date.now() + 180_000;
  const jobs = new Map();
  while (Date.now() < deadline) {
    for (const id of accepted) {
      if (TERMINAL.includes(jobs.get(id)?.state)) continue;
      const res = await call('GET', `/api/jobs/${id}`).catch(() => null);
      if (res?.status === 200) jobs.set(id, res.body);
      else if (res?.status === 404) jobs.set(id, { id, state: 'lost' });
    }
    if (accepted.every((id) => TERMINAL.includes(jobs.get(id)?.state))) break;
    await sleep(500);
  }
  await stopApp(app.child, 'SIGTERM');

  const list = accepted.map((id) => jobs.get(id) ?? { id, state: 'lost' });
  const count = (state) => list.filter((j) => j.state === state).length;
  const withHistory = list.filter((j) => Array.isArray(j.history)).length;
  const dups = list.map(duplicatesOf);
  console.log(`chaos: ${JOBS} submissions, ${KILLS} kill -9 + restart, one 4 s blob-store outage, lease ${LEASE_MS} ms, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`  accepted ${accepted.length}  completed ${count('completed')}  failed ${count('failed')}  cancelled ${count('cancelled')}`);
  console.log(`  lost ${list.filter((j) => !TERMINAL.includes(j.state)).length} (404: ${count('lost')}, not finished by the deadline: ${list.filter((j) => !TERMINAL.includes(j.state) && j.state !== 'lost').length})`);
  if (withHistory === 0) {
    console.log('  duplicated runs: unknown (GET /api/jobs/:id has no `history` yet)');
  } else {
    const sum = (key) => dups.reduce((s, d) => s + Number(d[key]), 0);
    console.log(`  duplicated runs: ${sum('overlapping')} overlapping claims, ${sum('completedTwice')} jobs completed twice (history on ${withHistory}/${list.length} jobs; ${sum('reclaims')} re-runs after a recovery, release or retry)`);
    console.log(`  longest orphan time: ${orphanMs(jobs)} ms (kill → next event of a job running at the kill)`);
  }
  const failedCodes = {};
  for (const j of list.filter((x) => x.state === 'failed')) failedCodes[j.error?.code] = (failedCodes[j.error?.code] ?? 0) + 1;
  console.log(`  failure codes: ${JSON.stringify(failedCodes)}`);
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch(async (err) => {
  console.error(err);
  if (app) await stopApp(app.child, 'SIGKILL');
  process.exit(1);
});
