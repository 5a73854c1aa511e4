import { test, expect, openApp } from './fixtures.ts';

test('an object stuck in a loop is reset after the CPU limit; other objects keep serving', async ({ context }) => {
  const app = await openApp(context, {}, { cpu_ms: 1500 });
  const result = await app.evaluate(async () => {
    const spinning = window.hearth.settle(window.hearth.stub('SPINNER', 's').fetch('https://s.test/spin'));
    // While it spins, another object on the same tab answers: each object is its own worker.
    const meanwhile = await window.hearth.fetch('COUNTER', 'neighbour', '/increment');
    return { meanwhile: meanwhile.text, spun: await spinning };
  });
  // Once the reset instance is gone — a request racing its teardown may fail as retryable (`Network
  // connection lost.`: it may have run, so it is not re-sent) — a fresh instance serves the next one.
  await expect
    .poll(async () => (await app.evaluate(() => window.hearth.runtime.inspect())).live.some((e) => e.name === 's'))
    .toBe(false);
  const after = await app.evaluate(() => window.hearth.json('SPINNER', 's', '/'));
  expect(result.meanwhile).toBe('1');
  expect(result.spun.ok).toBe(false);
  expect(result.spun.error).toMatchObject({
    message: 'Durable Object exceeded its CPU time limit and was reset.',
    durableObjectReset: true,
  });
  // A fresh instance serves the next request. The write before the loop never
  // committed (the turn never ended), so it is not there: nothing half-done leaks.
  expect(after).toEqual({ spun: false });
});
