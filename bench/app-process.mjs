// The built app (dist/main.js) as a child process, for bench:http and chaos.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const jwt = require('jsonwebtoken');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const SECRET = 'bench-secret';
export const tokenFor = (user, admin = false) =>
  jwt.sign(admin ? { role: 'admin' } : {}, SECRET, { algorithm: 'HS256', subject: user, expiresIn: 3600 });

/** Starts dist/main.js; resolves with { child, url } once it logs its address. */
export function startApp(env, nodeArgs = []) {
  return startScript(join(root, 'dist/main.js'), env, nodeArgs);
}

/**
 * Starts a node script that logs `listening on http://127.0.0.1:<port>`; as startApp. Its output
 * goes to a log file (as behind a log collector), not to a pipe this busy process would have to
 * drain: a full pipe would stall the app's synchronous log writes and skew the figures.
 */
export function startScript(script, env, nodeArgs = []) {
  const logFile = join(mkdtempSync(join(tmpdir(), 'darkroom-bench-log-')), 'app.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', AUTH_JWT_SECRET: SECRET, DIAGNOSTICS: 'on', ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  return new Promise((resolve, reject) => {
    const read = () => readFileSync(logFile, 'utf8');
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(read());
      if (!match) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ child, url: match[1], logFile });
    }, 50);
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`app did not start:\n${read().slice(-2000)}`));
    }, 60_000);
    child.once('exit', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`app exited (${code ?? signal}):\n${read().slice(-2000)}`));
    });
  });
}

/** Sends `signal` and waits for the exit. */
export function stopApp(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/**
 * A Redis without persistence on a free loopback port, for the benches' BullMQ peers; null when
 * `redis-server` is not installed.
 */
export async function startRedis() {
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const redis = spawn('redis-server', args, { stdio: 'ignore' });
  const started = await new Promise((resolve) => {
    redis.once('error', () => resolve(false));
    setTimeout(() => resolve(true), 300);
  });
  return started ? { port, stop: () => redis.kill('SIGKILL') } : null;
}
