/**
 * The cursor (DO-API.md §5.2): a statement runs when `exec()` is called, then
 * is read lazily, one row ahead, so it finishes as soon as its last row is
 * read. `next()`, iteration, `raw()`, `toArray()` and `one()` share one
 * position; `rowsRead` and `rowsWritten` grow as it is read.
 */
import { test, expect } from './kv-fixtures.ts';

const TEN_ROWS = `const sql = storage.sql;
  sql.exec('CREATE TABLE n (i INTEGER PRIMARY KEY)');
  for (let i = 1; i <= 10; i++) sql.exec('INSERT INTO n VALUES (?)', i);`;

test('rowsRead grows as the cursor is read, staying one row ahead of what was returned', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${TEN_ROWS}
    const cursor = sql.exec('SELECT * FROM n');
    const counts = [cursor.rowsRead];
    for (const row of cursor) counts.push(cursor.rowsRead);
    return { counts, written: cursor.rowsWritten };
  }`);
  expect(r).toEqual({ ok: true, value: { counts: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10], written: 0 } });
});

test('writes happen when exec() is called and count in rowsWritten, whether or not the cursor is read', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${TEN_ROWS}
    const update = sql.exec('UPDATE n SET i = i + 100 WHERE i > 5');
    const unread = sql.exec('DELETE FROM n WHERE i = 1 RETURNING i');
    return {
      updated: update.rowsWritten,
      deleted: unread.rowsWritten,
      remaining: sql.exec('SELECT count(*) AS c, max(i) AS top FROM n').one(),
      returning: unread.toArray(),
      scan: sql.exec('SELECT * FROM n WHERE i % 2 = 0').toArray().length,
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: { updated: 5, deleted: 1, remaining: { c: 9, top: 110 }, returning: [{ i: 1 }], scan: 5 },
  });
});

test('next(), iteration, raw() and toArray() share one position', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${TEN_ROWS}
    const cursor = sql.exec('SELECT i FROM n');
    const first = cursor.next();
    const raw = cursor.raw();
    const second = raw.next();
    let third;
    for (const row of cursor) { third = row; break; }
    const rest = cursor.toArray();
    const end = cursor.next();
    const rawEnd = raw.next();
    // At the end \`value\` is there and undefined, as workerd returns it (JSON would drop it: report the keys).
    return { first, second, third, rest: rest.map((r) => r.i), end: Object.entries(end), rawEnd: Object.entries(rawEnd), again: cursor.toArray() };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      first: { done: false, value: { i: 1 } },
      second: { done: false, value: [2] },
      third: { i: 3 },
      rest: [4, 5, 6, 7, 8, 9, 10],
      end: [['done', true], ['value', null]],
      rawEnd: [['done', true], ['value', null]],
      again: [],
    },
  });
});

test('one() returns the only row, and refuses none or several', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${TEN_ROWS}
    const attempt = (fn) => { try { return fn(); } catch (e) { return e.name + ': ' + e.message; } };
    const after = sql.exec('SELECT i FROM n WHERE i = 3');
    return {
      one: after.one(),
      consumed: after.toArray(),
      none: attempt(() => sql.exec('SELECT i FROM n WHERE i > 99').one()),
      many: attempt(() => sql.exec('SELECT i FROM n').one()),
      afterNext: attempt(() => { const c = sql.exec('SELECT i FROM n WHERE i < 3'); c.next(); return c.one(); }),
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      one: { i: 3 },
      consumed: [],
      none: 'Error: Expected exactly one result from SQL query, but got no results.',
      many: 'Error: Expected exactly one result from SQL query, but got multiple results.',
      afterNext: { i: 2 },
    },
  });
});

test('an error met while reading ahead is thrown by the next read, after the rows before it', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE j (id INTEGER PRIMARY KEY, doc TEXT)');
    sql.exec(\`INSERT INTO j VALUES (1, '{"a":1}'), (2, 'not json'), (3, '{"a":3}')\`);
    const cursor = sql.exec("SELECT id, json_extract(doc, '$.a') AS a FROM j ORDER BY id");
    const out = [cursor.next().value];
    try { cursor.next(); out.push('no error'); } catch (e) { out.push(e.message); }
    out.push(cursor.next());
    return out;
  }`);
  expect(r).toEqual({ ok: true, value: [{ id: 1, a: 1 }, 'malformed JSON: SQLITE_ERROR', { done: true }] });
});

test('a cursor still being read does not stop the same query from running again', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${TEN_ROWS}
    const q = 'SELECT i FROM n WHERE i <= ?';
    const outer = sql.exec(q, 3);
    const pairs = [];
    for (const a of outer) for (const b of sql.exec(q, 2)) pairs.push(a.i * 10 + b.i);
    return { pairs, outerRead: outer.rowsRead };
  }`);
  expect(r).toEqual({ ok: true, value: { pairs: [11, 12, 21, 22, 31, 32], outerRead: 3 } });
});

test('a cursor read after an await sees the rows written meanwhile', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${TEN_ROWS}
    const cursor = sql.exec('SELECT i FROM n ORDER BY i');
    const first = cursor.next().value.i;
    await new Promise((resolve) => setTimeout(resolve, 0));
    sql.exec('INSERT INTO n VALUES (11)');
    return { first, rest: cursor.toArray().map((row) => row.i) };
  }`);
  expect(r).toEqual({ ok: true, value: { first: 1, rest: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11] } });
});
