/**
 * Offline in Firefox: a production build of test/edge-app under `vite
 * preview`; after one online visit the server is shut down and the app must
 * still start, run its Worker at the edge and find its data.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import path from 'node:path';
import type { BrowserContext } from 'puppeteer-core';
import { freshContext, openPage } from './firefox.ts';
import { PREVIEW_PORT } from './ports.ts';
import { buildAndPreview, type BuiltAppPreview } from '../built-app-preview.ts';

const CONFIG = path.resolve(import.meta.dirname, '../edge-app/vite.config.ts');
let app: BuiltAppPreview;
let browser: BrowserContext;

beforeAll(async () => {
  app = await buildAndPreview(CONFIG, PREVIEW_PORT);
  browser = await freshContext();
});

afterAll(async () => {
  await browser?.close();
  await app?.dispose();
});

test('after one online visit the built app works in Firefox with the network off, data intact', async () => {
  const url = app.url;
  const page = await openPage(browser, url);
  const post = (text: string) => page.evaluate(async (text) => (await fetch('/api/notes/offline', { method: 'POST', body: text })).text(), text);
  expect(await post('written online')).toBe('{"count":1}');

  await app.stopServing();
  await expect(fetch(url)).rejects.toThrow();

  await page.reload();
  await page.waitForFunction(() => document.body?.dataset.ready === 'true', { timeout: 60_000 });
  expect(await post('written offline')).toBe('{"count":2}');
  expect(await page.evaluate(async () => (await fetch('/api/notes/offline')).json())).toEqual(['written online', 'written offline']);

  const second = await openPage(browser, url);
  expect(await second.evaluate(async () => await (window as any).runtime.env.NOTES.getByName('offline').list())).toEqual([
    'written online',
    'written offline',
  ]);
});
