import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import {
  errorsOf,
  launchBrowser,
  openPage,
  screenshot,
  signInByLink,
  waitForAttribute,
} from '../support/browser';
import { ServerProcess } from '../support/server-process';

jest.setTimeout(150_000);

/** A port that was free a moment ago: the restarted server must come back on the same one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('Browser: server restart mid-job', () => {
  let browser: Browser;
  let dir: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'darkroom-browser-restart-'));
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    // A process killed by a signal has a signalCode and no exitCode: stop only live ones.
    for (const s of servers.filter((p) => p.child.exitCode === null && !p.child.signalCode)) {
      await s.stop('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('should reconnect after a restart and still show the end of the job', async () => {
    const env = { PORT: String(await freePort()), DATA_DIR: dir, SHUTDOWN_GRACE_MS: '200' };
    const first = await ServerProcess.start(env);
    servers.push(first);
    const token = ServerProcess.token('phoenix');
    const page = await openPage(browser);
    await signInByLink(page, first.url, token, '/jobs');
    const indicator = page.locator('.conn');
    await waitForAttribute(indicator, 'data-status', (v) => v === 'live');

    const res = await first.request('POST', '/api/diagnostics/jobs', {
      token,
      body: { durationMs: 6_000, steps: 30 },
    });
    expect(res.status).toBe(202);
    const row = page.locator(`li.jobrow[data-job-id="${res.body.jobId}"]`);
    await waitForAttribute(row.getByRole('progressbar'), 'aria-valuenow', (v) => Number(v) >= 10);

    await first.stop('SIGTERM');
    await waitForAttribute(indicator, 'data-status', (v) => v !== 'live');
    await screenshot(page, 'jobs-connection-lost-1280-light');

    const second = await ServerProcess.start(env);
    servers.push(second);
    await waitForAttribute(indicator, 'data-status', (v) => v === 'live', 60_000);
    await waitForAttribute(row, 'data-state', (v) => v === 'completed', 60_000);
    expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });
});
