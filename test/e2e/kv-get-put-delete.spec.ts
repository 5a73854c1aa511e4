/**
 * `storage.get/put/delete`: the single and multi-key forms, as DO-API.md §4.1
 * and §15 describe them.
 */
import { test, expect } from './kv-fixtures.ts';

test('get() of a key that was never written resolves to undefined', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    await storage.put('other', 1);
    const v = await storage.get('missing');
    return { isUndefined: v === undefined, nullStaysNull: (await storage.put('n', null), (await storage.get('n')) === null) };
  }`);
  expect(r).toEqual({ ok: true, value: { isUndefined: true, nullStaysNull: true } });
});

test('get(keys) returns a Map sorted by key, without duplicates or missing keys', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    await storage.put({ a: 1, b: 2, c: 3, z: 26 });
    const m = await storage.get(['z', 'b', 'c', 'a', 'a', 'missing']);
    const none = await storage.get([]);
    return { isMap: m instanceof Map, entries: [...m.entries()], empty: [none instanceof Map, none.size] };
  }`);
  expect(r).toEqual({
    ok: true,
    value: { isMap: true, entries: [['a', 1], ['b', 2], ['c', 3], ['z', 26]], empty: [true, 0] },
  });
});

test('put(key, value) overwrites the previous value', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    await storage.put('k', 'first');
    await storage.put('k', { second: true });
    return [await storage.get('k'), [...(await storage.list()).keys()]];
  }`);
  expect(r).toEqual({ ok: true, value: [{ second: true }, ['k']] });
});

test('put(entries) writes every entry and skips undefined values without deleting them', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    await storage.put('u', 'before');
    await storage.put({ x: 1, u: undefined, y: null });
    return [...(await storage.list()).entries()];
  }`);
  expect(r).toEqual({ ok: true, value: [['u', 'before'], ['x', 1], ['y', null]] });
});

test('put(key, undefined) is a TypeError and stores nothing', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const out = [];
    for (const call of [() => storage.put('k', undefined), () => storage.put('k')]) {
      try { await call(); out.push('stored'); } catch (e) { out.push(e.name + ': ' + e.message); }
    }
    out.push((await storage.get('k')) === undefined);
    return out;
  }`);
  expect(r).toEqual({
    ok: true,
    value: ['TypeError: put() called with undefined value.', 'TypeError: put() called with undefined value.', true],
  });
});

test('put(entries) with a second argument that is not options is a TypeError', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const out = [];
    for (const second of [5, 'x']) {
      try { await storage.put({ a: 1 }, second); out.push('stored'); } catch (e) { out.push(e.name + ': ' + e.message); }
    }
    await storage.put({ b: 2 }, { allowUnconfirmed: true });
    out.push([...(await storage.list()).keys()]);
    return out;
  }`);
  const usage =
    'TypeError: put() may only be called with a single key-value pair and optional options as put(key, value, options) or with multiple key-value pairs and optional options as put(entries, options)';
  expect(r).toEqual({ ok: true, value: [usage, usage, ['b']] });
});

test('delete(key) resolves to whether the key existed', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    await storage.put('a', 1);
    return [await storage.delete('a'), await storage.delete('a'), await storage.delete('never'), await storage.get('a')];
  }`);
  // JSON turns the trailing `undefined` into null.
  expect(r).toEqual({ ok: true, value: [true, false, false, null] });
});

test('delete(keys) resolves to how many of the keys existed', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    await storage.put({ a: 1, b: 2, c: 3 });
    return [
      await storage.delete([]),
      await storage.delete(['a', 'b', 'missing']),
      await storage.delete(['a']),
      [...(await storage.list()).keys()],
    ];
  }`);
  expect(r).toEqual({ ok: true, value: [0, 2, 0, ['c']] });
});

test('reads return a fresh copy: mutating a value never changes what is stored', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const original = { list: [1], nested: { n: 1 } };
    await storage.put('o', original);
    original.list.push('mutated after put');

    const first = await storage.get('o');
    first.list.push('mutated after get');
    first.nested.n = 99;
    const second = await storage.get('o');
    const listed = (await storage.list()).get('o');
    const many = (await storage.get(['o'])).get('o');
    return {
      second, listed, many,
      distinct: new Set([original, first, second, listed, many]).size,
    };
  }`);
  const stored = { list: [1], nested: { n: 1 } };
  expect(r).toEqual({ ok: true, value: { second: stored, listed: stored, many: stored, distinct: 5 } });
});
