#!/usr/bin/env node
// REST load figure: the app as its own process, driven from this one by autocannon
// (64 connections, 10 s, no-op diagnostic submissions with a bearer token; durable: each 202 is
// a job written to SQLite before the answer).
//   npm run bench:http -- [--connections 64] [--seconds 10] [--profile] [--no-peer]
// --profile runs the app under `node --cpu-prof` and prints the functions with the most self time;
// BENCH_NODE_ARGS="--max-semi-space-size=32" passes node flags to the app.
// Then the same load on the peer (bench/peer/express-bullmq.mjs: Express 5 + BullMQ on a local
// Redis without persistence, started here when `redis-server` is installed), for one-run figures.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, startRedis, startScript, stopApp, SECRET, tokenFor } from './app-process.mjs';
import { flag, option } from './figures.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const CONNECTIONS = option('connections', 64);
const SECONDS = option('seconds', 10);
const PROFILE = flag('profile');
const PEER = !flag('no-peer');

function run(url, token, duration) {
  return autocannon({
    url: `${url}/api/diagnostics/jobs`,
    connections: CONNECTIONS,
    duration,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ durationMs: 0 }),
  });
}

/** Self time per function from a .cpuprofile, top `n`. */
function topFunctions(file, n = 20) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const dt = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totals = new Map();
  let sum = 0;
  for (const [id, us] of dt) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + us);
    sum += us;
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${((us / sum) * 100).toFixed(1).padStart(5)}%  ${k}`);
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-http-'));
  const profDir = join(dataDir, 'prof');
  const extra = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const nodeArgs = PROFILE ? [...extra, '--cpu-prof', `--cpu-prof-dir=${profDir}`, '-r', join(import.meta.dirname ?? '.', 'exit-on-sigusr2.cjs')] : extra;
  const env = {
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    DIAGNOSTICS: 'on',
    QUEUE_CAPACITY: '10000000',
    USER_QUEUE_CAPACITY: '10000000',
    // The throttler runs on every submission but never refuses one here.
    RATE_LIMIT_PER_MINUTE: '10000000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const { child, url } = await startApp(env, nodeArgs);
  const token = tokenFor('bench');
  try {
    await run(url, token, 2); // warm-up: JIT, SQLite pages, connection pool
    const r = await run(url, token, SECONDS);
    console.log(`bench:http  ${CONNECTIONS} connections, ${SECONDS} s, POST /api/diagnostics/jobs {durationMs:0}`);
    report('darkroom (SQLite, durable)', r);
  } finally {
    if (PROFILE) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGUSR2');
      await exited;
      const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      console.log(`\nCPU profile (${join(profDir, file)}), self time:`);
      for (const line of topFunctions(join(profDir, file))) console.log(`  ${line}`);
    } else {
      await stopApp(child, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (PEER) await runPeer();
}

function report(name, r) {
  const ok = r['2xx'];
  console.log(`  ${name}: accepted (202) ${ok} (${(ok / SECONDS).toFixed(0)}/s)   non-2xx: ${r.non2xx}   errors: ${r.errors}   timeouts: ${r.timeouts}`);
  console.log(`    latency ms: p50 ${r.latency.p50}  p90 ${r.latency.p90}  p99 ${r.latency.p99}  max ${r.latency.max}`);
}

/** The same load on Express 5 + BullMQ with a Redis of its own (no persistence). */
async function runPeer() {
  const redis = await startRedis();
  if (!redis) {
    console.log('  peer skipped: redis-server is not installed (apt-get install redis-server)');
    return;
  }
  const script = join(import.meta.dirname ?? 'bench', 'peer', 'express-bullmq.mjs');
  const { child, url } = await startScript(script, { REDIS_PORT: String(redis.port), AUTH_JWT_SECRET: SECRET });
  try {
    const token = tokenFor('bench');
    await run(url, token, 2);
    report('peer: Express 5 + BullMQ 6, Redis without persistence', await run(url, token, SECONDS));
  } finally {
    await stopApp(child, 'SIGTERM');
    redis.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
