#!/usr/bin/env node
// Job engine benchmark: no-op diagnostic jobs (durationMs 0) through the real engine
// (JobsService.submit → SQLite → waiting room → worker → SQLite), in this process.
//   npm run bench:engine -- [--jobs 20000] [--concurrency 8] [--rate 2000] [--seconds 10] [--http] [--no-peer]
// Each run in a fresh process; then a two-process burst, and the same runs on BullMQ (when
// `redis-server` is installed).
// --http submits the burst over real HTTP (64 in flight, client in this process) instead of calling the service.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startRedis } from './app-process.mjs';
import { flag, option, reportRun, word } from './figures.mjs';

const require = createRequire(import.meta.url);
const { createApp } = require('../dist/bootstrap.js');
const { loadConfig } = require('../dist/config/app-config.js');
const { JobsService } = require('../dist/core/jobs/jobs.service.js');
const { JobEvents } = require('../dist/core/jobs/job-events.js');
const { AuthService } = require('../dist/core/auth/auth.service.js');

const args = process.argv.slice(2);
const JOBS = option('jobs', 20_000);
const CONCURRENCY = option('concurrency', 8);
const RATE = option('rate', 2_000);
const SECONDS = option('seconds', 10);
const HTTP = flag('http');
const BODY = { durationMs: 0, steps: 1 };


async function startEngine() {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    QUEUE_CAPACITY: '10000000',
    USER_QUEUE_CAPACITY: '10000000',
    DIAGNOSTIC_CONCURRENCY: String(CONCURRENCY),
    AUTH_JWT_SECRET: 'bench',
    DIAGNOSTICS: 'on',
    RATE_LIMIT_PER_MINUTE: '0',
    JOB_POLL_MS: '1000',
  });
  const app = await createApp(config, ['error']);
  if (HTTP) await app.listen(0, '127.0.0.1');
  else await app.init();
  const url = HTTP ? await app.getUrl() : '';
  const done = new Map();
  app.get(JobEvents).on((e) => {
    if (e.kind === 'completed') done.get(e.job.id)?.(performance.now());
  });
  const jobs = app.get(JobsService);
  const token = app.get(AuthService).sign('bench');
  const user = { userId: 'bench', admin: false };
  const submitDirect = () => jobs.submit(user, 'diagnostic', BODY).then((a) => a.jobId);
  const submitHttp = () =>
    fetch(`${url}/api/diagnostics/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(BODY),
    }).then(async (r) => (await r.json()).jobId);
  return { app, dataDir, done, submit: HTTP ? submitHttp : submitDirect };
}

/** Submits one job and resolves with its submit→complete latency in ms. */
function track(engine) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    engine.submit().then(
      (id) =>
        engine.done.set(id, (t1) => {
          engine.done.delete(id);
          resolve(t1 - t0);
        }),
      reject,
    );
  });
}

async function burst(engine) {
  const start = performance.now();
  const latencies = [];
  if (HTTP) {
    let next = 0;
    const lane = async () => {
      while (next++ < JOBS) latencies.push(await track(engine).catch(() => NaN));
    };
    await Promise.all(Array.from({ length: 64 }, lane));
  } else {
    latencies.push(...(await Promise.all(Array.from({ length: JOBS }, () => track(engine)))));
  }
  const seconds = (performance.now() - start) / 1000;
  return { seconds, latencies: latencies.sort((a, b) => a - b) };
}

async function steady(engine) {
  const total = RATE * SECONDS;
  const latencies = new Float64Array(total);
  let sent = 0;
  let finished = 0;
  const start = performance.now();
  await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * RATE));
      for (; sent < due; sent++) {
        const slot = sent;
        track(engine).then((ms) => {
          latencies[slot] = ms;
          if (++finished === total) resolve();
        }, reject);
      }
      if (sent >= total) clearInterval(timer);
    }, 5);
  });
  return { seconds: (performance.now() - start) / 1000, latencies: Array.from(latencies).sort((a, b) => a - b) };
}

const RUNS = { burst: [`burst ${JOBS} at once`, burst], steady: [`steady ${RATE}/s for ${SECONDS}s`, steady] };

/** One run in this process (`--run burst|steady`): what the parent process prints. */
async function runOne(kind) {
  const [name, run] = RUNS[kind];
  const engine = await startEngine();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const wal = walWatch(engine.dataDir);
  const result = await run(engine);
  lag.disable();
  reportRun(name, result, lag);
  console.log(`${''.padEnd(28)} largest WAL file ${(wal.stop() / 2 ** 20).toFixed(1)} MB`);
  await engine.app.close();
  rmSync(engine.dataDir, { recursive: true, force: true });
}

/** Samples the size of the SQLite log file (it must stay bounded under load); stop() → bytes. */
function walWatch(dataDir) {
  let largest = 0;
  const sample = () => {
    try {
      largest = Math.max(largest, statSync(join(dataDir, 'darkroom.sqlite-wal')).size);
    } catch {
      // not there yet
    }
  };
  const timer = setInterval(sample, 50);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return largest;
    },
  };
}

/** Each run in a fresh process (as the peer's), so no run inherits another's heap. */
function inFreshProcess(script, kind, extra = []) {
  execFileSync(process.execPath, [script, '--run', kind, ...extra, ...args], { stdio: 'inherit' });
}

async function main() {
  const kind = word('run');
  if (kind) return runOne(kind);
  console.log(
    `darkroom bench:engine — node ${process.version}, concurrency ${CONCURRENCY}, submit via ${HTTP ? 'HTTP' : 'JobsService'}, SQLite WAL`,
  );
  const self = fileURLToPath(import.meta.url);
  for (const run of Object.keys(RUNS)) inFreshProcess(self, run);
  // The same burst through two processes sharing one data directory.
  if (!HTTP) {
    const script = fileURLToPath(new URL('./engine-processes.mjs', import.meta.url));
    execFileSync(process.execPath, [script, '--processes', '2', ...args], { stdio: 'inherit' });
  }
  if (!flag('no-peer')) await runPeer();
}

/** The same runs on BullMQ with a Redis of its own (bench/peer/bullmq-engine.mjs), for one-run figures. */
async function runPeer() {
  const redis = await startRedis();
  if (!redis) return console.log('peer skipped: redis-server is not installed (apt-get install redis-server)');
  try {
    const script = fileURLToPath(new URL('./peer/bullmq-engine.mjs', import.meta.url));
    for (const run of Object.keys(RUNS)) inFreshProcess(script, run, ['--redis-port', String(redis.port)]);
  } finally {
    redis.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
