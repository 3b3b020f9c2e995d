import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { eventually } from './http';

/** Where browser tests leave their screenshots (gitignored); look at them after a run. */
export const ARTEFACTS = join(__dirname, '..', '..', 'test-artefacts');

/** Debian's Chromium (or CHROME_PATH), headless, each launch with a fresh temporary profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface PageOptions {
  width?: number;
  dark?: boolean;
}

/** A new tab in a new context (own sessionStorage), failing the test on page errors. */
export async function openPage(browser: Browser, opts: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: 900 },
    colorScheme: opts.dark ? 'dark' : 'light',
    acceptDownloads: true,
  });
  // Wide margins: the machine running the suite may be busy.
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  trackErrors(page);
  return page;
}

const pageErrors = new WeakMap<Page, string[]>();

/** Uncaught exceptions in the page are bugs: collect them so that tests can assert none happened. */
export function trackErrors(page: Page): void {
  const list: string[] = [];
  pageErrors.set(page, list);
  page.on('pageerror', (err) => list.push(err.message));
}

export function errorsOf(page: Page): string[] {
  return pageErrors.get(page) ?? [];
}

/** Opens the sign-in link that `npm start` prints (`/#token=…`). */
export async function signInByLink(
  page: Page,
  url: string,
  token: string,
  path = '/',
): Promise<void> {
  await page.goto(`${url}${path}#token=${token}`);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Saves a full-page screenshot as test-artefacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTEFACTS, { recursive: true });
  const path = join(ARTEFACTS, `${name}.png`);
  // A sticky header would land mid-page in a full-page shot taken while scrolled.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Screenshots of the current page at 1280 and 390 px, light and dark. */
export async function screenshotSizes(page: Page, name: string): Promise<void> {
  const initial = page.viewportSize() ?? { width: 1280, height: 900 };
  const layout: Record<string, { overflow: number; background: string }> = {};
  for (const [width, dark] of [
    [1280, false],
    [1280, true],
    [390, false],
    [390, true],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
    const label = `${name}-${width}-${dark ? 'dark' : 'light'}`;
    await screenshot(page, label);
    layout[label] = await page.evaluate<{ overflow: number; background: string }>(
      `({ overflow: document.documentElement.scrollWidth - window.innerWidth,
          background: getComputedStyle(document.body).backgroundColor })`,
    );
  }
  await page.setViewportSize(initial);
  await page.emulateMedia({ colorScheme: 'light' });
  // Good at both widths: nothing wider than the window (no sideways scrolling) …
  const wide = Object.entries(layout).filter(([, l]) => l.overflow > 0);
  expect(wide.map(([label, l]) => `${label}: ${l.overflow}px too wide`)).toEqual([]);
  // … and the dark scheme really is another palette.
  const light = layout[`${name}-1280-light`].background;
  expect(layout[`${name}-1280-dark`].background).not.toBe(light);
}

/** The aria-valuenow of a progress bar, as a number. */
export async function progressOf(page: Page, name: string | RegExp): Promise<number> {
  const value = await page.getByRole('progressbar', { name }).first().getAttribute('aria-valuenow');
  return Number(value);
}

/** Waits until the locator's attribute satisfies `ok`; returns the value. */
export function waitForAttribute(
  locator: Locator,
  name: string,
  ok: (value: string | null) => boolean,
  timeoutMs = 60_000, // as the page default: a loaded CI machine is slow
): Promise<string | null> {
  return eventually(
    async () => {
      const value = await locator.first().getAttribute(name, { timeout: 1_000 });
      return ok(value) ? value : undefined;
    },
    timeoutMs,
    100,
  );
}

/** The session token the SPA keeps (sessionStorage), or null. */
export function storedToken(page: Page): Promise<string | null> {
  return page.evaluate<string | null>('sessionStorage.getItem("darkroom.token")');
}

/** Natural width of a loaded <img> (0 while loading or broken). */
export function imageWidth(img: Locator): Promise<number> {
  return img.evaluate((el) => {
    const image = el as unknown as { complete: boolean; naturalWidth: number };
    return image.complete ? image.naturalWidth : 0;
  });
}
