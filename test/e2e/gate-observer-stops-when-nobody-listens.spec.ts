/**
 * The gate observer costs nothing when nobody listens: once the last
 * listener stops, the page tells its object workers, and they stop building
 * records at all (src/object/gate-observer.ts).
 */
import { test, expect } from './fixtures.ts';

test('objects report nothing once the last observer stops listening', async ({ app }) => {
  test.setTimeout(60_000);
  const counts = await app.evaluate(async () => {
    const seen: unknown[] = [];
    const stop = window.hearth.runtime.observe((record) => seen.push(record));
    const calc = window.hearth.stub('CALCULATOR', 'gate-observer-stop') as any;
    await calc.persist('a', 1);
    const deadline = Date.now() + 10_000;
    while (!seen.some((r: any) => r.event.kind === 'reply-sent' && r.event.event > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const whileObserved = seen.length;
    stop();
    await calc.persist('b', 2);
    await new Promise((r) => setTimeout(r, 300));
    return { whileObserved, afterStop: seen.length - whileObserved };
  });
  expect(counts.whileObserved).toBeGreaterThan(0);
  expect(counts.afterStop).toBe(0);
});
