/**
 * `kv.list()` returns a lazy iterator, and only one can be live (DO-API.md
 * §4.2): starting another invalidates the previous one, whose next read throws.
 */
import { test, expect } from './kv-fixtures.ts';

const INVALIDATED =
  'Error: kv.list() iterator was invalidated because a new call to kv.list() was started. Only one kv.list() iterator can exist at a time.';

test('a second kv.list() invalidates the first iterator', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const kv = storage.kv;
    kv.put('a', 1); kv.put('b', 2); kv.put('c', 3);
    const first = kv.list();
    const firstRow = first.next().value;
    const second = kv.list();
    let error;
    try { first.next(); } catch (e) { error = e.name + ': ' + e.message; }
    let again;
    try { first.next(); } catch (e) { again = 'throws again'; }
    return { firstRow, error, again, second: [...second] };
  }`);
  expect(r).toEqual({
    ok: true,
    value: { firstRow: ['a', 1], error: INVALIDATED, again: 'throws again', second: [['a', 1], ['b', 2], ['c', 3]] },
  });
});

test('an iterator read to its end is not invalidated, and an empty range invalidates nothing', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const kv = storage.kv;
    kv.put('a', 1); kv.put('b', 2);
    const done = kv.list();
    const all = [...done];
    kv.list();
    const afterDone = done.next();
    const live = kv.list();
    const one = live.next().value;
    const empty = [...kv.list({ start: 'b', end: 'b' }), ...kv.list({ prefix: 'x', start: 'y' })];
    return { all, afterDone, one, empty, rest: [...live] };
  }`);
  expect(r).toEqual({
    ok: true,
    value: { all: [['a', 1], ['b', 2]], afterDone: { done: true }, one: ['a', 1], empty: [], rest: [['b', 2]] },
  });
});

test('the iterator reads lazily, seeing writes made while it is open', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const kv = storage.kv;
    kv.put('a', 1); kv.put('c', 3);
    const it = kv.list();
    const first = it.next().value;
    kv.put('b', 2);
    return [first, ...it];
  }`);
  expect(r).toEqual({ ok: true, value: [['a', 1], ['b', 2], ['c', 3]] });
});
