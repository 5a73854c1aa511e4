/**
 * "Close socket" closes one hibernatable WebSocket as the runtime does when
 * a connection is lost: the far end gets a Close frame (1001, "Closed by
 * Hearth DevTools."), the object's `webSocketClose` runs with 1006 and
 * `wasClean` false — waking it if it hibernated — and its other sockets stay
 * open. The socket count follows.
 */
import { test, expect, openApp } from './fixtures.ts';
import { openDevtools, screenshot } from './devtools-page.ts';

test('close socket ends one socket, the object hears a lost connection, the other socket stays open', async ({ context }) => {
  test.setTimeout(90_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  const alice = await app.evaluate(() => window.hearth.openSocket('CHAT', 'hangup', '/?name=alice'));
  const bob = await app.evaluate(() => window.hearth.openSocket('CHAT', 'hangup', '/?name=bob'));

  const devtools = await openDevtools(context);
  const row = devtools.locator('[data-testid=object-row][data-name=hangup]');
  await expect(row).toHaveAttribute('data-sockets', '2');
  // Hibernated first: closing must wake it to run webSocketClose.
  await row.getByTestId('hibernate').click();
  await expect(row).toHaveAttribute('data-state', 'idle');
  await row.click();
  const sockets = devtools.getByTestId('socket-row');
  await expect(sockets).toHaveCount(2);
  await screenshot(devtools, 'sockets');
  await devtools.locator('[data-testid=socket-row][data-tags="alice,room"]').getByTestId('close-socket').click();
  await expect(devtools.getByTestId('action-message')).toContainText('Closed socket');

  // The far end got a Close frame.
  await expect.poll(() => app.evaluate((id) => window.hearth.socket(id).closes, alice)).toEqual([{ code: 1001, reason: 'Closed by Hearth DevTools.', wasClean: true }]);
  // The object heard a lost connection (and was woken for it).
  await expect
    .poll(async () => JSON.parse((await app.evaluate(() => window.hearth.fetch('CHAT', 'hangup', '/'))).text).closes, { timeout: 20_000 })
    .toEqual([{ name: 'alice', code: 1006, reason: 'WebSocket disconnected without sending Close frame.', wasClean: false }]);
  // Bob's socket is untouched, and the counts follow.
  expect(await app.evaluate((id) => window.hearth.socket(id).ws.readyState, bob)).toBe(1);
  await expect(sockets).toHaveCount(1);
  await expect(row).toHaveAttribute('data-sockets', '1');
});
