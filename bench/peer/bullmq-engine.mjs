#!/usr/bin/env node
// bench:engine's peer: the same no-op jobs through BullMQ 6 on a local Redis without
// persistence (a Queue and a Worker of concurrency 8 in this process): a burst of 20,000 added
// at once, then a steady 2,000/s for 10 s; submit→complete latency from the worker's
// `completed` event. Run by bench/engine.mjs when `redis-server` is installed.
//   node bench/peer/bullmq-engine.mjs --redis-port N [--run burst|steady] [--jobs 20000] [--concurrency 8] [--rate 2000] [--seconds 10]
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { option, reportRun, word } from '../figures.mjs';

const require = createRequire(import.meta.url);
const { Queue, Worker } = require('bullmq');

const JOBS = option('jobs', 20_000);
const CONCURRENCY = option('concurrency', 8);
const RATE = option('rate', 2_000);
const SECONDS = option('seconds', 10);
const connection = { host: '127.0.0.1', port: option('redis-port', 6379) };


async function withQueue(name, run) {
  const queue = new Queue(name, { connection });
  const sent = new Map();
  const latencies = [];
  let done;
  const all = new Promise((resolve) => (done = resolve));
  const worker = new Worker(name, async () => null, { connection, concurrency: CONCURRENCY });
  worker.on('completed', (job) => {
    latencies.push(performance.now() - sent.get(job.id));
    sent.delete(job.id);
    if (latencies.length === run.total) done();
  });
  await worker.waitUntilReady();
  let next = 0;
  const add = async () => {
    const jobId = `j${++next}`; // known before the add resolves: the worker may finish first
    sent.set(jobId, performance.now());
    await queue.add('diagnostic', { durationMs: 0 }, { jobId });
  };
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const start = performance.now();
  await run.submit(add);
  await all;
  const seconds = (performance.now() - start) / 1000;
  lag.disable();
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { seconds, latencies: latencies.sort((a, b) => a - b), lag };
}

const burst = {
  total: JOBS,
  submit: (add) => Promise.all(Array.from({ length: JOBS }, add)),
};
const steady = {
  total: RATE * SECONDS,
  submit: (add) =>
    new Promise((resolve) => {
      let sent = 0;
      const start = performance.now();
      const timer = setInterval(() => {
        const due = Math.min(RATE * SECONDS, Math.floor(((performance.now() - start) / 1000) * RATE));
        for (; sent < due; sent++) void add();
        if (sent >= RATE * SECONDS) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    }),
};

// `--run burst|steady`: that run only (bench:engine runs each in a fresh process); else both.
const only = word('run');
if (only !== 'steady') {
  console.log(`peer: BullMQ ${require('bullmq/package.json').version} on a local Redis without persistence, concurrency ${CONCURRENCY}`);
  const burstRun = await withQueue('bench-burst', burst);
  reportRun(`burst ${JOBS} at once`, burstRun, burstRun.lag);
}
if (only !== 'burst') {
  const steadyRun = await withQueue('bench-steady', steady);
  reportRun(`steady ${RATE}/s for ${SECONDS}s`, steadyRun, steadyRun.lag);
}
process.exit(0);
