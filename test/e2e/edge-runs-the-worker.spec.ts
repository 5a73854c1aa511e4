/**
 * The edge: a page's plain `fetch()` to a configured route is answered by the
 * app's Worker (`export default { fetch }`) in the service worker, whose env
 * stubs reach objects hosted by the app's tabs. test/edge-app is set up the
 * way a user sets up an app: `hearth()` in vite.config.ts, `start()` with no options.
 */
import type { Page } from '@playwright/test';
// The fixtures' test: in the leader-tab project it deletes SharedWorker before the app starts.
import { expect, test } from './fixtures.ts';
import { EDGE_ORIGIN as ORIGIN, openEdgeApp, stopServiceWorkers } from './edge-app-page.ts';

/** fetch() from the page, returned as data. */
function call(page: Page, path: string, init?: RequestInit) {
  return page.evaluate(
    async ([path, init]) => {
      const response = await fetch(path, init);
      return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
    },
    [path, init] as const,
  );
}

test('a fetch to a route runs the Worker, which reaches an object through its binding', async ({ page }) => {
  await openEdgeApp(page);
  expect(await call(page, '/api/notes/a', { method: 'POST', body: 'first' })).toMatchObject({ status: 200, text: '{"count":1}' });
  expect(await call(page, '/api/notes/a', { method: 'POST', body: 'second' })).toMatchObject({ text: '{"count":2}' });
  expect(JSON.parse((await call(page, '/api/notes/a')).text)).toEqual(['first', 'second']);
  // Another name is another object.
  expect(JSON.parse((await call(page, '/api/notes/b')).text)).toEqual([]);
  // The page's own stub reaches the same object the Worker wrote to.
  const fromPage = await page.evaluate(async () => await (window as any).runtime.env.NOTES.getByName('a').list());
  expect(fromPage).toEqual(['first', 'second']);
  // stub.fetch(request) hands the object the Worker's request, URL and method intact.
  const forwarded = JSON.parse((await call(page, '/api/forward/a?x=1', { method: 'PUT', body: 'b' })).text);
  expect(forwarded).toEqual({ notes: ['first', 'second'], url: `${ORIGIN}/api/forward/a?x=1`, method: 'PUT' });
  // vars are in env.
  expect(await call(page, '/api/vars')).toMatchObject({ status: 200, text: 'hello from vars' });
});

test('ctx.waitUntil lets work finish after the response', async ({ page }) => {
  await openEdgeApp(page);
  expect(await call(page, '/api/later/w?text=x')).toMatchObject({ status: 202, text: 'accepted' });
  await expect.poll(async () => JSON.parse((await call(page, '/api/notes/w')).text)).toEqual(['later:x']);
});

test('requests outside the routes are left to the network', async ({ page }) => {
  await openEdgeApp(page);
  const html = await call(page, '/index.html');
  expect(html.text).toContain('Edge test app');
  // A prefix route covers its own segment only: /apiary is not /api/*.
  const outside = await call(page, '/apiary');
  expect(outside.text).not.toContain('no such route');
  expect(await call(page, '/api/nowhere')).toMatchObject({ status: 404, text: 'no such route' });
});

test('mistakes in the Worker come back as clear errors', async ({ page }) => {
  await openEdgeApp(page);
  expect(await call(page, '/api/relative')).toMatchObject({
    status: 500,
    text: 'Worker threw exception: TypeError: Invalid URL: /relative/path',
  });
  // env is a plain object, as on Cloudflare: an undeclared binding is undefined.
  expect(await call(page, '/api/unknown-binding')).toMatchObject({
    status: 500,
    text: expect.stringContaining("Worker threw exception: TypeError: Cannot read properties of undefined (reading 'getByName')"),
  });
  expect(await call(page, '/api/unknown-class')).toMatchObject({
    status: 500,
    text: 'Worker threw exception: TypeError: Worker does not export a Durable Object class named "NotExported"',
  });
  expect(await call(page, '/api/throws')).toMatchObject({ status: 500, text: 'Worker threw exception: Error: the Worker failed on purpose' });
  expect(await call(page, '/api/not-a-response')).toMatchObject({
    status: 500,
    text: "Worker threw exception: TypeError: Incorrect type for Promise: the Promise did not resolve to 'Response'.",
  });
  // passThroughOnException: the request goes to the network instead (here, Vite's SPA fallback page).
  const passed = await call(page, '/api/pass-through');
  expect(passed.text).toContain('Edge test app');
  // The edge and the objects are still fine.
  expect(await call(page, '/api/notes/after-errors', { method: 'POST', body: 'ok' })).toMatchObject({ text: '{"count":1}' });
});

test('the edge keeps working after the browser stops its service worker', async ({ page, context }) => {
  await openEdgeApp(page);
  expect(await call(page, '/api/notes/s', { method: 'POST', body: 'before' })).toMatchObject({ text: '{"count":1}' });
  await stopServiceWorkers(context, page);
  // A new service-worker instance starts for this request and gets a fresh port from the page.
  expect(await call(page, '/api/notes/s', { method: 'POST', body: 'after' })).toMatchObject({ status: 200, text: '{"count":2}' });
  expect(JSON.parse((await call(page, '/api/notes/s')).text)).toEqual(['before', 'after']);
});

test('with no page able to host objects, the edge answers 503 and says why', async ({ page }) => {
  await openEdgeApp(page);
  // The only page stops hosting; it stays open, so the service worker has a client that never answers.
  await page.evaluate(() => (window as any).runtime.close());
  const answer = await call(page, '/api/notes/nobody');
  expect(answer.status).toBe(503);
  expect(answer.text).toContain('No page of this app is open to host Durable Objects');
});

test('when the tab hosting an object closes, the edge reaches it in another tab with its data', async ({ context }) => {
  const first = await context.newPage();
  await openEdgeApp(first);
  // The page makes the object live in its own tab first; the edge then gets a port into that tab.
  await first.evaluate(async () => await (window as any).runtime.env.NOTES.getByName('moving').add('one'));
  expect(await call(first, '/api/notes/moving', { method: 'POST', body: 'two' })).toMatchObject({ text: '{"count":2}' });
  const second = await context.newPage();
  await openEdgeApp(second);
  await first.close();
  // A port has no close event: the edge learns of the tab's death from its lock, which can come just after this
  // request was posted into the dead tab. That request then fails as retryable (it may have run, as far as the
  // edge can tell — docs/reliability.md), and the app retries it; more often the edge already knows. Either way it lands once, in the other tab.
  let answer = await call(second, '/api/notes/moving', { method: 'POST', body: 'three' });
  if (answer.status === 500 && answer.text.includes('Network connection lost.')) {
    answer = await call(second, '/api/notes/moving', { method: 'POST', body: 'three' });
  }
  expect(answer).toMatchObject({ status: 200, text: '{"count":3}' });
  expect(await call(second, '/api/notes/moving')).toMatchObject({ status: 200, text: '["one","two","three"]' });
});
