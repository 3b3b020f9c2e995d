#!/usr/bin/env node
// Realtime benchmark: C socket.io clients subscribed to J running diagnostic jobs.
// The app (compiled, dist/) runs in a child process that reports its event-loop lag; this
// process drives the clients and measures delivery from the handler's progress report
// (`updatedAt` of job:progress, same machine clock) to arrival in the client.
//   npm run bench:realtime -- [--clients 1000] [--jobs 20] [--step-ms 200] [--seconds 10] [--same-user]
// --step-ms: how often each job reports progress (200 ms = 5/s, under the 10/s coalescing cap,
//            so the figures measure delivery, not coalescing).
// --same-user: clients connect as the jobs' owner (each also gets every job via its user room).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { flag, option } from './figures.mjs';

const require = createRequire(import.meta.url);
const SECRET = 'bench-realtime-secret';

if (flag('server')) await serve();
else await drive();

/** Child: the app on a random port, reporting event-loop delay over IPC. */
async function serve() {
  const { createApp } = require('../dist/bootstrap.js');
  const { loadConfig } = require('../dist/config/app-config.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-bench-rt-'));
  const config = loadConfig({
    DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET, DIAGNOSTICS: 'on',
    DIAGNOSTIC_CONCURRENCY: '1024', USER_QUEUE_CAPACITY: '100000', QUEUE_CAPACITY: '100000',
  });
  const app = await createApp(config, ['error']);
  await app.listen(0, '127.0.0.1');
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  process.on('message', async (msg) => {
    if (msg === 'reset') lag.reset();
    if (msg === 'report') {
      process.send({ type: 'lag', maxMs: lag.max / 1e6, p99Ms: lag.percentile(99) / 1e6, meanMs: lag.mean / 1e6 });
    }
    if (msg === 'stop') {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send({ type: 'ready', url: (await app.getUrl()).replace('[::1]', '127.0.0.1') });
}

/** Parent: clients, jobs, measurements. */
async function drive() {
  const { io } = await import('socket.io-client');
  const jwt = require('jsonwebtoken');
  const CLIENTS = option('clients', 1000);
  const JOBS = option('jobs', 20);
  const STEP_MS = option('step-ms', 200);
  const SECONDS = option('seconds', 10);
  const SAME_USER = flag('same-user');
  const sign = (sub, admin) => jwt.sign(admin ? { role: 'admin' } : {}, SECRET, { subject: sub, expiresIn: 3600 });

  const child = fork(fileURLToPath(import.meta.url), ['--server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (msg, type) =>
    new Promise((resolve) => {
      const on = (m) => m.type === type && (child.off('message', on), resolve(m));
      child.on('message', on);
      if (msg) child.send(msg);
    });
  const { url } = await ask(null, 'ready');
  const owner = sign('bench-owner', false);

  const durationMs = (SECONDS + 60) * 1000;
  const jobIds = [];
  for (let j = 0; j < JOBS; j++) {
    const res = await fetch(`${url}/api/diagnostics/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ durationMs, steps: Math.min(1000, Math.round(durationMs / STEP_MS)) }),
    });
    jobIds.push((await res.json()).jobId);
  }

  const state = { measuring: false, events: 0, latencies: [], terminal: 0 };
  const sockets = [];
  const connectOne = (i) =>
    new Promise((resolve, reject) => {
      const token = SAME_USER ? owner : sign(`viewer-${i}`, true);
      const s = io(`${url}/jobs`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      s.on('job:progress', (p) => {
        if (!state.measuring) return;
        state.events += 1;
        state.latencies.push(Date.now() - Date.parse(p.updatedAt));
      });
      s.once('connect', async () => {
        const ack = await s.timeout(10_000).emitWithAck('subscribe', { jobId: jobIds[i % JOBS] });
        if (!ack.ok) return reject(new Error(`subscribe failed: ${JSON.stringify(ack)}`));
        resolve(s);
      });
      s.once('connect_error', reject);
    });
  const t0 = Date.now();
  for (let i = 0; i < CLIENTS; i += 100) {
    const batch = [];
    for (let k = i; k < Math.min(CLIENTS, i + 100); k++) batch.push(connectOne(k));
    sockets.push(...(await Promise.all(batch)));
  }
  const connectS = (Date.now() - t0) / 1000;

  await new Promise((r) => setTimeout(r, 1000));
  const clientLag = monitorEventLoopDelay({ resolution: 1 });
  clientLag.enable();
  child.send('reset');
  state.measuring = true;
  const started = Date.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  state.measuring = false;
  const elapsed = (Date.now() - started) / 1000;
  const lag = await ask('report', 'lag');
  clientLag.disable();

  const sorted = state.latencies.sort((a, b) => a - b);
  const pct = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  const perJobRate = 1000 / Math.max(STEP_MS, 100);
  const expected = SAME_USER ? CLIENTS * JOBS * perJobRate : CLIENTS * perJobRate;
  console.log(`realtime bench: ${CLIENTS} sockets, ${JOBS} jobs, progress every ${STEP_MS} ms, ${elapsed.toFixed(1)} s${SAME_USER ? ', same user' : ''}`);
  console.log(`  connected + subscribed in ${connectS.toFixed(2)} s`);
  console.log(`  events delivered/s   ${(state.events / elapsed).toFixed(0)} (expected ≈ ${expected.toFixed(0)})`);
  console.log(`  latency report→client  p50 ${pct(0.5)} ms   p99 ${pct(0.99)} ms   max ${sorted.at(-1)} ms   (n=${sorted.length})`);
  console.log(`  server event-loop lag  max ${lag.maxMs.toFixed(1)} ms   p99 ${lag.p99Ms.toFixed(1)} ms   mean ${lag.meanMs.toFixed(2)} ms`);
  console.log(`  client event-loop lag  max ${(clientLag.max / 1e6).toFixed(1)} ms   p99 ${(clientLag.percentile(99) / 1e6).toFixed(1)} ms`);

  for (const id of jobIds) {
    await fetch(`${url}/api/jobs/${id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${owner}` } });
  }
  sockets.forEach((s) => s.close());
  child.send('stop');
  await new Promise((r) => child.once('exit', r));
}
