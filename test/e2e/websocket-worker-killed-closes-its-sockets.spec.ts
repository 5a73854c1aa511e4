/**
 * An object whose worker is terminated on its own — the CPU limit, while its
 * tab lives on — cannot send a Close. The far ends of the `accept()`-ed
 * sockets it held learn it from the worker's own Web Lock and close with
 * 1006, as a dropped connection does; nothing waits forever.
 */
import { test, expect, openApp } from './fixtures.ts';

test('a socket whose object worker hits the CPU limit closes with 1006', async ({ context }) => {
  const page = await openApp(context, {}, { cpu_ms: 1500 });
  const id = await page.evaluate(() => window.hearth.openSocket('ECHO_SOCKET', 'spinner', '/'));
  await page.evaluate((i) => window.hearth.socket(i).ws.send('hi'), id);
  await expect.poll(() => page.evaluate((i) => window.hearth.socket(i).messages, id)).toEqual(['echo: hi']);
  await page.evaluate((i) => window.hearth.socket(i).ws.send('spin'), id);
  await expect.poll(() => page.evaluate((i) => window.hearth.socket(i).closes, id), { timeout: 20_000 }).toEqual([
    { code: 1006, reason: 'WebSocket disconnected without sending Close frame.', wasClean: false },
  ]);
});
