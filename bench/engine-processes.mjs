#!/usr/bin/env node
// Several engine processes on one data directory (embedded multi-process mode): each child runs
// the app in-process and submits its share of a burst of no-op diagnostic jobs; the parent
// counts completed jobs in the shared SQLite file until all are done.
//   node bench/engine-processes.mjs [--processes 2] [--jobs 20000] [--concurrency 8]
import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flag, option } from './figures.mjs';

const require = createRequire(import.meta.url);

async function child() {
  const { createApp } = require('../dist/bootstrap.js');
  const { loadConfig } = require('../dist/config/app-config.js');
  const { JobsService } = require('../dist/core/jobs/jobs.service.js');
  const config = loadConfig({
    DATA_DIR: process.env.BENCH_DIR,
    NODE_ID: process.env.BENCH_NODE,
    QUEUE_CAPACITY: '10000000',
    USER_QUEUE_CAPACITY: '10000000',
    DIAGNOSTIC_CONCURRENCY: process.env.BENCH_CONCURRENCY,
    AUTH_JWT_SECRET: 'bench',
    DIAGNOSTICS: 'on',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const app = await createApp(config, ['error']);
  await app.init();
  const jobs = app.get(JobsService);
  process.send('ready');
  process.on('message', async (msg) => {
    if (msg === 'stop') {
      await app.close();
      process.exit(0);
    }
    const user = { userId: `bench-${process.env.BENCH_NODE}`, admin: false };
    await Promise.all(Array.from({ length: msg.jobs }, () => jobs.submit(user, 'diagnostic', { durationMs: 0, steps: 1 })));
    process.send('submitted');
  });
}

async function parent() {
  const processes = option('processes', 2);
  const jobs = option('jobs', 20_000);
  const concurrency = option('concurrency', 8);
  const dir = mkdtempSync(join(tmpdir(), 'darkroom-bench-mp-'));
  const children = Array.from({ length: processes }, (_, i) =>
    fork(new URL(import.meta.url).pathname, ['--child'], {
      execArgv: process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : [],
      env: { ...process.env, BENCH_DIR: dir, BENCH_NODE: `bench-${i}`, BENCH_CONCURRENCY: String(concurrency) },
    }),
  );
  let finished = false;
  children.forEach((c, i) =>
    c.once('exit', (code, signal) => {
      if (finished) return;
      console.error(`process bench-${i} ended early (${signal ?? code}): the run is void`);
      children.forEach((other) => other.kill());
      process.exit(1);
    }),
  );
  const next = (c) => new Promise((resolve) => c.once('message', resolve));
  await Promise.all(children.map(next));
  const db = new Database(join(dir, 'darkroom.sqlite'), { readonly: true });
  const count = db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE state = 'completed'`);
  const start = performance.now();
  children.forEach((c) => c.send({ jobs: Math.floor(jobs / processes) }));
  await Promise.all(children.map(next));
  const submitted = performance.now();
  const total = Math.floor(jobs / processes) * processes;
  while (count.get().n < total) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - start) / 1000;
  const dup = db.prepare(`SELECT COUNT(*) AS n FROM jobs WHERE run > 1`).get().n;
  console.log(
    `${processes} processes, burst ${total}: wall=${seconds.toFixed(2)}s throughput=${Math.round(total / seconds)} jobs/s ` +
      `(all accepted after ${((submitted - start) / 1000).toFixed(2)}s; jobs run more than once: ${dup})`,
  );
  db.close();
  finished = true;
  children.forEach((c) => c.send('stop'));
  await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
  rmSync(dir, { recursive: true, force: true });
}

(flag('child') ? child() : parent()).catch((err) => {
  console.error(err);
  process.exit(1);
});
