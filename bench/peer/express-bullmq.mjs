#!/usr/bin/env node
// The peer bench:http compares Darkroom with: Express 5 + BullMQ on a local Redis (no
// persistence). POST /api/diagnostics/jobs checks the bearer JWT, validates the body, adds a
// BullMQ job and answers 202 { jobId }; a worker (concurrency 8) completes each job at once.
// Run by bench/http.mjs --peer: env REDIS_PORT, AUTH_JWT_SECRET; prints its address.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const express = require('express');
const jwt = require('jsonwebtoken');
const { Queue, Worker } = require('bullmq');

const connection = { host: '127.0.0.1', port: Number(process.env.REDIS_PORT) };
const secret = process.env.AUTH_JWT_SECRET;
const queue = new Queue('diagnostic', { connection });
const worker = new Worker('diagnostic', async () => null, { connection, concurrency: 8 });

const FIELDS = { durationMs: [0, 600_000], steps: [1, 1_000] };

/** The body's problems, as a validation pipe would list them. */
function problems(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body must be an object'];
  const out = [];
  for (const [key, value] of Object.entries(body)) {
    const range = FIELDS[key];
    if (!range) out.push(`${key} is not allowed`);
    else if (!Number.isInteger(value) || value < range[0] || value > range[1]) out.push(`${key} is out of range`);
  }
  return out;
}

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/api/diagnostics/jobs', async (req, res) => {
  const header = req.headers.authorization ?? '';
  let user;
  try {
    user = jwt.verify(header.slice(7), secret, { algorithms: ['HS256'] }).sub;
  } catch {
    return res.status(401).json({ code: 'unauthorized' });
  }
  const wrong = problems(req.body);
  if (wrong.length) return res.status(400).json({ code: 'validation_failed', details: wrong });
  const job = await queue.add('diagnostic', { ...req.body, owner: user });
  res.status(202).json({ jobId: job.id });
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', async () => {
  server.close();
  await worker.close();
  await queue.close();
  process.exit(0);
});
