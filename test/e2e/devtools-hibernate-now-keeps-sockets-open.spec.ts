/**
 * "Hibernate now" stops an object exactly as the idle timer does: an object
 * whose only sockets are hibernatable has its worker terminated while its
 * sockets stay open (the host tab keeps them); the next message wakes it,
 * the constructor runs again, and the timeline shows the stop. An object
 * holding an `accept()`-ed socket cannot hibernate, and says why.
 */
import { test, expect, openApp } from './fixtures.ts';
import { openDevtools } from './devtools-page.ts';

test('hibernate now terminates the worker, keeps its hibernatable sockets open, and the next message wakes it', async ({ context }) => {
  test.setTimeout(90_000);
  // Only the devtools stop objects here: no idle timer, however slow the machine.
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  const alice = await app.evaluate(() => window.hearth.openSocket('CHAT', 'napper', '/?name=alice'));

  const devtools = await openDevtools(context);
  const row = devtools.locator('[data-testid=object-row][data-name=napper]');
  await expect(row).toHaveAttribute('data-state', 'live');
  await expect(row).toHaveAttribute('data-sockets', '1');
  await row.click();
  await devtools.locator('nav button[data-tab=timeline]').click();
  await devtools.locator('nav button[data-tab=objects]').click();
  await row.getByTestId('hibernate').click();
  await expect(devtools.getByTestId('action-message')).toHaveText('Hibernated ChatRoom napper.');
  await expect(row).toHaveAttribute('data-state', 'idle');
  // Hibernated, not closed: the socket is still open and still counted.
  await expect(row).toHaveAttribute('data-sockets', '1');
  expect(await app.evaluate((id) => [window.hearth.socket(id).ws.readyState, window.hearth.socket(id).closes.length], alice)).toEqual([1, 0]);

  // The timeline shows the stop the idle path makes.
  await devtools.locator('nav button[data-tab=timeline]').click();
  await expect(devtools.locator('.end span', { hasText: 'evicted (idle)' })).toBeVisible();

  // A message wakes it: the constructor runs again and finds its socket.
  await app.evaluate((id) => window.hearth.socket(id).ws.send('state'), alice);
  await expect.poll(() => app.evaluate((id) => window.hearth.socket(id).messages.length, alice), { timeout: 20_000 }).toBe(1);
  const state = JSON.parse(await app.evaluate((id) => window.hearth.socket(id).messages[0] as string, alice));
  expect(state.constructed).toBe(2);
  expect(state.sockets).toEqual([{ tags: ['alice', 'room'], attachment: { name: 'alice', joined: 1 } }]);
});

test('an object holding an accept()-ed socket cannot hibernate, as with the idle timer', async ({ context }) => {
  test.setTimeout(60_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  const id = await app.evaluate(() => window.hearth.openSocket('ECHO_SOCKET', 'wakeful', '/'));
  const devtools = await openDevtools(context);
  const row = devtools.locator('[data-testid=object-row][data-name=wakeful]');
  await expect(row).toHaveAttribute('data-state', 'live');
  await row.getByTestId('hibernate').click();
  await expect(devtools.getByTestId('action-message')).toContainText('cannot hibernate now: it holds accept()-ed WebSockets');
  await expect(row).toHaveAttribute('data-state', 'live');
  await app.evaluate((i) => window.hearth.socket(i).ws.send('still here'), id);
  await expect.poll(() => app.evaluate((i) => window.hearth.socket(i).messages, id)).toEqual(['echo: still here']);
});
