#!/usr/bin/env node
// bench:engine's peer: the same no-op jobs through BullMQ 6 on a local Redis without
// persistence (a Queue and a Worker of concurrency 8 in this process): a burst of 20,000 added
// at once, then a steady 2,000/s for 10 s; submit→complete latency from the worker's
// `completed` event. Run by bench/engine.mjs when `redis-server` is installed.
//   node bench/peer/bullmq-engine.mjs --redis-port N [--jobs 20000] [--concurrency 8] [--rate 2000] [--seconds 10]
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { Queue, Worker } = require('bullmq');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const JOBS = opt('jobs', 20_000);
const CONCURRENCY = opt('concurrency', 8);
const RATE = opt('rate', 2_000);
const SECONDS = opt('seconds', 10);
const connection = { host: '127.0.0.1', port: opt('redis-port', 6379) };

const pct = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const fmt = (n) => n.toFixed(2);

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

function report(name, { seconds, latencies, lag }) {
  const n = latencies.length;
  console.log(
    `${name.padEnd(28)} jobs=${n} wall=${fmt(seconds)}s throughput=${Math.round(n / seconds)} jobs/s ` +
      `p50=${fmt(pct(latencies, 0.5))}ms p99=${fmt(pct(latencies, 0.99))}ms max=${fmt(latencies[n - 1])}ms ` +
      `loop-lag-max=${fmt(lag.max / 1e6)}ms`,
  );
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

console.log(`peer: BullMQ ${require('bullmq/package.json').version} on a local Redis without persistence, concurrency ${CONCURRENCY}`);
report(`burst ${JOBS} at once`, await withQueue('bench-burst', burst));
report(`steady ${RATE}/s for ${SECONDS}s`, await withQueue('bench-steady', steady));
process.exit(0);
