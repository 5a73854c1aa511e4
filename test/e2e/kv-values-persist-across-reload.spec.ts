/**
 * What `put` acknowledged is on disk: after the page reloads (every worker,
 * and so every in-memory copy, is gone) the values read back with their types,
 * on both backends.
 */
import type { Page } from '@playwright/test';
import { test, expect, BACKENDS } from './kv-fixtures.ts';

function probe(app: Page, code: string, binding: string) {
  return app.evaluate(([c, b]) => window.hearth.probe('persisted', c, b), [code, binding] as const);
}

const WRITE = `async (storage) => {
  const cyclic = { name: 'loop' }; cyclic.self = cyclic;
  await storage.put({
    date: new Date(Date.UTC(2026, 5, 1)),
    map: new Map([['k', new Set([1, 2])]]),
    bytes: new Uint8Array([1, 2, 250]),
    bigint: 2n ** 70n,
    negativeZero: -0,
    text: 'é 😀',
    cyclic,
  });
  await storage.put('removed', 1);
  await storage.delete('removed');
  return 'written';
}`;

const READ = `async (storage) => {
  const m = await storage.list();
  const date = m.get('date'), map = m.get('map'), bytes = m.get('bytes'), cyclic = m.get('cyclic');
  return {
    keys: [...m.keys()],
    date: date instanceof Date ? date.toISOString() : 'not a Date',
    map: map instanceof Map && map.get('k') instanceof Set ? [...map.get('k')] : 'not a Map of Set',
    bytes: bytes instanceof Uint8Array ? [...bytes] : 'not a Uint8Array',
    bigint: typeof m.get('bigint') === 'bigint' ? String(m.get('bigint')) : 'not a bigint',
    negativeZero: Object.is(m.get('negativeZero'), -0),
    text: m.get('text'),
    cyclic: cyclic?.self === cyclic,
  };
}`;

test('stored values survive a page reload with their types, on both backends', async ({ app }) => {
  for (const backend of BACKENDS) expect(await probe(app, WRITE, backend)).toEqual({ ok: true, value: 'written' });

  await app.reload();
  await expect(app.locator('body')).toHaveAttribute('data-ready', 'true');

  for (const backend of BACKENDS) {
    expect({ backend, ...(await probe(app, READ, backend)) }).toEqual({
      backend,
      ok: true,
      value: {
        keys: ['bigint', 'bytes', 'cyclic', 'date', 'map', 'negativeZero', 'text'],
        date: '2026-06-01T00:00:00.000Z',
        map: [1, 2],
        bytes: [1, 2, 250],
        bigint: '1180591620717411303424',
        negativeZero: true,
        text: 'é 😀',
        cyclic: true,
      },
    });
  }
});
