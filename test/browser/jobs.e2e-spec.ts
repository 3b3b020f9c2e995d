import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import {
  errorsOf,
  launchBrowser,
  openPage,
  screenshotSizes,
  signInByLink,
  waitForAttribute,
} from '../support/browser';
import { eventually } from '../support/http';
import { TestApp } from '../support/test-app';

jest.setTimeout(150_000);

const row = (page: Page, id: string) => page.locator(`li.jobrow[data-job-id="${id}"]`);

/** Waits until the job's row shows `state` (the row's data-state follows the cached job). */
const rowState = (page: Page, id: string, state: string) =>
  waitForAttribute(row(page, id), 'data-state', (v) => v === state);

describe('Browser: jobs and queue', () => {
  let t: TestApp;
  let browser: Browser;

  const submit = async (token: string, body: object): Promise<string> => {
    const res = await t.request('POST', '/api/diagnostics/jobs', { token, body });
    expect(res.status).toBe(202);
    return res.body.jobId as string;
  };

  beforeAll(async () => {
    t = await TestApp.start({ DIAGNOSTIC_MAX_ATTEMPTS: '1' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should cancel a long diagnostic job', async () => {
    const token = t.token('canceller');
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/jobs');
    const id = await submit(token, { durationMs: 120_000, steps: 600 });
    await rowState(page, id, 'running');
    await row(page, id).getByRole('button', { name: 'Cancel' }).click();
    await rowState(page, id, 'cancelled');
    expect((await t.request('GET', `/api/jobs/${id}`, { token })).body.state).toBe('cancelled');
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('should retry a failed job and show its runs', async () => {
    const token = t.token('retrier');
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/jobs');
    const id = await submit(token, { durationMs: 100, steps: 2, failAttempts: 1 });
    await rowState(page, id, 'failed');
    await row(page, id).getByRole('button', { name: 'Retry' }).click();
    await rowState(page, id, 'completed');
    await row(page, id)
      .getByRole('button', { name: /^Details of/ })
      .click();
    const panel = page.getByRole('complementary');
    await panel.getByText('attempt 2 of').waitFor();
    const job = (await t.request('GET', `/api/jobs/${id}`, { token })).body;
    expect(job.history.map((h: { event: string }) => h.event)).toEqual([
      'queued',
      'claimed',
      'failed',
      'queued',
      'claimed',
      'completed',
    ]);
    const history = panel.getByRole('list', { name: 'Job history' });
    await eventually(async () =>
      (await history.locator('li').count()) === job.history.length ? true : undefined,
    );
    await page.context().close();
  });

  it('should show stage, time left and the log, filter by type, bulk-retry and download', async () => {
    const token = t.token('operator');
    const failing = [
      await submit(token, { durationMs: 0, failAttempts: 1 }),
      await submit(token, { durationMs: 0, failAttempts: 1 }),
    ];
    const withFile = await submit(token, { durationMs: 0, resultBytes: 1_000 });
    for (const id of [...failing, withFile]) await t.waitForState(id, token);
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/jobs');
    const long = await submit(token, { durationMs: 60_000, steps: 60 });
    await rowState(page, long, 'running');
    // Stage text, elapsed time and an estimate of the time left, as the job reports progress.
    await row(page, long).getByText('work').waitFor();
    await row(page, long).getByText(/left$/).waitFor();

    await page.getByLabel('Type').selectOption('composite');
    await page.getByText(/No jobs/).waitFor();
    expect(await page.locator('li.jobrow').count()).toBe(0);
    await page.getByLabel('Type').selectOption('diagnostic');
    await eventually(async () =>
      (await page.locator('li.jobrow').count()) === 4 ? true : undefined,
    );

    await page.getByRole('button', { name: 'Retry 2 failed' }).click();
    for (const id of failing) await rowState(page, id, 'completed');

    await row(page, withFile)
      .getByRole('button', { name: /^Details of/ })
      .click();
    const { messages } = (await t.request('GET', `/api/jobs/${withFile}`, { token })).body;
    expect(messages.length).toBeGreaterThan(0);
    const log = page.getByRole('complementary').getByRole('list', { name: 'Job log' });
    await log.getByText(messages.at(-1).text).waitFor();
    expect(await log.locator('li').count()).toBe(messages.length);
    const downloading = page.waitForEvent('download');
    await row(page, withFile).getByRole('link', { name: 'Download' }).click();
    const file = await downloading;
    expect(readFileSync(await file.path()).length).toBe(1_000);
    await t.request('POST', `/api/jobs/${long}/cancel`, { token });
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('should update two tabs of one user live', async () => {
    const token = t.token('twotabs');
    const tabs = [await openPage(browser), await openPage(browser)];
    for (const tab of tabs) {
      await signInByLink(tab, t.url, token, '/jobs');
      await tab.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    }
    const id = await submit(token, { durationMs: 4_000, steps: 20 });
    const seen = await Promise.all(
      tabs.map(async (tab) => {
        const values = new Set<number>();
        const bar = row(tab, id).getByRole('progressbar');
        await waitForAttribute(bar, 'aria-valuenow', (v) => {
          values.add(Number(v));
          return v === '100';
        });
        return values;
      }),
    );
    for (const values of seen) {
      // The bar moved through intermediate values without a reload.
      expect([...values].some((v) => v > 0 && v < 100)).toBe(true);
    }
    await Promise.all(tabs.map((tab) => rowState(tab, id, 'completed')));
    await Promise.all(tabs.map((tab) => tab.context().close()));
  });

  it('should filter, search by id and bulk-delete finished jobs', async () => {
    const token = t.token('tidy');
    const done = await submit(token, { durationMs: 0 });
    const failed = await submit(token, { durationMs: 0, failAttempts: 1 });
    const running = await submit(token, { durationMs: 120_000, steps: 600 });
    await t.waitForState(done, token);
    await t.waitForState(failed, token);
    await t.waitForState(running, token, ['running']);
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/jobs');
    await rowState(page, running, 'running');
    await row(page, running)
      .getByRole('button', { name: /^Details of/ })
      .click();
    await screenshotSizes(page, 'jobs');
    await page.getByLabel('State').selectOption('failed');
    await rowState(page, failed, 'failed');
    expect(await page.locator('li.jobrow').count()).toBe(1);
    await page.getByLabel('State').selectOption('');
    await page.getByLabel('Job id').fill(done.slice(0, 12));
    await eventually(async () =>
      (await page.locator('li.jobrow').count()) === 1 ? true : undefined,
    );
    await page.getByLabel('Job id').fill('');
    await page.getByRole('button', { name: 'Delete 2 finished' }).click();
    await eventually(async () =>
      (await page.locator('li.jobrow').count()) === 1 ? true : undefined,
    );
    expect((await t.request('GET', `/api/jobs/${done}`, { token })).status).toBe(404);
    await row(page, running).getByRole('button', { name: 'Cancel' }).click();
    await rowState(page, running, 'cancelled');
    await page.context().close();
  });

  it('should show the admin queue panel live and pause and resume the queue', async () => {
    const admin = t.token('root', true);
    const page = await openPage(browser);
    await signInByLink(page, t.url, admin, '/admin');
    const running = page.locator('.stat--running .stat__value');
    await running.waitFor();
    const id = await submit(admin, { durationMs: 60_000, steps: 600 });
    await eventually(async () => (Number(await running.textContent()) >= 1 ? true : undefined));
    // Workers busy per type, and the counts and durations by type.
    await waitForAttribute(
      page.getByLabel('diagnostic workers busy'),
      'value',
      (v) => Number(v) >= 1,
    );
    const byType = page.getByRole('table').getByRole('row', { name: /^diagnostic/ });
    await byType.waitFor();
    expect(await byType.getByRole('cell').count()).toBe(7); // 5 states, p50, p95 (type: row header)
    await page.getByRole('button', { name: 'Pause queue' }).click();
    await page.getByRole('status').filter({ hasText: 'Queue is paused' }).waitFor();
    const waiting = await submit(admin, { durationMs: 0 });
    const queued = (await t.request('GET', `/api/jobs/${waiting}`, { token: admin })).body;
    expect(queued.state).toBe('queued');
    await screenshotSizes(page, 'admin');
    await page.getByRole('button', { name: 'Resume queue' }).click();
    await page.getByRole('status').filter({ hasText: 'Queue is running' }).waitFor();
    await t.waitForState(waiting, admin);
    await t.request('POST', `/api/jobs/${id}/cancel`, { token: admin });
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });
});

describe('Browser: an expired result', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    // Results expire as they are made; the reaper stays away for the test.
    t = await TestApp.start({ RESULT_TTL_HOURS: '0', REAP_INTERVAL_MS: '3600000' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should say that the result has expired instead of offering a dead link', async () => {
    const token = t.token('late');
    const res = await t.request('POST', '/api/diagnostics/jobs', {
      token,
      body: { durationMs: 0, resultBytes: 100 },
    });
    await t.waitForState(res.body.jobId, token);
    expect((await t.request('GET', `/api/jobs/${res.body.jobId}/result`, { token })).status).toBe(
      410,
    );
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/jobs');
    await row(page, res.body.jobId).getByText('This result has expired.').waitFor();
    expect(await row(page, res.body.jobId).getByRole('link', { name: 'Download' }).count()).toBe(0);
    await page.context().close();
  });
});
