// The built app (dist/main.js) as a child process, for bench:http and chaos.
import { spawn } from 'node:child_process';
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

/** Starts a node script that logs `listening on http://127.0.0.1:<port>`; as startApp. */
export function startScript(script, env, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', AUTH_JWT_SECRET: SECRET, DIAGNOSTICS: 'on', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${out.slice(-2000)}`)), 60_000);
    const onData = (chunk) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({ child, url: match[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => (out += c.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`app exited (${code ?? signal}):\n${out.slice(-2000)}`));
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
