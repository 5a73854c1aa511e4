/**
 * Offline: a production build of this repository's app (the Counter demo and
 * the playground), served by `vite preview`. After one online visit to the
 * playground the server is shut down, and the playground still opens, type-
 * checks (the TypeScript worker and its .d.ts files come from the edge's
 * precache), deploys and runs code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { expect, test } from '@playwright/test';
import { EDGE_APP_PORT } from '../../playwright.config.ts';
import { call, openPlayground, setFile } from './playground-page.ts';

const CONFIG = path.resolve(import.meta.dirname, '../../vite.config.ts');
const PORT = EDGE_APP_PORT + 22;

let outDir: string;
let server: PreviewServer | undefined;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  outDir = await mkdtemp(path.join(os.tmpdir(), 'hearth-playground-build-'));
  await build({ configFile: CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await preview({ configFile: CONFIG, logLevel: 'warn', build: { outDir }, preview: { port: PORT, strictPort: true } });
});

test.afterAll(async () => {
  await server?.close();
  await rm(outDir, { recursive: true, force: true });
});

test('after one online visit the built playground opens, type-checks and runs code with the network off', async ({ page }) => {
  test.setTimeout(180_000);
  const url = `http://localhost:${PORT}/playground/`;
  await openPlayground(page, '', url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await call(page, 'offline', 'increment', '1');
  await expect(page.locator('#log')).toContainText('offline.increment(1) → 1');

  await server!.close();
  server = undefined;
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
