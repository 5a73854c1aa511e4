/**
 * `ws.send()` is output: a frame sent after a write leaves only once that
 * write is durable. When the commit fails (a deferred foreign key violated),
 * the frame is never sent — nobody hears of a write that was lost — and the
 * object is reset, which closes its sockets.
 */
import { test, expect, openApp } from './fixtures.ts';

test('a send that follows a write is held until the write is durable, and dropped if the commit fails', async ({ context }) => {
  const page = await openApp(context);
  const id = await page.evaluate(() => window.hearth.openSocket('CHAT', 'gated', '/?name=gus'));

  // A write that commits: the frame after it arrives.
  await page.evaluate((i) => window.hearth.socket(i).ws.send('good-write'), id);
  await expect.poll(() => page.evaluate((i) => window.hearth.socket(i).messages, id)).toEqual(['durable: gus']);

  // A write whose commit fails: the frame after it never leaves; the reset closes the socket.
  await page.evaluate((i) => window.hearth.socket(i).ws.send('bad-write'), id);
  await expect.poll(() => page.evaluate((i) => window.hearth.socket(i).closes.length, id), { timeout: 15_000 }).toBe(1);
  const log = await page.evaluate((i) => ({ messages: window.hearth.socket(i).messages, closes: window.hearth.socket(i).closes }), id);
  expect(log.messages).toEqual(['durable: gus']);
  expect(log.closes).toEqual([{ code: 1011, reason: 'Durable Object reset.', wasClean: true }]);
  const after = await page.evaluate(() => window.hearth.json('CHAT', 'gated', '/state'));
  expect(after.sockets).toEqual([]);
});
