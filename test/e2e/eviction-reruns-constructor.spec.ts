import { test, expect, openApp } from './fixtures.ts';

test('an idle object is evicted; the next request re-runs the constructor and storage is intact', async ({ context }) => {
  const app = await openApp(context, { idleTimeoutMs: 300 });
  const first = await app.evaluate(async () => {
    await window.hearth.json('LEDGER', 'sleepy', '/increment');
    return window.hearth.json('LEDGER', 'sleepy', '/increment');
  });
  expect(first.n).toBe(2);

  // Evicted: gone from the coordinator's directory.
  await expect
    .poll(async () => (await app.evaluate(() => window.hearth.runtime.inspect())).live.some((e) => e.name === 'sleepy'))
    .toBe(false);

  const after = await app.evaluate(() => window.hearth.json('LEDGER', 'sleepy', '/'));
  expect(after.n).toBe(2);
  expect(after.constructions).toHaveLength(2);
  expect(after.instance).toBe(after.constructions[1]);
  expect(after.live).toBe(0); // in-memory fields started over

  // The registry remembers it was placed twice.
  const inspection = await app.evaluate(() => window.hearth.runtime.inspect());
  expect(inspection.registry.find((r) => r.name === 'sleepy')?.placements).toBe(2);
});

test('a host keeps at most maxLiveObjectsPerHost objects alive, evicting the least recently used', async ({ context }) => {
  const app = await openApp(context, { maxLiveObjectsPerHost: 3 });
  const values = await app.evaluate(async () => {
    const out: number[] = [];
    for (const name of ['o1', 'o2', 'o3', 'o4', 'o5']) out.push((await window.hearth.json('LEDGER', name, '/increment')).n);
    return out;
  });
  expect(values).toEqual([1, 1, 1, 1, 1]);
  await expect
    .poll(async () => (await app.evaluate(() => window.hearth.runtime.inspect())).live.length)
    .toBeLessThanOrEqual(3);
  // Evicted objects come back with their storage.
  const again = await app.evaluate(() => window.hearth.json('LEDGER', 'o1', '/increment'));
  expect(again.n).toBe(2);
});
