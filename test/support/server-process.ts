import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { HttpResponse, request, RequestOptions } from './http';

export const SERVER_SECRET = 'process-secret';

/** The built app (`dist/main.js`) as a separate process, for crash and restart tests. */
export class ServerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    private readonly output: { text: string },
  ) {}

  /** Everything the process has written to stdout (its log lines), from its start. */
  get stdout(): string {
    return this.output.text;
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
    const output = { text: '' };
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    return new Promise((resolve, reject) => {
      const said = () => `${output.text}${errors}`;
      const timer = setTimeout(() => reject(new Error(`server did not start: ${said()}`)), 60_000);
      const onData = (): void => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.text);
        if (!match) return;
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(new ServerProcess(child, match[1], output));
      };
      child.stdout.on('data', onData);
      child.on('exit', (code) => reject(new Error(`server exited ${code}: ${said()}`)));
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
