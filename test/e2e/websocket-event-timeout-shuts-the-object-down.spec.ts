/**
 * `setHibernatableWebSocketEventTimeout(ms)` caps each WebSocket event
 * handler: one that runs longer shuts the object down (workerd: "Actor
 * exceeded event execution time and was disconnected."), so its sockets
 * close and what the handler would have sent later never leaves.
 */
import { test, expect, openApp } from './fixtures.ts';

test('a handler that runs past the event timeout shuts the object down and its sockets close', async ({ context }) => {
  const page = await openApp(context);
  const id = await page.evaluate(() => window.hearth.openSocket('CHAT', 'timed', '/?name=ivy'));
  await page.evaluate((i) => window.hearth.socket(i).ws.send('set-timeout'), id);
  await expect.poll(() => page.evaluate((i) => window.hearth.socket(i).messages, id)).toEqual(['timeout 300']);
  await page.evaluate((i) => window.hearth.socket(i).ws.send('slow'), id);
  await expect.poll(() => page.evaluate((i) => window.hearth.socket(i).closes, id), { timeout: 15_000 }).toEqual([
    { code: 1011, reason: 'Durable Object reset.', wasClean: true },
  ]);
  await page.waitForTimeout(3500);
  expect(await page.evaluate((i) => window.hearth.socket(i).messages, id)).toEqual(['timeout 300']);
});
