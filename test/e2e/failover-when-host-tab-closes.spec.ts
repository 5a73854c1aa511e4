import { test, expect, openApp } from './fixtures.ts';

test('closing the host tab moves the object; no acknowledged increment is lost and no call hangs', async ({ context }) => {
  const host = await openApp(context);
  const caller = await openApp(context);

  // The first call places the object on the tab that made it.
  const first = await host.evaluate(() => window.hearth.json('LEDGER', 'movable', '/increment'));
  expect(first.n).toBe(1);
  const hostId = await host.evaluate(() => window.hearth.runtime.hostId);
  const before = await caller.evaluate(() => window.hearth.runtime.inspect());
  expect(before.live.find((e) => e.name === 'movable')?.hostId).toBe(hostId);

  // The caller streams increments, and holds one call open inside the object.
  await caller.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const outcomes: { ok: boolean; n?: number; error?: { message: string; retryable?: boolean } }[] = [];
    w.outcomes = outcomes;
    w.stop = false;
    const stub = window.hearth.stub('LEDGER', 'movable');
    w.slow = window.hearth.settle(stub.fetch('https://ledger.test/slow-increment?ms=60000').then((r) => r.json()));
    w.loop = (async () => {
      while (!w.stop) {
        try {
          const r = await stub.fetch('https://ledger.test/increment');
          outcomes.push({ ok: true, n: (await r.json()).n });
        } catch (error) {
          const e = error as Error & { retryable?: boolean };
          outcomes.push({ ok: false, error: { message: e.message, retryable: e.retryable } });
        }
      }
    })();
  });
  await expect.poll(() => caller.evaluate(() => (window as any).outcomes.length)).toBeGreaterThan(20);

  await host.close();

  // Increments keep succeeding after the move.
  const atClose = await caller.evaluate(() => (window as any).outcomes.length);
  await expect
    .poll(() => caller.evaluate(() => (window as any).outcomes.filter((o: { ok: boolean }) => o.ok).length))
    .toBeGreaterThan(atClose + 20);
  await caller.evaluate(async () => {
    const w = window as any;
    w.stop = true;
    await w.loop;
  });

  // The call the dead instance had accepted fails as retryable; it does not hang.
  const slow = await caller.evaluate(() => (window as any).slow);
  expect(slow.ok).toBe(false);
  expect(slow.error.message).toBe('Network connection lost.');
  expect(slow.error.retryable).toBe(true);

  const outcomes = await caller.evaluate(() => (window as any).outcomes as { ok: boolean; n?: number; error?: { message: string; retryable?: boolean } }[]);
  const acknowledged = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.filter((o) => !o.ok);
  for (const f of failed) expect(f.error).toEqual({ message: 'Network connection lost.', retryable: true });

  const state = await caller.evaluate(() => window.hearth.json('LEDGER', 'movable', '/'));
  // 1 from the host tab + every acknowledged increment; a call that failed (or the slow one) may or may not have landed.
  expect(state.n).toBeGreaterThanOrEqual(1 + acknowledged);
  expect(state.n).toBeLessThanOrEqual(1 + acknowledged + failed.length + 1);
  // It now lives on the caller's tab, as a new instance.
  const after = await caller.evaluate(() => window.hearth.runtime.inspect());
  const callerId = await caller.evaluate(() => window.hearth.runtime.hostId);
  expect(after.live.find((e) => e.name === 'movable')?.hostId).toBe(callerId);
  expect(state.constructions.length).toBe(2);
});
