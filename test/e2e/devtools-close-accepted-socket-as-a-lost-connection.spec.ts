/**
 * Sockets accepted with the standard API (`ws.accept()`, not hibernation)
 * live in the object's worker, not in the tab: the devtools list them too,
 * and "close socket" ends one as a dropped connection — the far end gets a
 * Close frame (1001, "Closed by Hearth DevTools."), the object a close event
 * with 1006 and `wasClean` false, through its input gate — while its other
 * sockets stay open and the counts follow.
 */
import { test, expect, openApp } from './fixtures.ts';
import { openDevtools } from './devtools-page.ts';

test('accept()-ed sockets are listed, and closing one ends it as a lost connection while the other stays open', async ({ context }) => {
  test.setTimeout(90_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  const first = await app.evaluate(() => window.hearth.openSocket('ECHO_SOCKET', 'standard', '/'));
  const second = await app.evaluate(() => window.hearth.openSocket('ECHO_SOCKET', 'standard', '/'));

  const devtools = await openDevtools(context);
  const row = devtools.locator('[data-testid=object-row][data-name=standard]');
  await expect(row).toHaveAttribute('data-sockets', '2');
  await row.click();
  const sockets = devtools.getByTestId('socket-row');
  await expect(sockets).toHaveCount(2);
  await expect(devtools.locator('[data-testid=socket-row][data-kind=accepted]')).toHaveCount(2);
  await sockets.first().getByTestId('close-socket').click();
  await expect(devtools.getByTestId('action-message')).toContainText('Closed socket');

  // Exactly one far end got the Close frame; the other is open and still answered.
  const closes = () => app.evaluate((ids) => ids.map((id) => window.hearth.socket(id).closes), [first, second]);
  await expect.poll(async () => (await closes()).flat()).toEqual([{ code: 1001, reason: 'Closed by Hearth DevTools.', wasClean: true }]);
  const open = (await closes())[0]!.length === 0 ? first : second;
  expect(await app.evaluate((id) => window.hearth.socket(id).ws.readyState, open)).toBe(1);
  await app.evaluate((id) => window.hearth.socket(id).ws.send('still here'), open);
  await expect.poll(() => app.evaluate((id) => window.hearth.socket(id).messages, open)).toEqual(['echo: still here']);

  // The object heard a lost connection, not a clean close.
  await expect
    .poll(() =>
      app.evaluate(async () => {
        // Awaited here: an RPC result is a thenable proxy, not a Promise the evaluate would wait for.
        const seen = await (window.hearth.stub('ECHO_SOCKET', 'standard') as any).closed();
        return seen;
      }),
    )
    .toEqual({ code: 1006, reason: 'WebSocket disconnected without sending Close frame.', wasClean: false });
  await expect(sockets).toHaveCount(1);
  await expect(row).toHaveAttribute('data-sockets', '1');
});
