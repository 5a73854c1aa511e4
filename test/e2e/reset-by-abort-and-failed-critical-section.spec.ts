import { test, expect } from './fixtures.ts';

test('ctx.abort(reason) resets the object: callers get the reason with durableObjectReset, in-memory state starts over', async ({ sharedApp: app }) => {
  const r = await app.evaluate(async () => {
    const { settle } = window.hearth;
    const calc = window.hearth.stub('CALCULATOR', 'abort') as any;
    await calc.add(5);
    await calc.persist('kept', 'yes');
    const inFlight = settle(calc.slowThenAdd(1)); // accepted, still running when abort comes
    await new Promise((r) => setTimeout(r, 50));
    const aborted = await settle(calc.abortNow('bye'));
    const other = await inFlight;
    // The old stub is broken now; a new one reaches a fresh instance.
    const fresh = window.hearth.stub('CALCULATOR', 'abort') as any;
    return { aborted, other, after: await fresh.current, kept: await fresh.persist('probe', 1).then(() => fresh.echo('alive')) };
  });
  expect(r.aborted.error).toMatchObject({ message: 'bye', durableObjectReset: true });
  expect(r.aborted.error.remote).toBeUndefined();
  expect(r.other.error).toMatchObject({ message: 'bye', durableObjectReset: true });
  expect(r.after).toBe(0);
  expect(r.kept).toBe('alive');
});

test('ctx.abort() without a reason uses Cloudflare\'s default message', async ({ sharedApp: app }) => {
  const r = await app.evaluate(async () => window.hearth.settle((window.hearth.stub('CALCULATOR', 'abort-default') as any).abortNow()));
  expect(r.error).toMatchObject({ message: 'Application called abort() to reset Durable Object.', durableObjectReset: true });
});

test('a throw inside blockConcurrencyWhile resets the object with the original error', async ({ sharedApp: app }) => {
  const r = await app.evaluate(async () => {
    const calc = window.hearth.stub('CALCULATOR', 'critical') as any;
    await calc.add(3);
    const failed = await window.hearth.settle(calc.failCritical());
    const fresh = window.hearth.stub('CALCULATOR', 'critical') as any;
    return { failed, after: await fresh.current };
  });
  expect(r.failed.error).toMatchObject({ name: 'TypeError', message: 'critical section failed', durableObjectReset: true });
  expect(r.after).toBe(0);
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

test('a stub whose object was reset is broken: it rethrows the reset error, while a new stub reaches a fresh instance', async ({ sharedApp: app }) => {
  const r = await app.evaluate(async () => {
    const { settle } = window.hearth;
    const old = window.hearth.stub('CALCULATOR', 'broken') as any;
    await old.add(2);
    await settle(old.abortNow('gone'));
    const again = await settle(old.add(1));
    const fetchAgain = await settle(old.fetch('https://calc/'));
    const fresh = window.hearth.stub('CALCULATOR', 'broken') as any;
    return { again, fetchAgain, fresh: await fresh.add(1) };
  });
  expect(r.again.error).toMatchObject({ message: 'gone', durableObjectReset: true });
  expect(r.fetchAgain.error).toMatchObject({ message: 'gone', durableObjectReset: true });
  expect(r.fresh).toBe(1);
});
