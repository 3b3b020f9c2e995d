import { Browser } from 'playwright-core';
import {
  errorsOf,
  launchBrowser,
  openPage,
  screenshot,
  signInByLink,
  waitForAttribute,
} from '../support/browser';
import { TestApp } from '../support/test-app';

jest.setTimeout(120_000);

describe('Browser: without Socket.IO', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await TestApp.start();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should fall back to SSE and polling and still follow a job to its end', async () => {
    const token = t.token('firewalled');
    const page = await openPage(browser);
    // A proxy that lets no Socket.IO traffic through, polling transport included.
    await page.route('**/socket.io/**', (route) => route.abort());
    const streams: string[] = [];
    page.on('request', (req) => req.url().includes('/api/sse/jobs/') && streams.push(req.url()));
    await signInByLink(page, t.url, token, '/jobs');
    await waitForAttribute(page.locator('.conn'), 'data-status', (v) => v === 'polling');
    await page.getByText('Live updates are unavailable').waitFor();

    const res = await t.request('POST', '/api/diagnostics/jobs', {
      token,
      body: { durationMs: 3_000, steps: 10 },
    });
    const row = page.locator(`li.jobrow[data-job-id="${res.body.jobId}"]`);
    await row.waitFor();
    // Opening the job watches it: with the socket down, over its SSE stream.
    await row.getByRole('button', { name: /^Details of/ }).click();
    await waitForAttribute(row, 'data-state', (v) => v === 'completed');
    expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(streams.some((url) => url.includes(res.body.jobId))).toBe(true);
    await screenshot(page, 'jobs-polling-1280-light');
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });
});
