/**
 * `import { env, waitUntil } from 'cloudflare:workers'` works in Hearth as on
 * Cloudflare: `env` is the same bindings the class gets, and `waitUntil` runs
 * the work (a rejection is logged, not thrown into the caller).
 */
import { test, expect } from './fixtures.ts';

test('cloudflare:workers exports the env the object gets, and a waitUntil that runs the work', async ({ app }) => {
  const result = await app.evaluate(async () => await (window.hearth.stub('CALCULATOR', 'imports') as any).workersImports());
  expect(result).toMatchObject({ sameCounter: true, hasCounter: true, waitUntilRan: true });
  expect(result.keys).toContain('COUNTER');
  expect(result.keys).toContain('CALCULATOR');
  // Also while the module's top level ran — in a spare worker that loaded the app before it knew its object.
  expect(result.topLevelKeys).toEqual(result.keys);
});

test('env from cloudflare:workers is there at the top level of a module loaded ahead by a spare worker', async ({ app }) => {
  // The first object on a tab starts cold; the one after it takes the spare, which evaluated the app ahead.
  await app.evaluate(async () => {
    await (window.hearth.stub('CALCULATOR', 'imports-first') as any).add(1);
    // Time for the replacement spare to load its modules and evaluate the app (not asserted: without it, the
    // next object would start cold and the test would check less, never fail wrongly).
    await new Promise((resolve) => setTimeout(resolve, 2000));
  });
  const result = await app.evaluate(async () => await (window.hearth.stub('CALCULATOR', 'imports-spare') as any).workersImports());
  expect(result.topLevelKeys).toContain('COUNTER');
  expect(result.topLevelKeys).toEqual(result.keys);
});

test('in the edge, the Worker reads the same env from cloudflare:workers and its waitUntil work finishes', async ({ page }) => {
  const { EDGE_APP_PORT } = await import('../../playwright.config.ts');
  const origin = `http://localhost:${EDGE_APP_PORT}`;
  await page.goto(`${origin}/index.html`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const call = (path: string) =>
    page.evaluate(async (path) => {
      const response = await fetch(path);
      return { status: response.status, text: await response.text() };
    }, path);
  const answer = await call('/api/workers-env/imports');
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).toEqual({ greeting: 'hello from vars', sameNotes: true });
  await expect.poll(async () => JSON.parse((await call('/api/notes/imports')).text)).toEqual(['via-waitUntil']);
});
