import { test, expect, openApp } from './fixtures.ts';

/*
 * A call made on a new stub in the very instant an object resets reaches the
 * fresh instance: the resetting instance refuses it unrun (it says `closed`
 * on every port, even one brokered to it after it stopped), so the call is
 * sent on rather than failing with `Network connection lost.`.
 */

const ROUNDS = 8;

test('a new stub right after ctx.abort() reaches a fresh instance, from the hosting tab', async ({ app }) => {
  test.setTimeout(90_000);
  const results = await app.evaluate(async (rounds) => {
    const out: unknown[] = [];
    for (let i = 0; i < rounds; i++) {
      const name = `race-local-${i}`;
      const old = window.hearth.stub('CALCULATOR', name) as any;
      await old.add(5);
      const aborted = window.hearth.settle(old.abortNow('bye'));
      // No wait: this call races the teardown.
      const fresh = await window.hearth.settle((window.hearth.stub('CALCULATOR', name) as any).add(1));
      out.push({ aborted: (await aborted).error?.message, fresh });
    }
    return out;
  }, ROUNDS);
  for (const r of results) {
    // Either the fresh instance (1) or — if the call won the race — the old one before its abort (6).
    expect((r as any).fresh.error).toBeUndefined();
    expect(r).toMatchObject({ aborted: 'bye', fresh: { ok: true } });
    expect([1, 6]).toContain((r as any).fresh.value);
  }
});

test('a new stub right after ctx.abort() reaches a fresh instance, from another tab', async ({ context }) => {
  test.setTimeout(90_000);
  const host = await openApp(context);
  const caller = await openApp(context);
  for (let i = 0; i < ROUNDS; i++) {
    const name = `race-remote-${i}`;
    // The object lives on `host`: its first caller places it there.
    await host.evaluate(async (name) => (window.hearth.stub('CALCULATOR', name) as any).add(5), name);
    const [aborted, fresh] = await Promise.all([
      host.evaluate(async (name) => (await window.hearth.settle((window.hearth.stub('CALCULATOR', name) as any).abortNow('bye'))).error?.message, name),
      caller.evaluate(async (name) => window.hearth.settle((window.hearth.stub('CALCULATOR', name) as any).add(1)), name),
    ]);
    expect(aborted).toBe('bye');
    expect(fresh.error).toBeUndefined();
    expect(fresh).toMatchObject({ ok: true });
    expect([1, 6]).toContain(fresh.value);
  }
});
