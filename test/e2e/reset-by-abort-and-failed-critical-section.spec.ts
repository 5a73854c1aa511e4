import { test, expect } from './fixtures.ts';

test('ctx.abort(reason) resets the object: callers get the reason with durableObjectReset, in-memory state starts over', async ({ app }) => {
  const r: any = await app.evaluate(async () => {
    const { settle } = window.hearth;
    const calc = window.hearth.stub('CALCULATOR', 'abort') as any;
    await calc.add(5);
    await calc.persist('kept', 'yes');
    const inFlight = settle(calc.slowThenAdd(1)); // accepted, still running when abort comes
    await new Promise((r) => setTimeout(r, 50));
    const aborted = await settle(calc.abortNow('bye'));
    const other = await inFlight;
    return { aborted, other };
  });
  // The old stub is broken now; once the reset instance is gone, a new one reaches a fresh instance.
  // (A call racing the teardown may fail as retryable — it may have run, so it is not re-sent.)
  await expect
    .poll(async () => (await app.evaluate(() => window.hearth.runtime.inspect())).live.some((e) => e.name === 'abort'))
    .toBe(false);
  Object.assign(
    r,
    await app.evaluate(async () => {
      const fresh = window.hearth.stub('CALCULATOR', 'abort') as any;
      return { after: await fresh.current, kept: await fresh.persist('probe', 1).then(() => fresh.echo('alive')) };
    }),
  );
  expect(r.aborted.error).toMatchObject({ message: 'bye', durableObjectReset: true });
  expect(r.aborted.error.remote).toBeUndefined();
  expect(r.other.error).toMatchObject({ message: 'bye', durableObjectReset: true });
  expect(r.after).toBe(0);
  expect(r.kept).toBe('alive');
});

test('ctx.abort() without a reason uses Cloudflare\'s default message', async ({ app }) => {
  const r = await app.evaluate(async () => window.hearth.settle((window.hearth.stub('CALCULATOR', 'abort-default') as any).abortNow()));
  expect(r.error).toMatchObject({ message: 'Application called abort() to reset Durable Object.', durableObjectReset: true });
});

test('a throw inside blockConcurrencyWhile resets the object with the original error', async ({ app }) => {
  const r = await app.evaluate(async () => {
    const calc = window.hearth.stub('CALCULATOR', 'critical') as any;
    await calc.add(3);
    return { failed: await window.hearth.settle(calc.failCritical()) };
  });
  expect(r.failed.error).toMatchObject({ name: 'TypeError', message: 'critical section failed', durableObjectReset: true });
  // Once the reset instance is gone (a call racing its teardown may fail as retryable, see below), a new stub
  // reaches a fresh instance.
  await expect
    .poll(async () => (await app.evaluate(() => window.hearth.runtime.inspect())).live.some((e) => e.name === 'critical'))
    .toBe(false);
  expect(await app.evaluate(async () => await (window.hearth.stub('CALCULATOR', 'critical') as any).current)).toBe(0);
});

test('ctx.waitUntil keeps an idle object from being evicted until the promise settles', async ({ context }) => {
  const { openApp } = await import('./fixtures.ts');
  const app = await openApp(context, { idleTimeoutMs: 200 });
  const r = await app.evaluate(async () => {
    const calc = window.hearth.stub('CALCULATOR', 'busy') as any;
    await calc.add(7);
    await calc.keepBusy(4000);
    await new Promise((r) => setTimeout(r, 700)); // well past the idle timeout, inside waitUntil
    const during = await calc.current;
    return { during };
  });
  expect(r.during).toBe(7);
  await expect
    .poll(async () => (await app.evaluate(() => window.hearth.runtime.inspect())).live.some((e) => e.name === 'busy'))
    .toBe(false);
});

test('a stub whose object was reset is broken: it rethrows the reset error, while a new stub reaches a fresh instance', async ({ app }) => {
  const r = await app.evaluate(async () => {
    const { settle } = window.hearth;
    const old = window.hearth.stub('CALCULATOR', 'broken') as any;
    await old.add(2);
    await settle(old.abortNow('gone'));
    const again = await settle(old.add(1));
    const fetchAgain = await settle(old.fetch('https://calc/'));
    return { again, fetchAgain };
  });
  expect(r.again.error).toMatchObject({ message: 'gone', durableObjectReset: true });
  expect(r.fetchAgain.error).toMatchObject({ message: 'gone', durableObjectReset: true });
  // Wait until the reset instance is gone: a call racing its teardown may fail as retryable
  // (`Network connection lost.` — it may have run, so it is not re-sent), which is not what this test is about.
  await expect
    .poll(async () => (await app.evaluate(() => window.hearth.runtime.inspect())).live.some((e) => e.name === 'broken'))
    .toBe(false);
  const fresh = await app.evaluate(async () => await (window.hearth.stub('CALCULATOR', 'broken') as any).add(1));
  expect(fresh).toBe(1);
});
