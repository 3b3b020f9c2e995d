import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { AuthService } from '../../src/core/auth/auth.service';
import { eventually, HttpResponse, request, RequestOptions } from './http';

export const TERMINAL = ['completed', 'failed', 'cancelled'];

/** The S3 settings of the test run (`npm run test:e2e:s3` points every app at s3rver). */
function storageEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[0].startsWith('S3_') && entry[1] !== undefined,
    ),
  );
}

/** The real app, in this process, on a random loopback port with its own data directory. */
export class TestApp {
  private constructor(
    readonly app: INestApplication,
    readonly url: string,
    readonly dataDir: string,
  ) {}

  static async start(env: Record<string, string> = {}, dataDir?: string): Promise<TestApp> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'darkroom-e2e-'));
    const config = loadConfig({
      DATA_DIR: dir,
      AUTH_JWT_SECRET: 'e2e-secret',
      BACKOFF_BASE_MS: '50',
      // Suites submit many jobs quickly: limits are off unless a suite sets them.
      DIAGNOSTICS: 'on',
      RATE_LIMIT_PER_MINUTE: '0',
      UPLOADS_PER_MINUTE: '0',
      SOCKET_CONNECTS_PER_MINUTE: '0',
      ...storageEnv(),
      ...env,
    });
    const app = await createApp(config, ['error']);
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return new TestApp(app, url, dir);
  }

  token(user: string, admin = false): string {
    return this.app.get(AuthService).sign(user, admin);
  }

  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<HttpResponse<T>> {
    return request<T>(this.url, method, path, opts);
  }

  /** Waits until the job is in one of `states` (default: any terminal state); returns it. */
  waitForState(id: string, token: string, states = TERMINAL, timeoutMs = 15_000): Promise<any> {
    return eventually(async () => {
      const res = await this.request('GET', `/api/jobs/${id}`, { token });
      return states.includes(res.body.state) ? res.body : undefined;
    }, timeoutMs);
  }

  async close(keepData = false): Promise<void> {
    await this.app.close();
    if (!keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
