/**
 * How JS values bind (DO-API.md §5.2, verified against workerd): numbers as
 * REAL, booleans and other objects as their string, binary data as BLOB,
 * null and undefined as NULL, BigInt refused.
 */
import { test, expect } from './kv-fixtures.ts';

test('numbers bind as REAL, even integers, and INTEGER columns turn them back into integers', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (i INTEGER, r REAL, b BLOB, t TEXT)');
    sql.exec('INSERT INTO t VALUES (?, ?, ?, ?)', 1, 1, 1, 1);
    return {
      types: sql.exec('SELECT typeof(?) AS one, typeof(?) AS half, typeof(?) AS nan', 1, 0.5, NaN).one(),
      stored: sql.exec('SELECT typeof(i) AS i, typeof(r) AS r, typeof(b) AS b, typeof(t) AS t FROM t').one(),
      values: sql.exec('SELECT i, r, b, t FROM t').raw().next().value,
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      types: { one: 'real', half: 'real', nan: 'null' },
      stored: { i: 'integer', r: 'real', b: 'real', t: 'text' },
      // A REAL 1 stored in a TEXT column reads '1.0': an integer binding would have read '1'.
      values: [1, 1, 1, '1.0'],
    },
  });
});

test('booleans and objects bind as their string, null and undefined as NULL', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    const values = [true, false, {}, [1, 2], { toString() { return 'custom'; } }, null, undefined, 'text', ''];
    const placeholders = values.map(() => '(?)').join(', ');
    return sql.exec('SELECT typeof(column1) AS type, column1 AS value FROM (VALUES ' + placeholders + ')', ...values).toArray();
  }`);
  expect(r).toEqual({
    ok: true,
    value: [
      { type: 'text', value: 'true' },
      { type: 'text', value: 'false' },
      { type: 'text', value: '[object Object]' },
      { type: 'text', value: '1,2' },
      { type: 'text', value: 'custom' },
      { type: 'null', value: null },
      { type: 'null', value: null },
      { type: 'text', value: 'text' },
      { type: 'text', value: '' },
    ],
  });
});

test('a BigInt binding is a TypeError, and a Symbol cannot become a string', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const attempt = (fn) => { try { fn(); return 'bound'; } catch (e) { return e.name + ': ' + e.message; } };
    return [attempt(() => storage.sql.exec('SELECT ?', 1n)), attempt(() => storage.sql.exec('SELECT ?', Symbol('s')))];
  }`);
  expect(r).toEqual({
    ok: true,
    value: ['TypeError: Cannot convert a BigInt value to a number', 'TypeError: Cannot convert a Symbol value to a string'],
  });
});

test('ArrayBuffers, typed arrays and DataViews bind as a BLOB of the view’s own bytes', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const bytes = new Uint8Array([0, 1, 2, 3, 250, 255]);
    const cases = [
      bytes.buffer,
      bytes,
      bytes.subarray(2, 5),
      new DataView(bytes.buffer, 4, 2),
      new Uint16Array([0x0102]),
      new ArrayBuffer(0),
    ];
    return cases.map((v) => storage.sql.exec('SELECT typeof(?1) AS type, hex(?1) AS hex', v).one());
  }`);
  expect(r).toEqual({
    ok: true,
    value: [
      { type: 'blob', hex: '00010203FAFF' },
      { type: 'blob', hex: '00010203FAFF' },
      { type: 'blob', hex: '0203FA' },
      { type: 'blob', hex: 'FAFF' },
      { type: 'blob', hex: '0201' },
      { type: 'blob', hex: '' },
    ],
  });
});

test('strings bind as UTF-8 TEXT and come back unchanged', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const s = 'é😀\\u0000x';
    return storage.sql.exec('SELECT ?1 AS s, length(?1) AS chars, octet_length(?1) AS bytes', s).one();
  }`);
  // SQLite's length() stops at a NUL character; the value itself keeps it.
  expect(r).toEqual({ ok: true, value: { s: 'é😀\u0000x', chars: 2, bytes: 8 } });
});
