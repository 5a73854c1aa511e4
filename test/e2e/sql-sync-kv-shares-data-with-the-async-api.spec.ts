/**
 * `ctx.storage.kv` (DO-API.md §4.2): synchronous get/put/delete/list over the
 * same `_cf_KV` table as the async API, with the same list options.
 */
import { test, expect } from './kv-fixtures.ts';

test('kv.get, kv.put and kv.delete are synchronous and share data with the async API', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const kv = storage.kv;
    const missing = kv.get('foo');
    const put = kv.put('foo', 123);
    await storage.put('async', { shared: true });
    return {
      missing: missing === undefined,
      put: put === undefined,
      foo: kv.get('foo'),
      fooAsync: await storage.get('foo'),
      async: kv.get('async'),
      types: [kv.put('d', new Date(0)), kv.get('d') instanceof Date, kv.put('m', new Map([[1, 2]])), kv.get('m') instanceof Map],
      deleted: [kv.delete('foo'), kv.delete('foo'), kv.delete('never')],
      after: [kv.get('foo') === undefined, (await storage.get('foo')) === undefined],
      sameObject: storage.kv === storage.kv,
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      missing: true,
      put: true,
      foo: 123,
      fooAsync: 123,
      async: { shared: true },
      types: [null, true, null, true],
      deleted: [true, false, false],
      after: [true, true],
      sameObject: true,
    },
  });
});

test('kv.put stores undefined, and refuses what cannot be serialized', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const kv = storage.kv;
    kv.put('u', undefined);
    let refused;
    try { kv.put('f', () => 1); } catch (e) { refused = e.name; }
    return { listed: [...kv.list()].map(([k, v]) => [k, v === undefined ? 'undefined' : v]), refused };
  }`);
  expect(r).toEqual({ ok: true, value: { listed: [['u', 'undefined']], refused: 'DataCloneError' } });
});

test('kv.list() iterates in key order and takes the async list() options', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const kv = storage.kv;
    for (const k of ['bar', 'baz', 'foo', 'a', 'é', 'z']) kv.put(k, k.toUpperCase());
    const keys = (options) => [...kv.list(options)].map(([k]) => k);
    let limitError;
    try { kv.list({ limit: 0 }); } catch (e) { limitError = e.name + ': ' + e.message; }
    return {
      all: keys(),
      reverse: keys({ reverse: true, limit: 2 }),
      prefix: keys({ prefix: 'ba' }),
      range: keys({ start: 'b', end: 'baz' }),
      startAfter: keys({ startAfter: 'foo' }),
      entries: [...kv.list({ prefix: 'f' })],
      limitError,
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      all: ['a', 'bar', 'baz', 'foo', 'z', 'é'],
      reverse: ['é', 'z'],
      prefix: ['bar', 'baz'],
      range: ['bar'],
      startAfter: ['z', 'é'],
      entries: [['foo', 'FOO']],
      limitError: 'TypeError: List limit must be positive.',
    },
  });
});

test('kv writes join the turn’s implicit transaction and roll back with transactionSync', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const kv = storage.kv;
    kv.put('kept', 1);
    try { storage.transactionSync(() => { kv.put('gone', 2); kv.delete('kept'); throw new Error('undo'); }); } catch {}
    return [...kv.list()];
  }`);
  expect(r).toEqual({ ok: true, value: [['kept', 1]] });
  expect(await probe(`async (storage) => [...storage.kv.list()]`)).toEqual({ ok: true, value: [['kept', 1]] });
});
