/**
 * After the handshake, frames go between the page and the object's host tab
 * directly — never through the service worker, which the browser stops at
 * will. Stopping it (DevTools' `ServiceWorker.stopAllWorkers`, as the browser
 * does after ~30 s idle) mid-conversation drops no socket and no message.
 */
import { expect, test, type Page } from '@playwright/test';
import { openEdgeApp, stopServiceWorkers } from './edge-app-page.ts';

function join(page: Page, name: string): Promise<void> {
  return page.evaluate(async (n) => {
    const ws = new (window as any).runtime.WebSocket(`/api/room/sw-stop?name=${n}`);
    const log: string[] = [];
    ws.onmessage = (e: MessageEvent) => log.push(e.data);
    await new Promise((resolve) => (ws.onopen = resolve));
    Object.assign(window, { ws, log });
  }, name);
}

const log = (page: Page) => page.evaluate(() => (window as any).log as string[]);

test('messages keep flowing between two tabs while the service worker is stopped', async ({ context }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  await openEdgeApp(a);
  await openEdgeApp(b);
  await join(a, 'ann');
  await join(b, 'ben');
  await a.evaluate(() => (window as any).ws.send('before'));
  await expect.poll(() => log(b)).toEqual(['ann: before']);

  await stopServiceWorkers(context, a);

  for (let i = 1; i <= 3; i++) await b.evaluate((n) => (window as any).ws.send(`while stopped ${n}`), i);
  // (Frames of two sockets have no order between them: wait for Ben's before Ann speaks.)
  await expect.poll(async () => (await log(a)).length).toBe(4);
  await a.evaluate(() => (window as any).ws.send('after'));
  const expected = ['ann: before', 'ben: while stopped 1', 'ben: while stopped 2', 'ben: while stopped 3', 'ann: after'];
  await expect.poll(() => log(a)).toEqual(expected);
  await expect.poll(() => log(b)).toEqual(expected);
  expect(await a.evaluate(() => (window as any).ws.readyState)).toBe(1);
});
