/**
 * `storage.list()`: key order and the range options, against what workerd was
 * observed to do (DO-API.md §4.1, §15) and what its source does
 * (`DurableObjectStorageOperations::list` in workerd's `api/actor-state.c++`).
 */
import { test, expect, BACKENDS, type Backend, type RunProbe } from './kv-fixtures.ts';

/** The key set DO-API.md §15 listed in workerd. */
const KEYS = ['a', 'b', 'c', 'aa', 'ab', 'B', 'é', 'z', '10', '9'];

/** Store KEYS, then run `lists` — a JS array expression of list() option objects — and return each result's keys. */
function listKeys(probe: RunProbe, lists: string, keys: string[] = KEYS, backend: Backend = 'PROBE') {
  return probe(
    `async (storage) => {
      const keys = ${JSON.stringify(keys)};
      for (const k of keys) await storage.put(k, k.length);
      const out = [];
      for (const options of ${lists}) out.push([...(await storage.list(options)).keys()]);
      return out;
    }`,
    backend,
  );
}

test('list() returns every key in UTF-8 byte order, on both backends', async ({ probe }) => {
  const expected = ['10', '9', 'B', 'a', 'aa', 'ab', 'b', 'c', 'z', 'é'];
  for (const backend of BACKENDS) {
    const r = await listKeys(probe, '[undefined, {}]', KEYS, backend);
    expect({ backend, ...r }).toEqual({ backend, ok: true, value: [expected, expected] });
  }
});

test('list() sorts U+FFFF before an astral character, as UTF-8 bytes do and UTF-16 units do not', async ({ probe }) => {
  const keys = ['😀', 'z', '\uFFFF', 'A', 'é', 'b', 'a'];
  const r = await listKeys(probe, '[{}]', keys);
  expect(r).toEqual({ ok: true, value: [['A', 'a', 'b', 'z', 'é', '\uFFFF', '😀']] });
});

test('list() returns values alongside their keys, in a Map', async ({ probe }) => {
  const r = await probe(
    `async (storage) => {
      await storage.put({ one: 1, two: { n: 2 }, three: [3] });
      const map = await storage.list();
      return { isMap: map instanceof Map, entries: [...map.entries()] };
    }`,
  );
  expect(r).toEqual({ ok: true, value: { isMap: true, entries: [['one', 1], ['three', [3]], ['two', { n: 2 }]] } });
});

test('list({prefix}) returns only the keys that start with the prefix', async ({ probe }) => {
  const r = await listKeys(probe, `[{ prefix: 'a' }, { prefix: 'é' }, { prefix: 'x' }, { prefix: '' }]`);
  expect(r).toEqual({
    ok: true,
    value: [['a', 'aa', 'ab'], ['é'], [], ['10', '9', 'B', 'a', 'aa', 'ab', 'b', 'c', 'z', 'é']],
  });
});

test('list({start, end}) includes start and excludes end', async ({ probe }) => {
  const r = await listKeys(probe, `[{ start: 'aa', end: 'c' }, { start: 'b' }, { end: 'aa' }]`);
  expect(r).toEqual({ ok: true, value: [['aa', 'ab', 'b'], ['b', 'c', 'z', 'é'], ['10', '9', 'B', 'a']] });
});

test('list({startAfter}) starts just after the key it names', async ({ probe }) => {
  const r = await listKeys(probe, `[{ startAfter: 'aa' }, { startAfter: 'a', end: 'b' }, { startAfter: 'é' }]`);
  expect(r).toEqual({ ok: true, value: [['ab', 'b', 'c', 'z', 'é'], ['aa', 'ab'], []] });
});

test('list({reverse, limit}) returns the last keys, largest first', async ({ probe }) => {
  const r = await listKeys(probe, `[{ reverse: true, limit: 3 }, { reverse: true }, { limit: 3 }]`);
  expect(r).toEqual({
    ok: true,
    value: [['é', 'z', 'c'], ['é', 'z', 'c', 'b', 'ab', 'aa', 'a', 'B', '9', '10'], ['10', '9', 'B']],
  });
});

test('reverse does not change what start and end mean', async ({ probe }) => {
  const r = await listKeys(probe, `[{ reverse: true, start: 'aa', end: 'c' }, { reverse: true, start: 'aa', end: 'c', limit: 2 }]`);
  expect(r).toEqual({ ok: true, value: [['b', 'ab', 'aa'], ['b', 'ab']] });
});

test('list() over an inverted or empty range returns an empty Map', async ({ probe }) => {
  const r = await listKeys(
    probe,
    `[{ start: 'c', end: 'aa' }, { start: 'b', end: 'b' }, { startAfter: 'c', end: 'c' }, { start: 'c', end: 'aa', reverse: true }]`,
  );
  expect(r).toEqual({ ok: true, value: [[], [], [], []] });
});

test('list({prefix}) with a start or end outside the prefix range is empty', async ({ probe }) => {
  const r = await listKeys(
    probe,
    `[{ prefix: 'a', start: 'b' }, { prefix: 'a', startAfter: 'b' }, { prefix: 'a', end: 'a' }, { prefix: 'a', end: 'B' }]`,
  );
  expect(r).toEqual({ ok: true, value: [[], [], [], []] });
});

test('list({prefix}) keeps a start or end that falls inside the prefix range, and clamps one outside it', async ({ probe }) => {
  const r = await listKeys(
    probe,
    `[{ prefix: 'a', start: 'aa' }, { prefix: 'a', end: 'ab' }, { prefix: 'a', start: 'B', end: 'zz' }, { prefix: 'a', startAfter: 'a' }]`,
  );
  expect(r).toEqual({ ok: true, value: [['aa', 'ab'], ['a', 'aa'], ['a', 'aa', 'ab'], ['aa', 'ab']] });
});

test('list() rejects a limit that is zero or negative', async ({ probe }) => {
  const r = await probe(
    `async (storage) => {
      await storage.put('a', 1);
      const out = [];
      for (const limit of [0, -1, -100]) {
        try { await storage.list({ limit }); out.push('listed'); }
        catch (e) { out.push(e.constructor.name + ': ' + e.message); }
      }
      return out;
    }`,
  );
  const positive = 'TypeError: List limit must be positive.';
  expect(r).toEqual({ ok: true, value: [positive, positive, positive] });
});

test('list() converts limit as a WebIDL int: truncated, and NaN or Infinity become 0', async ({ probe }) => {
  // workerd declares `jsg::Optional<int> limit`: jsg truncates, and maps non-finite numbers to 0.
  const r = await probe(
    `async (storage) => {
      for (const k of ['a', 'b', 'c', 'd']) await storage.put(k, 1);
      const out = [];
      for (const limit of [2.9, '3', 0.5, NaN, Infinity]) {
        try { out.push([...(await storage.list({ limit })).keys()]); }
        catch (e) { out.push(e.constructor.name + ': ' + e.message); }
      }
      return out;
    }`,
  );
  const positive = 'TypeError: List limit must be positive.';
  expect(r).toEqual({ ok: true, value: [['a', 'b'], ['a', 'b', 'c'], positive, positive, positive] });
});

test('list() rejects start together with startAfter', async ({ probe }) => {
  const r = await probe(`async (storage) => storage.list({ start: 'a', startAfter: 'b' })`);
  expect(r).toMatchObject({
    ok: false,
    error: { name: 'TypeError', message: 'list() cannot be called with both start and startAfter values.' },
  });
});
