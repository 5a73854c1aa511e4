import { test, expect, openApp } from './fixtures.ts';

test('an object stuck in a loop is reset after the CPU limit; other objects keep serving', async ({ context }) => {
  const app = await openApp(context, {}, { cpu_ms: 1500 });
  const result = await app.evaluate(async () => {
    const spinning = window.hearth.settle(window.hearth.stub('SPINNER', 's').fetch('https://s.test/spin'));
    // While it spins, another object on the same tab answers: each object is its own worker.
    const meanwhile = await window.hearth.fetch('COUNTER', 'neighbour', '/increment');
    const spun = await spinning;
    const after = await window.hearth.json('SPINNER', 's', '/');
    return { meanwhile: meanwhile.text, spun, after };
  });
  expect(result.meanwhile).toBe('1');
  expect(result.spun.ok).toBe(false);
  expect(result.spun.error).toMatchObject({
    message: 'Durable Object exceeded its CPU time limit and was reset.',
    durableObjectReset: true,
  });
  // A fresh instance serves the next request. The write before the loop never
  // committed (the turn never ended), so it is not there: nothing half-done leaks.
  expect(result.after).toEqual({ spun: false });
});
