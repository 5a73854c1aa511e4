import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BrowserContext } from 'puppeteer-core';
import { freshContext, openApp, until } from './firefox.ts';

let browser: BrowserContext;
beforeAll(async () => {
  browser = await freshContext();
});
afterAll(async () => {
  await browser?.close();
});

type Outcome = { ok: boolean; n?: number; error?: { message: string; retryable?: boolean } };

test('closing the host tab in Firefox moves the object; no acknowledged increment is lost and no call hangs', async () => {
  const host = await openApp(browser);
  const caller = await openApp(browser);
  expect((await host.evaluate(() => window.hearth.json('LEDGER', 'movable', '/increment'))).n).toBe(1);
  const hostId = await host.evaluate(() => window.hearth.runtime.hostId);
  const before = await caller.evaluate(() => window.hearth.runtime.inspect());
  expect(before.live.find((e) => e.name === 'movable')?.hostId).toBe(hostId);

  await caller.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const outcomes: Outcome[] = [];
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
          outcomes.push({ ok: false, error: { message: e.message, ...(e.retryable !== undefined ? { retryable: e.retryable } : {}) } });
        }
      }
    })();
  });
  const count = () => caller.evaluate(() => ((window as any).outcomes as Outcome[]).filter((o) => o.ok).length);
  await until(async () => (await count()) > 20);

  await host.close();

  const atClose = await count();
  await until(async () => (await count()) > atClose + 20);
  await caller.evaluate(async () => {
    (window as any).stop = true;
    await (window as any).loop;
  });

  const slow = await caller.evaluate(() => (window as any).slow);
  expect(slow.ok).toBe(false);
  expect(slow.error.message).toBe('Network connection lost.');
  expect(slow.error.retryable).toBe(true);

  const outcomes = await caller.evaluate(() => (window as any).outcomes as Outcome[]);
  const acknowledged = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.filter((o) => !o.ok);
  for (const f of failed) expect(f.error).toEqual({ message: 'Network connection lost.', retryable: true });
  const state = await caller.evaluate(() => window.hearth.json('LEDGER', 'movable', '/'));
  expect(state.n).toBeGreaterThanOrEqual(1 + acknowledged);
  expect(state.n).toBeLessThanOrEqual(1 + acknowledged + failed.length + 1);
  const callerId = await caller.evaluate(() => window.hearth.runtime.hostId);
  const after = await caller.evaluate(() => window.hearth.runtime.inspect());
  expect(after.live.find((e) => e.name === 'movable')?.hostId).toBe(callerId);
  expect(state.constructions.length).toBe(2);
});
