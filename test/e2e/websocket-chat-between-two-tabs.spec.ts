/**
 * Two tabs chat through one Durable Object on the Hibernation API: each tab
 * upgrades through its own stub; the object, hosted by one of them, sends
 * every message to every socket, in order.
 */
import { test, expect, openApp } from './fixtures.ts';

test('two tabs chat through one object, each seeing every message in order', async ({ context }) => {
  const alice = await openApp(context);
  const bob = await openApp(context);
  const aliceSocket = await alice.evaluate(() => window.hearth.openSocket('CHAT', 'lobby', '/?name=alice'));
  const bobSocket = await bob.evaluate(() => window.hearth.openSocket('CHAT', 'lobby', '/?name=bob'));

  await alice.evaluate((id) => {
    const { ws } = window.hearth.socket(id);
    for (let i = 1; i <= 5; i++) ws.send(`a${i}`);
  }, aliceSocket);
  await bob.evaluate((id) => window.hearth.socket(id).ws.send('hi alice'), bobSocket);

  const expected = ['alice: a1', 'alice: a2', 'alice: a3', 'alice: a4', 'alice: a5'];
  for (const [page, id] of [[alice, aliceSocket], [bob, bobSocket]] as const) {
    await expect
      .poll(() => page.evaluate((i) => window.hearth.socket(i).messages.length, id))
      .toBe(6);
    const messages = await page.evaluate((i) => window.hearth.socket(i).messages, id);
    // Alice's five stay in order; Bob's one lands somewhere among them.
    expect(messages.filter((m) => String(m).startsWith('alice'))).toEqual(expected);
    expect(messages).toContain('bob: hi alice');
  }

  const state = await alice.evaluate(() => window.hearth.json('CHAT', 'lobby', '/state'));
  expect(state.sockets).toEqual([
    { tags: ['alice', 'room'], attachment: { name: 'alice', joined: 1 } },
    { tags: ['bob', 'room'], attachment: { name: 'bob', joined: 1 } },
  ]);
});
