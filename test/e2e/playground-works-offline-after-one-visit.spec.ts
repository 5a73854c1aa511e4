/**
 * Offline: a production build of this repository's app (the Counter demo and
 * the playground), served by `vite preview`. After one online visit to the
 * playground the server is shut down, and the playground still opens, type-
 * checks (the TypeScript worker and its .d.ts files come from the edge's
 * precache), deploys and runs code.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { EDGE_APP_PORT } from '../../playwright.config.ts';
import { buildAndPreview, type BuiltAppPreview } from '../built-app-preview.ts';
import { call, openPlayground, setFile } from './playground-page.ts';

const CONFIG = path.resolve(import.meta.dirname, '../../vite.config.ts');
const PORT = EDGE_APP_PORT + 22;

let app: BuiltAppPreview;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  app = await buildAndPreview(CONFIG, PORT, '/playground/');
});

test.afterAll(async () => {
  await app?.dispose();
});

test('after one online visit the built playground opens, type-checks and runs code with the network off', async ({ page }) => {
  test.setTimeout(180_000);
  const url = app.url;
  const said: string[] = [];
  page.on('console', (message) => said.push(`[${message.type()}] ${message.text()}`));
  await openPlayground(page, '', url);
  // The edge precaches the whole build before it activates; if that fails, `ready` would never settle, so
  // wait a bounded time and say what the registration is doing instead.
  const state = await page.evaluate(async () => {
    const settled = await Promise.race([navigator.serviceWorker.ready.then(() => 'ready'), new Promise<string>((r) => setTimeout(() => r('waiting'), 90_000))]);
    const registration = await navigator.serviceWorker.getRegistration();
    return { settled, installing: registration?.installing?.state, waiting: registration?.waiting?.state, active: registration?.active?.state };
  });
  expect(state, `the edge service worker activates (page said:\n${said.join('\n')})`).toMatchObject({ settled: 'ready' });
  await call(page, 'offline', 'increment', '1');
  await expect(page.locator('#log')).toContainText('offline.increment(1) → 1');

  await app.stopServing();
  await expect(fetch(url)).rejects.toThrow();

  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(page.locator('.cm-content')).toContainText('export class Room extends DurableObject');
  // Type checking needs the TypeScript worker and workers-types: both come from the cache.
  await setFile(page, 'worker.ts', "export { Room } from './room.ts';\nconst n: number = 'not a number';\n");
  await expect(page.locator('#problems')).toContainText("Type 'string' is not assignable to type 'number'.", { timeout: 60_000 });
  await call(page, 'offline', 'increment', '1');
  await expect(page.locator('#log')).toContainText('offline.increment(1) → 2');
});
