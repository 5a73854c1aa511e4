/**
 * Offline: a production build of test/edge-app, served by `vite preview`.
 * After one online visit the server is shut down — the network is gone for
 * this origin — and the app must still start, run its Worker at the edge and
 * find its objects' data.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { EDGE_APP_PORT } from '../../playwright.config.ts';
import { buildAndPreview, type BuiltAppPreview } from '../built-app-preview.ts';

const CONFIG = path.resolve(import.meta.dirname, '../edge-app/vite.config.ts');
const PORT = EDGE_APP_PORT + 20;

let app: BuiltAppPreview;

test.beforeAll(async () => {
  app = await buildAndPreview(CONFIG, PORT);
});

test.afterAll(async () => {
  await app?.dispose();
});

test('after one online visit the built app works with the network off, data intact', async ({ page, context }) => {
  const url = app.url;
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  await page.goto(url);
  await expect(page.locator('#status')).toHaveText('ready');
  const post = (text: string) =>
    page.evaluate(async (text) => (await fetch('/api/notes/offline', { method: 'POST', body: text })).text(), text);
  expect(await post('written online')).toBe('{"count":1}');

  await app.stopServing();
  // Nothing answers on that port any more.
  await expect(fetch(url)).rejects.toThrow();

  await page.reload();
  await expect(page.locator('#status')).toHaveText('ready');
  expect(await post('written offline')).toBe('{"count":2}');
  const notes = await page.evaluate(async () => (await fetch('/api/notes/offline')).json());
  expect(notes).toEqual(['written online', 'written offline']);

  // A second tab starts from the cache too, and reaches the same object.
  const second = await context.newPage();
  await second.goto(url);
  await expect(second.locator('#status')).toHaveText('ready');
  const seen = await second.evaluate(async () => await (window as any).runtime.env.NOTES.getByName('offline').list());
  expect(seen).toEqual(['written online', 'written offline']);
});
