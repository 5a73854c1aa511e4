/**
 * `vite` (dev): editing the Worker's code is a new deployment. The page
 * reloads, the edge runs the new Worker, and the object runs the new class —
 * with its storage intact. Runs on a copy of test/edge-app in a scratch
 * directory beside it, with a dev server of its own, so the edit touches
 * nothing other tests use.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { expect, test } from '@playwright/test';
import { EDGE_APP_PORT } from '../../playwright.config.ts';

const SOURCE = path.resolve(import.meta.dirname, '../edge-app');
// Beside the original, so its relative imports of ../../src still resolve.
const COPY = path.resolve(import.meta.dirname, `../edge-app-scratch-${process.pid}`);
const PORT = EDGE_APP_PORT + 30;

let server: ViteDevServer | undefined;
/** Vite sets this process's NODE_ENV to `development` for a dev server; later tests of this worker get it back. */
const nodeEnv = process.env.NODE_ENV;

test.beforeAll(async () => {
  await cp(SOURCE, COPY, { recursive: true });
  server = await createServer({
    configFile: path.join(COPY, 'vite.config.ts'),
    root: COPY,
    cacheDir: path.resolve(COPY, '../../node_modules/.vite/edge-app-scratch'),
    logLevel: 'warn',
    server: { port: PORT, strictPort: true },
  });
  await server.listen();
});

test.afterAll(async () => {
  await server?.close();
  await rm(COPY, { recursive: true, force: true });
  if (nodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = nodeEnv;
});

test('an edit to the Worker reloads the page into the new code; the object keeps its data', async ({ page }) => {
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  await page.goto(`http://localhost:${PORT}/index.html`);
  await expect(page.locator('#status')).toHaveText('ready');
  const post = (text: string) =>
    page.evaluate(async (text) => (await fetch('/api/notes/hot', { method: 'POST', body: text })).text(), text);
  expect(await post('old code')).toBe('{"count":1}');

  // Change both the Worker's fetch (runs in the edge) and the class (runs in the object worker).
  const file = path.join(COPY, 'src/worker.ts');
  const source = await readFile(file, 'utf8');
  const edited = source
    .replace("return Response.json({ count: await notes.add(await request.text()) });", "return Response.json({ edited: true, count: await notes.add(await request.text()) });")
    .replace("this.ctx.storage.sql.exec('INSERT INTO notes (text) VALUES (?)', text);", "this.ctx.storage.sql.exec('INSERT INTO notes (text) VALUES (?)', `v2:${text}`);");
  expect(edited).not.toBe(source);
  const reloaded = page.waitForEvent('load');
  await writeFile(file, edited);
  await reloaded;
  await expect(page.locator('#status')).toHaveText('ready');

  expect(await post('new code')).toBe('{"edited":true,"count":2}');
  const notes = await page.evaluate(async () => (await fetch('/api/notes/hot')).json());
  expect(notes).toEqual(['old code', 'v2:new code']);
});
