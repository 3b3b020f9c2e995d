import jwt from 'jsonwebtoken';
import { Browser } from 'playwright-core';
import {
  errorsOf,
  imageWidth,
  launchBrowser,
  openPage,
  screenshotSizes,
  signInByLink,
  storedToken,
  waitForAttribute,
} from '../support/browser';
import { eventually } from '../support/http';
import { TestApp } from '../support/test-app';
import { fitsImage, pngImage, uploadAsset } from '../support/upload';

jest.setTimeout(120_000);

describe('Browser: sign-in and library', () => {
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

  it('should sign in through the printed link, strip the token and keep it for the session', async () => {
    const token = t.token('link-user');
    const page = await openPage(browser);
    await signInByLink(page, t.url, token);
    expect(page.url()).not.toContain('token');
    expect(await storedToken(page)).toBe(token);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').waitFor();
    expect(await storedToken(page)).toBeNull();
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('should sign in with a pasted token and send an expired one back to sign-in', async () => {
    const page = await openPage(browser);
    await page.goto(t.url);
    await page.getByLabel('Access token').fill('not a token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This is not a Darkroom token').waitFor();
    // By keyboard only: type, Tab to the button, Enter.
    await page.getByLabel('Access token').fill('');
    await page.getByLabel('Access token').focus();
    await page.keyboard.type(t.token('paster'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await page.context().close();
    // A token the server refuses (here: another secret) leads back to sign-in with a reason. It is
    // in the session before the app starts: set on a running page, the page's own next request
    // could meet it and sign out before a reload, leaving no reason to show.
    const forged = jwt.sign({}, 'another-secret', { subject: 'paster', expiresIn: 60 });
    const refused = await openPage(browser);
    await refused.addInitScript(
      `sessionStorage.setItem("darkroom.token", ${JSON.stringify(forged)})`,
    );
    await refused.goto(t.url);
    await refused.getByText('Sign in again').waitFor();
    await refused.getByLabel('Access token').waitFor();
    await refused.context().close();
  });

  it('should send a person whose token expires back to sign-in', async () => {
    const page = await openPage(browser);
    const expired = jwt.sign({}, 'e2e-secret', { subject: 'late', expiresIn: -10 });
    await page.goto(`${t.url}/#token=${expired}`);
    await page.getByText('Your session has expired').waitFor();
    // A token that expires while the page is open: the server drops the socket, and the
    // page goes back to sign-in with the reason.
    const shortLived = jwt.sign({}, 'e2e-secret', { subject: 'late', expiresIn: 6 });
    await page.getByLabel('Access token').fill(shortLived);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    await page.getByText('Your session has expired').waitFor({ timeout: 60_000 });
    expect(await storedToken(page)).toBeNull();
    await page.context().close();
  });

  it('should upload a FITS file and show its thumbnail when the thumbnail job finishes', async () => {
    const token = t.token('astro');
    await uploadAsset(t, token, await pngImage(96, 64, '#aa5500'), 'orange.png', 'orange.png');
    const page = await openPage(browser);
    await signInByLink(page, t.url, token, '/library');
    const fits = fitsImage(120, 90, (x, y) => Math.sin(x / 9) * Math.cos(y / 7) + x / 60);
    await page.setInputFiles('#upload-input', [
      { name: 'm42.fits', mimeType: 'application/fits', buffer: fits },
      { name: 'blue.png', mimeType: 'image/png', buffer: await pngImage(40, 30, '#0033cc') },
    ]);
    for (const name of ['m42.fits', 'blue.png']) {
      const bar = page.getByRole('progressbar', { name: `Upload of ${name}` });
      await waitForAttribute(bar, 'aria-valuenow', (v) => v === '100');
    }
    const tile = page.locator('li.tile', { hasText: 'm42.fits' });
    const img = tile.locator('img.tile__img');
    await img.waitFor({ timeout: 60_000 });
    expect(await eventually(async () => (await imageWidth(img)) || undefined)).toBeGreaterThan(0);
    await tile.getByRole('button').click();
    const details = page.getByRole('complementary');
    await details.getByText('FITS', { exact: true }).waitFor();
    await details.getByText('120 × 90 px, 1 channel').waitFor();
    await details.getByText('32-bit', { exact: true }).waitFor();
    const assetId = await tile.getAttribute('data-asset-id');
    const header = await t.request('GET', `/api/assets/${assetId}/header`, { token });
    expect(header.status).toBe(200);
    // The FITS header cards, as the server reads them.
    const cards = details.getByRole('table');
    await cards.getByRole('rowheader', { name: 'BITPIX' }).waitFor();
    expect(await cards.locator('tbody tr').count()).toBe(header.body.cards.length);

    // Dropped files upload as picked ones do.
    const dropped = await pngImage(24, 16, '#22aa22');
    // (A string: the test project has no DOM types; it runs in the page.)
    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      const bytes = new Uint8Array(${JSON.stringify(Array.from(dropped))});
      transfer.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
      return transfer;
    })()`);
    await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer });
    await page.locator('li.tile', { hasText: 'dropped.png' }).waitFor();
    await screenshotSizes(page, 'library');
    const blue = page.locator('li.tile', { hasText: 'blue.png' });
    await blue.getByRole('button').click();
    await page.getByRole('complementary').getByRole('button', { name: 'Delete' }).click();
    await blue.waitFor({ state: 'detached' });
    const left = await t.request('GET', '/api/assets', { token });
    expect(left.body.items.map((a: any) => a.name).sort()).toEqual([
      'dropped.png',
      'm42.fits',
      'orange.png',
    ]);
    expect(errorsOf(page)).toEqual([]);
    await page.context().close();
  });
});
