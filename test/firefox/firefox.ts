/**
 * Firefox for the end-to-end subset: Debian's Firefox ESR, driven by
 * puppeteer-core over WebDriver BiDi (Playwright cannot drive a stock Firefox).
 * Real workers, SharedWorker, service worker, OPFS and SQLite — no mocks, as
 * in the Chromium run.
 */
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { ROOT } from './ports.ts';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** A fresh profile each time, unless `userDataDir` names one (to relaunch on the same storage). */
export function launchFirefox(userDataDir?: string): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX_PATH,
    headless: true,
    ...(userDataDir ? { userDataDir } : {}),
    extraPrefsFirefox: {
      // Nothing of the browser's own talks to the network while tests run.
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
    },
  });
}

let shared: Promise<Browser> | undefined;

/**
 * A fresh browser context (its own storage, like a new profile) in one Firefox
 * shared by the files of the run: Vitest runs them one after another in one
 * process (`isolate: false`), and a Firefox start costs 10–25 s on this machine.
 * Puppeteer ends that Firefox when the process exits.
 */
export async function freshContext(): Promise<BrowserContext> {
  shared ??= launchFirefox();
  return (await shared).createBrowserContext();
}

/** Open `url` in a new tab and wait until the page set `data-ready`; fail with the page's error otherwise. */
export async function openPage(browser: Browser | BrowserContext, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.log(`[pageerror] ${(error as Error).message}`));
  await page.goto(url);
  await page.waitForFunction(() => document.body?.dataset.ready, { timeout: 60_000 });
  const [state, error] = await page.evaluate(() => [document.body.dataset.ready, document.body.dataset.error ?? document.querySelector('#status')?.textContent]);
  if (state !== 'true') throw new Error(`Hearth failed to start in Firefox: ${error}`);
  return page;
}

/** The test app (test/app), as the Chromium tests open it. */
export function openApp(browser: Browser | BrowserContext, settings: Record<string, unknown> = {}): Promise<Page> {
  const query = Object.keys(settings).length ? `?hearth=${encodeURIComponent(JSON.stringify(settings))}` : '';
  return openPage(browser, `${ROOT}/test/app/index.html${query}`);
}

/** Wait until `check` returns true (polled), or fail after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

declare global {
  interface Window {
    hearth: import('../e2e/fixtures.ts').Helpers;
  }
}
