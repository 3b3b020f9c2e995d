import { readFileSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
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
import { download, fitsImage, uploadAsset } from '../support/upload';

jest.setTimeout(150_000);

/** Uploads `n` FITS images and waits until their thumbnails are ready. */
async function uploadChannels(t: TestApp, token: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const fits = fitsImage(120, 90, (x, y) => Math.sin((x + i * 20) / 11) + Math.cos(y / (5 + i)));
    const res = await uploadAsset(t, token, fits, `band-${i}.fits`, `band-${i}.fits`);
    ids.push(res.body.id);
  }
  await eventually(async () => {
    const res = await t.request('GET', '/api/assets', { token });
    return res.body.items.every((a: any) => a.thumbnailUrl) ? true : undefined;
  }, 60_000);
  return ids;
}

/** The user's newest job of `type`, once it has ended (a loaded machine may take a while). */
async function lastJobOf(t: TestApp, token: string, type: string): Promise<any> {
  const id = await eventually(async () => {
    const res = await t.request('GET', `/api/jobs?type=${type}`, { token });
    return res.body.items?.[0]?.id as string | undefined;
  }, 60_000);
  return t.waitForState(id, token, undefined, 90_000);
}

async function addChannels(page: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await page.getByRole('button', { name: '+ Add channel' }).click();
  }
}

describe('Browser: composite builder', () => {
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

  it('should build a 3-channel composite, follow its bar to 100 % and download the file', async () => {
    const token = t.token('painter');
    await uploadChannels(t, token, 3);
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/composite');
    await addChannels(page, 3);
    expect(await page.locator('#ch0-color').inputValue()).toBe('#ff0000');
    expect(await page.locator('#ch1-color').inputValue()).toBe('#00ff00');
    expect(await page.locator('#ch2-color').inputValue()).toBe('#0000ff');
    // The live preview follows the controls.
    await page.getByRole('img', { name: 'Low-resolution preview of the composite' }).waitFor();
    // Each channel's histogram counts its raw FITS values (from the server, not the thumbnail).
    const histogram = page.locator('svg.histogram').first();
    await histogram.waitFor();
    expect(await histogram.getAttribute('aria-label')).toMatch(/^Histogram of physical values/);

    await page.getByRole('button', { name: 'Export composite' }).click();
    const bar = page.getByRole('progressbar', { name: 'Export progress' });
    const seen: number[] = [];
    await waitForAttribute(bar, 'aria-valuenow', (v) => {
      seen.push(Number(v));
      return v === '100';
    });
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const downloading = page.waitForEvent('download');
    await page.locator('.export-status').getByRole('link', { name: 'Download' }).click();
    const file = await downloading;
    const bytes = readFileSync(await file.path());
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height, file.suggestedFilename()]).toEqual([
      'png',
      120,
      90,
      expect.stringMatching(/\.png$/),
    ]);
    await screenshotSizes(page, 'composite');
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('should follow the controls with a new preview and delete the superseded one', async () => {
    const token = t.token('previewer');
    await uploadChannels(t, token, 1);
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/composite');
    await addChannels(page, 1);
    const preview = page.getByRole('img', { name: 'Low-resolution preview of the composite' });
    await preview.waitFor();
    const first = await preview.getAttribute('src');
    await page.locator('#ch0-stretch').selectOption('linear');
    await eventually(
      async () => ((await preview.getAttribute('src')) !== first ? true : undefined),
      60_000,
    );
    // Only the preview on screen is kept: the first one was deleted once the second was done.
    await eventually(async () => {
      const res = await t.request('GET', '/api/jobs?type=composite', { token });
      return res.body.items.length === 1 ? true : undefined;
    }, 60_000);
    await page.context().close();
  });

  it('should export a mosaic of two tiles', async () => {
    const token = t.token('tiler');
    await uploadChannels(t, token, 2);
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/mosaic');
    await page.getByRole('button', { name: 'Export mosaic' }).click();
    await page.getByText('Choose at least two tiles.').waitFor();
    for (const name of ['band-0.fits', 'band-1.fits']) await page.getByLabel(name).check();
    await page.getByLabel('Layout').selectOption('grid');
    await page.getByRole('button', { name: 'Export mosaic' }).click();
    // The server's word first: the job ends completed.
    const job = await lastJobOf(t, token, 'mosaic');
    expect({ state: job.state, error: job.error }).toEqual({ state: 'completed' });
    const bar = page.getByRole('progressbar', { name: 'Mosaic progress' });
    await waitForAttribute(bar, 'aria-valuenow', (v) => v === '100');
    await page.getByRole('link', { name: 'Download' }).waitFor();
    await screenshotSizes(page, 'mosaic');
    await page.context().close();
  });

  it('should place tiles at the offsets typed for them, and save a mosaic to the library', async () => {
    const token = t.token('placer');
    await uploadChannels(t, token, 2);
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/mosaic');
    for (const name of ['band-0.fits', 'band-1.fits']) await page.getByLabel(name).check();
    await page.getByLabel('Layout').selectOption('offsets');
    await page.getByLabel('x of band-1.fits').fill('130');
    await page.getByLabel('y of band-1.fits').fill('10');
    await page.getByRole('button', { name: 'Export mosaic' }).click();
    const placed = await lastJobOf(t, token, 'mosaic');
    expect({ state: placed.state, error: placed.error }).toEqual({ state: 'completed' });
    const meta = await sharp(await download(t, token, placed)).metadata();
    expect([meta.width, meta.height]).toEqual([250, 100]);

    await page.getByLabel('Name in library').fill('two bands');
    await page.getByRole('button', { name: 'Save to library' }).click();
    await page.getByRole('progressbar', { name: 'Mosaic progress' }).waitFor();
    await eventually(async () => {
      const res = await t.request('GET', '/api/assets', { token });
      return res.body.items.some((a: any) => a.name === 'two bands') ? true : undefined;
    }, 90_000);
    await page.context().close();
  });

  it('should show invalid input next to its field', async () => {
    const token = t.token('fussy');
    await uploadChannels(t, token, 1);
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/composite');
    await addChannels(page, 1);
    await page.getByLabel('Live preview').uncheck();
    // Caught by the form before any request…
    await page.locator('#ch0-whitePoint').fill('0');
    await page.getByRole('button', { name: 'Export composite' }).click();
    await page.locator('#ch0-whitePoint-err').getByText('above the black point').waitFor();
    expect(await page.locator('#ch0-whitePoint').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#ch0-whitePoint').fill('0.999');
    // …and what only the server knows, from the error's details.
    await page.locator('#out-width').fill('99999');
    await page.getByRole('button', { name: 'Export composite' }).click();
    await page.getByRole('alert').getByText('Some values are not valid.').waitFor();
    await page.locator('#out-width-err').waitFor();
    expect(await page.locator('#out-width').getAttribute('aria-invalid')).toBe('true');
    await page.context().close();
  });
});

describe('Browser: queue full', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await TestApp.start({ USER_QUEUE_CAPACITY: '1', DIAGNOSTIC_CONCURRENCY: '1' });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should say that the queue is full and when to try again', async () => {
    const token = t.token('busy');
    await uploadChannels(t, token, 1);
    const long = { durationMs: 60_000, steps: 60 };
    // One running, one waiting: the user's waiting room (1 place) is full.
    const first = await t.request('POST', '/api/diagnostics/jobs', { token, body: long });
    await t.waitForState(first.body.jobId, token, ['running']);
    const second = await t.request('POST', '/api/diagnostics/jobs', { token, body: long });
    expect([first.status, second.status]).toEqual([202, 202]);
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/composite');
    await page.getByLabel('Live preview').uncheck();
    await addChannels(page, 1);
    await page.getByRole('button', { name: 'Export composite' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The queue is full.' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/try again (in \d+s|now)/);
    await page.context().close();
  });
});
