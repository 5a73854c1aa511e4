/**
 * Real hibernation: an object whose only open sockets are hibernatable has
 * its worker terminated after the idle timeout while its sockets stay
 * connected (the host tab keeps them). The next message starts it again —
 * the constructor re-runs — and its sockets, tags and attachments are all
 * there. An `accept()`-ed socket keeps its object in memory instead.
 */
import { test, expect, openApp } from './fixtures.ts';

const isLive = (page: import('@playwright/test').Page, name: string) =>
  page.evaluate(async (n) => (await window.hearth.runtime.inspect()).live.some((e) => e.name === n), name);

test('a hibernating object’s worker goes, its sockets stay open, and a message wakes it with tags and attachments', async ({ context }) => {
  test.setTimeout(90_000);
  const page = await openApp(context, { idleTimeoutMs: 1500 });
  const alice = await page.evaluate(() => window.hearth.openSocket('CHAT', 'sleepy', '/?name=alice'));
  const bob = await page.evaluate(() => window.hearth.openSocket('CHAT', 'sleepy', '/?name=bob'));
  expect(await isLive(page, 'sleepy')).toBe(true);

  // Idle with only hibernatable sockets: the worker is terminated…
  await expect.poll(() => isLive(page, 'sleepy'), { timeout: 20_000 }).toBe(false);
  // …and the sockets never noticed.
  expect(await page.evaluate((ids) => ids.map((id) => [window.hearth.socket(id).ws.readyState, window.hearth.socket(id).closes.length]), [alice, bob])).toEqual([
    [1, 0],
    [1, 0],
  ]);

  // A message wakes it: the constructor runs again and finds every socket with its tags and attachment.
  await page.evaluate((id) => window.hearth.socket(id).ws.send('state'), alice);
  await expect.poll(() => page.evaluate((id) => window.hearth.socket(id).messages.length, alice)).toBe(1);
  const state = JSON.parse(await page.evaluate((id) => window.hearth.socket(id).messages[0] as string, alice));
  expect(state.constructed).toBe(2);
  expect(state.sockets).toEqual([
    { tags: ['alice', 'room'], attachment: { name: 'alice', joined: 1 } },
    { tags: ['bob', 'room'], attachment: { name: 'bob', joined: 1 } },
  ]);
  expect(await isLive(page, 'sleepy')).toBe(true);

  // The woken object still reaches both sockets.
  await page.evaluate((id) => window.hearth.socket(id).ws.send('good morning'), bob);
  await expect.poll(() => page.evaluate((id) => window.hearth.socket(id).messages.at(-1), alice)).toBe('bob: good morning');
});

test('an accept()-ed socket keeps its object in memory', async ({ context }) => {
  test.setTimeout(60_000);
  const page = await openApp(context, { idleTimeoutMs: 1000 });
  const id = await page.evaluate(() => window.hearth.openSocket('ECHO_SOCKET', 'awake', '/'));
  await page.waitForTimeout(4000);
  expect(await isLive(page, 'awake')).toBe(true);
  await page.evaluate((i) => window.hearth.socket(i).ws.send('still here'), id);
  await expect.poll(() => page.evaluate((i) => window.hearth.socket(i).messages, id)).toEqual(['echo: still here']);
});
