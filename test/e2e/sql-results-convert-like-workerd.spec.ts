/**
 * How results come back (DO-API.md §5.2): INTEGER and REAL as numbers,
 * TEXT as strings, BLOB as a fresh ArrayBuffer, NULL as null; row objects
 * keyed by column name, where a repeated name keeps the last column, while
 * `columnNames` and `raw()` keep every column.
 */
import { test, expect } from './kv-fixtures.ts';

test('each SQLite type comes back as the matching JavaScript value', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const row = storage.sql.exec("SELECT 42 AS i, 2.5 AS r, 'text' AS t, x'00ff' AS b, NULL AS n, '' AS e, zeroblob(0) AS z").one();
    return {
      types: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? 'null' : v.constructor.name])),
      numbers: [row.i, row.r],
      text: [row.t, row.e],
      blob: [...new Uint8Array(row.b)],
      emptyBlob: row.z.byteLength,
      nul: row.n,
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      types: { i: 'Number', r: 'Number', t: 'String', b: 'ArrayBuffer', n: 'null', e: 'String', z: 'ArrayBuffer' },
      numbers: [42, 2.5],
      text: ['text', ''],
      blob: [0, 255],
      emptyBlob: 0,
      nul: null,
    },
  });
});

test('integers beyond 2^53 come back as the nearest double', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE big (v INTEGER)');
    sql.exec('INSERT INTO big VALUES (9007199254740993), (-9223372036854775808)');
    return sql.exec('SELECT v, typeof(v) AS type FROM big').toArray().map((row) => [String(row.v), row.type]);
  }`);
  expect(r).toEqual({ ok: true, value: [['9007199254740992', 'integer'], ['-9223372036854776000', 'integer']] });
});

test('every read of a BLOB is a fresh ArrayBuffer', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE b (v BLOB)');
    sql.exec('INSERT INTO b VALUES (?)', new Uint8Array([1, 2, 3]));
    const first = sql.exec('SELECT v FROM b').one().v;
    new Uint8Array(first)[0] = 99;
    const second = sql.exec('SELECT v FROM b').one().v;
    return { distinct: first !== second, second: [...new Uint8Array(second)] };
  }`);
  expect(r).toEqual({ ok: true, value: { distinct: true, second: [1, 2, 3] } });
});

test('with repeated column names the row object keeps the last, while columnNames and raw() keep all', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE abc (a INT, b INT, c INT); CREATE TABLE cde (c INT, d INT, e INT)');
    sql.exec('INSERT INTO abc VALUES (1, 2, 3); INSERT INTO cde VALUES (7, 8, 9)');
    const objects = sql.exec('SELECT * FROM abc, cde');
    const raw = sql.exec('SELECT * FROM abc, cde');
    return {
      row: objects.one(),
      keys: Object.keys(sql.exec('SELECT * FROM abc, cde').one()),
      columnNames: raw.columnNames,
      raw: [...raw.raw()],
      columnNamesAfterEnd: raw.columnNames,
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      row: { a: 1, b: 2, c: 7, d: 8, e: 9 },
      keys: ['a', 'b', 'c', 'd', 'e'],
      columnNames: ['a', 'b', 'c', 'c', 'd', 'e'],
      raw: [[1, 2, 3, 7, 8, 9]],
      columnNamesAfterEnd: ['a', 'b', 'c', 'c', 'd', 'e'],
    },
  });
});

test('a column named __proto__ is an ordinary property of the row', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const row = storage.sql.exec('SELECT 1 AS __proto__, 2 AS x').one();
    return { own: Object.keys(row), value: Object.getOwnPropertyDescriptor(row, '__proto__').value, plain: Object.getPrototypeOf(row) === Object.prototype };
  }`);
  expect(r).toEqual({ ok: true, value: { own: ['__proto__', 'x'], value: 1, plain: true } });
});

test('a statement that returns no rows has no column names', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x)');
    return {
      update: sql.exec('UPDATE t SET x = 1 WHERE x = 123').columnNames,
      emptySelect: sql.exec('SELECT x AS renamed FROM t').columnNames,
      returning: sql.exec('INSERT INTO t VALUES (5) RETURNING x, x * 2 AS twice').toArray(),
    };
  }`);
  expect(r).toEqual({ ok: true, value: { update: [], emptySelect: ['renamed'], returning: [{ x: 5, twice: 10 }] } });
});
