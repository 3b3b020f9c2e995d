import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { errorsOf, launchBrowser, openPage, storedToken } from '../support/browser';
import { eventually } from '../support/http';
import { ServerProcess } from '../support/server-process';

jest.setTimeout(120_000);

/** The quick start: `npm start` on a developer's machine prints a link that opens the app signed in. */
describe('Browser: the sign-in link npm start prints', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'darkroom-link-'));
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    // As `npm start` runs it: NODE_ENV unset, on loopback.
    server = await ServerProcess.start({ DATA_DIR: dataDir, NODE_ENV: undefined });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should open the app signed in as the local admin', async () => {
    const link = await eventually(() => {
      const match = /sign in as the local admin: (http:\/\/localhost:\d+\/#token=[\w.-]+)/.exec(
        server.stdout,
      );
      return Promise.resolve(match?.[1]);
    });
    expect(new URL(link).port).toBe(new URL(server.url).port);
    const page = await openPage(browser);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    expect(page.url()).not.toContain('token');
    expect(await storedToken(page)).toBe(new URL(link).hash.slice('#token='.length));
    // The admin's own panel is there: the queue.
    await page.getByRole('link', { name: 'Queue' }).click();
    await page.getByRole('button', { name: /Pause|Resume/ }).waitFor();
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });
});
