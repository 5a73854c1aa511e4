/**
 * `runtime.close()` leaves nothing hanging: a call still running in an object
 * when the page closes its runtime is rejected with a clear error, calls made
 * afterwards fail at once, and `Symbol.asyncDispose` is the same close (so
 * `await using runtime = await start()` works).
 */
import { test, expect } from './fixtures.ts';

test('closing the runtime rejects a call still in flight and every later call with a clear error', async ({ app }) => {
  test.setTimeout(60_000);
  const result = await app.evaluate(async () => {
    const { runtime, stub, settle } = window.hearth;
    const latch = stub('LATCH', 'close-settles') as any;
    await latch.constructions(); // placed and running
    const held = settle(latch.hold()); // accepted, never released
    await new Promise((r) => setTimeout(r, 100));
    const disposeIsClose = typeof runtime[Symbol.asyncDispose] === 'function';
    await runtime[Symbol.asyncDispose]();
    const inFlight = await held;
    const later = await settle((stub('CALCULATOR', 'after-close') as any).add(1));
    const inspect = await settle(runtime.inspect());
    return { disposeIsClose, inFlight, later, inspect };
  });
  expect(result.disposeIsClose).toBe(true);
  expect(result.inFlight).toMatchObject({ ok: false, error: { message: 'Hearth runtime was closed.' } });
  expect(result.later).toMatchObject({ ok: false, error: { message: 'Hearth runtime was closed.' } });
  expect(result.inspect).toMatchObject({ ok: false, error: { message: 'Hearth runtime was closed.' } });
});
