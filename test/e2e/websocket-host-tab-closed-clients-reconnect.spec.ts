/**
 * The tab hosting an object dies: every client of its sockets gets a close
 * (1006, not clean) — learnt from that tab's Web Lock, since a port never
 * says its peer died — and can reconnect to the object re-placed elsewhere.
 */
import { test, expect, openApp } from './fixtures.ts';

test('when the host tab closes, clients see 1006 and reconnect to the re-placed object', async ({ context }) => {
  const host = await openApp(context);
  await host.evaluate(() => window.hearth.json('CHAT', 'moving', '/state'));
  const client = await openApp(context);
  const first = await client.evaluate(() => window.hearth.openSocket('CHAT', 'moving', '/?name=fay'));
  await client.evaluate((id) => window.hearth.socket(id).ws.send('before'), first);
  await expect.poll(() => client.evaluate((id) => window.hearth.socket(id).messages, first)).toEqual(['fay: before']);

  await host.close();
  await expect
    .poll(() => client.evaluate((id) => window.hearth.socket(id).closes, first), { timeout: 15_000 })
    .toEqual([{ code: 1006, reason: 'WebSocket disconnected without sending Close frame.', wasClean: false }]);
  expect(await client.evaluate((id) => window.hearth.socket(id).ws.readyState, first)).toBe(3);

  // Reconnecting reaches the object again, now hosted by this tab.
  const second = await client.evaluate(() => window.hearth.openSocket('CHAT', 'moving', '/?name=fay'));
  await client.evaluate((id) => window.hearth.socket(id).ws.send('after'), second);
  await expect.poll(() => client.evaluate((id) => window.hearth.socket(id).messages, second)).toEqual(['fay: after']);
});
