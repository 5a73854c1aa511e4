import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'puppeteer-core';
import { freshContext, openPage } from './firefox.ts';
import { EDGE } from './ports.ts';

let browser: BrowserContext;
beforeAll(async () => {
  browser = await freshContext();
});
afterAll(async () => {
  await browser?.close();
});

function call(page: Page, path: string, init?: RequestInit) {
  return page.evaluate(
    async (path, init) => {
      const response = await fetch(path, init);
      return { status: response.status, text: await response.text() };
    },
    path,
    init,
  );
}

test('in Firefox a page fetch to a route runs the Worker in the service worker, which reaches an object', async () => {
  const page = await openPage(browser, `${EDGE}/index.html`);
  expect(await call(page, '/api/notes/ff', { method: 'POST', body: 'first' })).toEqual({ status: 200, text: '{"count":1}' });
  expect(await call(page, '/api/notes/ff', { method: 'POST', body: 'second' })).toEqual({ status: 200, text: '{"count":2}' });
  expect(JSON.parse((await call(page, '/api/notes/ff')).text)).toEqual(['first', 'second']);
  // The page's own stub reaches the object the Worker wrote to.
  expect(await page.evaluate(async () => await (window as any).runtime.env.NOTES.getByName('ff').list())).toEqual(['first', 'second']);
  // A second tab's fetch reaches the same object through the same edge.
  const second = await openPage(browser, `${EDGE}/index.html`);
  expect(JSON.parse((await call(second, '/api/notes/ff')).text)).toEqual(['first', 'second']);
});
