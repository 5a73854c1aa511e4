/**
 * `sql.exec()` with several statements (DO-API.md §5.2, workerd
 * `SqliteDatabase::prepareSql`): every statement before the last runs at once
 * and its rows are dropped; only the last takes bindings and gives the cursor.
 */
import { test, expect } from './kv-fixtures.ts';

const ATTEMPT = `const attempt = (fn) => { try { return fn(); } catch (e) { return e.name + ': ' + e.message; } };`;

test('exec() runs every statement and returns the rows of the last one only', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    const created = sql.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)');
    return {
      createdColumns: created.columnNames,
      createdRows: created.toArray(),
      last: sql.exec('SELECT x FROM t; SELECT count(*) AS n FROM t').toArray(),
      boundLast: sql.exec('INSERT INTO t VALUES (3); SELECT x FROM t WHERE x > ? ORDER BY x', 1).toArray(),
      trailingWhitespace: sql.exec('SELECT 1 AS one;  \\n\\t\\r\\f\\v ').toArray(),
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      createdColumns: [],
      createdRows: [],
      last: [{ n: 2 }],
      boundLast: [{ x: 2 }, { x: 3 }],
      trailingWhitespace: [{ one: 1 }],
    },
  });
});

test('only the last statement may have parameters, and nothing runs when an earlier one has some', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x)');
    return {
      earlier: attempt(() => sql.exec('INSERT INTO t VALUES (?); SELECT 1', 5)),
      earlierNoBinding: attempt(() => sql.exec('INSERT INTO t VALUES (?); SELECT 1')),
      rows: sql.exec('SELECT count(*) AS n FROM t').one().n,
    };
  }`);
  const message = 'Error: When executing multiple SQL statements in a single call, only the last statement can have parameters.';
  expect(r).toEqual({ ok: true, value: { earlier: message, earlierNoBinding: message, rows: 0 } });
});

test('SQL with no statement is an error, even after the statements before it have run', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x)');
    return {
      empty: attempt(() => sql.exec('')),
      semicolon: attempt(() => sql.exec(';')),
      comment: attempt(() => sql.exec('-- nothing here')),
      trailingComment: attempt(() => sql.exec('INSERT INTO t VALUES (1); -- a trailing comment')),
      // The INSERT before the comment ran, as in workerd.
      rows: sql.exec('SELECT count(*) AS n FROM t').one().n,
    };
  }`);
  const none = 'Error: SQL code did not contain a statement.';
  expect(r).toEqual({ ok: true, value: { empty: none, semicolon: none, comment: none, trailingComment: none, rows: 1 } });
});

test('the bindings must match the parameters of the statement in number', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    return {
      missing: attempt(() => sql.exec('SELECT ?')),
      extra: attempt(() => sql.exec('SELECT ?', 1, 2)),
      none: attempt(() => sql.exec('SELECT 1', 1)),
      numbered: sql.exec('SELECT ?1 AS a, ?1 + ?2 AS b', 2, 3).one(),
      named: sql.exec('SELECT :x AS x, $y AS y', 'named', 'dollar').one(),
    };
  }`);
  const wrong = 'Error: Wrong number of parameter bindings for SQL query.';
  expect(r).toEqual({
    ok: true,
    value: { missing: wrong, extra: wrong, none: wrong, numbered: { a: 2, b: 5 }, named: { x: 'named', y: 'dollar' } },
  });
});
