/**
 * `start({ hearth })` overrides the config's Hearth settings for the page —
 * and for the edge too: the page and the service worker read one normalised
 * record, so an override of `routes` changes what the edge answers.
 * test/edge-app's wrangler.jsonc routes `/api/*` to the Worker.
 */
import { expect, test, type Page } from '@playwright/test';
import { EDGE_APP_PORT } from '../../playwright.config.ts';

const ORIGIN = `http://localhost:${EDGE_APP_PORT}`;

async function openWith(page: Page, hearth: Record<string, unknown>): Promise<void> {
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  await page.goto(`${ORIGIN}/index.html?hearth=${encodeURIComponent(JSON.stringify(hearth))}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', /true|error/);
  expect(await page.locator('#status').textContent()).toBe('ready');
}

function get(page: Page, path: string) {
  return page.evaluate(async (path) => {
    const response = await fetch(path);
    return { status: response.status, text: await response.text() };
  }, path);
}

test('an override of routes changes which paths the edge answers with the Worker', async ({ page }) => {
  test.setTimeout(60_000);
  await openWith(page, { routes: ['/extra/*'] });
  expect(await page.evaluate(() => (window as any).runtime.config.routes)).toEqual(['/extra/*']);
  // The Worker answers /<anything>/vars with the GREETING var: under the override's route it runs…
  expect(await get(page, '/extra/vars')).toEqual({ status: 200, text: 'hello from vars' });
  // …and the file's own route is no longer the edge's: the request goes to the network (the dev server).
  expect((await get(page, '/api/vars')).text).not.toBe('hello from vars');
});

test('a page started without overrides gets the file’s routes back from the edge', async ({ page }) => {
  test.setTimeout(60_000);
  await openWith(page, { routes: ['/extra/*'] });
  expect(await get(page, '/extra/vars')).toEqual({ status: 200, text: 'hello from vars' });
  // The same origin, started as the app normally is: the edge serves wrangler.jsonc's routes again.
  await page.goto(`${ORIGIN}/index.html`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await get(page, '/api/vars')).toEqual({ status: 200, text: 'hello from vars' });
  expect((await get(page, '/extra/vars')).text).not.toBe('hello from vars');
});
