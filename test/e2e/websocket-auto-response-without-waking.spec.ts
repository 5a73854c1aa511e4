/**
 * `setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'))`:
 * the host tab answers `ping` on a hibernated object's socket itself — the
 * object is not started — and records when, which the object sees after it
 * wakes (`getWebSocketAutoResponseTimestamp`), with the setting itself.
 */
import { test, expect, openApp } from './fixtures.ts';

const isLive = (page: import('@playwright/test').Page, name: string) =>
  page.evaluate(async (n) => (await window.hearth.runtime.inspect()).live.some((e) => e.name === n), name);

test('a ping is answered with pong while the object hibernates, without starting it', async ({ context }) => {
  test.setTimeout(90_000);
  const page = await openApp(context, { idleTimeoutMs: 1500 });
  expect(await page.evaluate(() => window.hearth.fetch('CHAT', 'pinged', '/auto-response'))).toMatchObject({ text: 'set' });
  const id = await page.evaluate(() => window.hearth.openSocket('CHAT', 'pinged', '/?name=carol'));
  await expect.poll(() => isLive(page, 'pinged'), { timeout: 20_000 }).toBe(false);

  const before = Date.now();
  await page.evaluate((i) => {
    const { ws } = window.hearth.socket(i);
    ws.send('ping');
    ws.send('ping');
  }, id);
  await expect.poll(() => page.evaluate((i) => window.hearth.socket(i).messages, id)).toEqual(['pong', 'pong']);
  // Answered by the host: the object never started.
  await page.waitForTimeout(500);
  expect(await isLive(page, 'pinged')).toBe(false);

  // Waking it: the constructor ran only twice in all (the upgrade, now), and it sees the setting and the time.
  await page.evaluate((i) => window.hearth.socket(i).ws.send('state'), id);
  await expect.poll(() => page.evaluate((i) => window.hearth.socket(i).messages.length, id)).toBe(3);
  const state = JSON.parse(await page.evaluate((i) => window.hearth.socket(i).messages[2] as string, id));
  expect(state.constructed).toBe(2);
  expect(state.autoResponse).toBe('pong');
  expect(state.autoResponseAt[0]).toBeGreaterThanOrEqual(before - 1000);
});
