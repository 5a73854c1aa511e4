/**
 * Received WebSocket messages are limited to 32 MiB (DO-API §8.2, §9.3): a
 * bigger one is refused by the receiving end, which closes the socket with
 * 1009 (RFC 6455's "message too big") and runs the object's handlers.
 * A message of exactly 32 MiB still arrives.
 */
import { test, expect, openApp } from './fixtures.ts';

test('a message over 32 MiB closes the socket with 1009; one of 32 MiB arrives', async ({ context }) => {
  test.setTimeout(90_000);
  const page = await openApp(context);
  const id = await page.evaluate(() => window.hearth.openSocket('CHAT', 'big', '/?name=hal'));
  await page.evaluate((i) => window.hearth.socket(i).ws.send(new Uint8Array(32 * 1024 * 1024)), id);
  await expect.poll(() => page.evaluate((i) => window.hearth.socket(i).messages, id), { timeout: 30_000 }).toEqual(['hal: 33554432 bytes']);

  await page.evaluate((i) => window.hearth.socket(i).ws.send(new Uint8Array(32 * 1024 * 1024 + 1)), id);
  await expect.poll(() => page.evaluate((i) => window.hearth.socket(i).closes, id), { timeout: 30_000 }).toEqual([
    { code: 1009, reason: 'Message too big.', wasClean: true },
  ]);
  await expect
    .poll(async () => (await page.evaluate(() => window.hearth.json('CHAT', 'big', '/state'))).closes)
    .toEqual([{ name: 'hal', code: 1009, reason: 'Message too big.', wasClean: false }]);
});
