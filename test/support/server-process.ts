import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { HttpResponse, request, RequestOptions } from './http';

export const SERVER_SECRET = 'process-secret';

/** The built app (`dist/main.js`) as a separate process, for crash and restart tests. */
export class ServerProcess {
  private output = '';

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Everything the process has written to stdout since it said it was listening. */
  get stdout(): string {
    return this.output;
  }

  /** `env` values of `undefined` are removed from the inherited environment (e.g. NODE_ENV). */
  static start(env: Record<string, string | undefined>): Promise<ServerProcess> {
    const child = spawn(process.execPath, [join(__dirname, '../../dist/main.js')], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        AUTH_JWT_SECRET: SERVER_SECRET,
        DIAGNOSTICS: 'on',
        RATE_LIMIT_PER_MINUTE: '0',
        UPLOADS_PER_MINUTE: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
      const onData = (chunk: Buffer): void => {
        out += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          const server = new ServerProcess(child, match[1]);
          server.output = out.slice(match.index);
          resolve(server);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
    });
  }

  static token(user: string, admin = false): string {
    const claims = admin ? { role: 'admin' } : {};
    return jwt.sign(claims, SERVER_SECRET, { algorithm: 'HS256', subject: user, expiresIn: 3600 });
  }

  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<HttpResponse<T>> {
    return request<T>(this.url, method, path, opts);
  }

  /** Sends a signal and waits for the process to exit. */
  stop(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}
