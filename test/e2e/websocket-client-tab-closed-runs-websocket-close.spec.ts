/**
 * A tab holding the client end of a socket closes without sending a Close:
 * the object's `webSocketClose(ws, 1006, 'WebSocket disconnected without
 * sending Close frame.', false)` runs, as on Cloudflare. (A MessagePort has no
 * close event: the host learns it from the client tab's Web Lock.)
 * A client that does close runs it with its own code and `wasClean: true`.
 */
import { test, expect, openApp } from './fixtures.ts';

test('closing the client’s tab runs webSocketClose with 1006 and wasClean false', async ({ context }) => {
  const host = await openApp(context);
  // The host tab places the object first, so it lives there.
  await host.evaluate(() => window.hearth.json('CHAT', 'left', '/state'));
  const client = await openApp(context);
  const viaClient = await client.evaluate(() => window.hearth.openSocket('CHAT', 'left', '/?name=dave'));
  const clean = await host.evaluate(() => window.hearth.openSocket('CHAT', 'left', '/?name=erin'));
  await client.evaluate((id) => window.hearth.socket(id).ws.send('hello'), viaClient);
  await expect.poll(() => host.evaluate((id) => window.hearth.socket(id).messages, clean)).toEqual(['dave: hello']);

  await client.close();
  await host.evaluate((id) => window.hearth.socket(id).ws.close(4001, 'bye'), clean);

  await expect
    .poll(async () => (await host.evaluate(() => window.hearth.json('CHAT', 'left', '/state'))).closes, { timeout: 15_000 })
    .toEqual(
      expect.arrayContaining([
        { name: 'dave', code: 1006, reason: 'WebSocket disconnected without sending Close frame.', wasClean: false },
        { name: 'erin', code: 4001, reason: 'bye', wasClean: true },
      ]),
    );
  const state = await host.evaluate(() => window.hearth.json('CHAT', 'left', '/state'));
  expect(state.sockets).toEqual([]);
  // Since 2026-04-07 the runtime answered erin's Close itself: her side saw a clean close with her code.
  expect(await host.evaluate((id) => window.hearth.socket(id).closes, clean)).toEqual([{ code: 4001, reason: 'bye', wasClean: true }]);
});
