/**
 * What user SQL may not do (DO-API.md §5.3, workerd's authorizer): open
 * transactions or savepoints itself, touch `_cf_` tables (any case), attach
 * databases, create TEMP objects, or use virtual tables other than FTS5 and
 * R*Tree. Hearth's own use of those tables (the KV API) still works.
 */
import { test, expect } from './kv-fixtures.ts';

const ATTEMPT = `const attempt = (fn) => { try { fn(); return 'ok'; } catch (e) { return e.name + ': ' + e.message; } };`;

const TRANSACTION =
  "Error: To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. The JavaScript API is safer because it will automatically roll back on exceptions, and because it interacts correctly with Durable Objects' automatic atomic write coalescing.";

test('BEGIN, COMMIT, ROLLBACK, SAVEPOINT and RELEASE are refused with the transaction message', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x)');
    const statements = ['BEGIN', 'BEGIN IMMEDIATE TRANSACTION', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT sp', 'RELEASE sp', 'ROLLBACK TO sp', 'INSERT INTO t VALUES (1); BEGIN'];
    return { results: statements.map((s) => attempt(() => sql.exec(s))), rows: sql.exec('SELECT count(*) AS n FROM t').one().n };
  }`);
  expect(r).toEqual({ ok: true, value: { results: Array(9).fill(TRANSACTION), rows: 1 } });
});

test('_cf_ tables cannot be read, written or created, in any case, while the KV API keeps using _cf_KV', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    await storage.put('k', 'v');
    sql.exec('CREATE TABLE mine (x)');
    return {
      read: attempt(() => sql.exec('SELECT * FROM _cf_KV')),
      readValue: attempt(() => sql.exec('SELECT value FROM _cf_KV')),
      readOtherCase: attempt(() => sql.exec('SELECT * FROM _CF_kv')),
      write: attempt(() => sql.exec("INSERT INTO _cf_KV VALUES ('x', x'00')")),
      remove: attempt(() => sql.exec('DELETE FROM _cf_KV')),
      drop: attempt(() => sql.exec('DROP TABLE _cf_KV')),
      create: attempt(() => sql.exec('CREATE TABLE _cf_x (a)')),
      createUpper: attempt(() => sql.exec('CREATE TABLE _CF_X (a)')),
      view: attempt(() => sql.exec('CREATE VIEW _cf_view AS SELECT 1')),
      index: attempt(() => sql.exec('CREATE INDEX _cf_idx ON mine (x)')),
      indexOnReserved: attempt(() => sql.exec('CREATE INDEX idx ON _cf_KV (value)')),
      trigger: attempt(() => sql.exec('CREATE TRIGGER _cf_trg AFTER INSERT ON mine BEGIN SELECT 1; END')),
      alter: attempt(() => sql.exec('ALTER TABLE _cf_KV ADD COLUMN y')),
      tableInfo: attempt(() => sql.exec('PRAGMA table_info(_cf_KV)')),
      listed: sql.exec("SELECT name FROM sqlite_master WHERE name = '_cf_KV'").toArray(),
      kvStillWorks: [await storage.get('k'), storage.kv.get('k')],
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      read: 'Error: access to _cf_KV.key is prohibited: SQLITE_AUTH',
      readValue: 'Error: access to _cf_KV.value is prohibited: SQLITE_AUTH',
      readOtherCase: 'Error: access to _cf_KV.key is prohibited: SQLITE_AUTH',
      write: 'Error: not authorized: SQLITE_AUTH',
      remove: 'Error: not authorized: SQLITE_AUTH',
      drop: 'Error: not authorized: SQLITE_AUTH',
      create: 'Error: not authorized: SQLITE_AUTH',
      createUpper: 'Error: not authorized: SQLITE_AUTH',
      view: 'Error: not authorized: SQLITE_AUTH',
      index: 'Error: not authorized: SQLITE_AUTH',
      indexOnReserved: 'Error: not authorized: SQLITE_AUTH',
      trigger: 'Error: not authorized: SQLITE_AUTH',
      alter: 'Error: not authorized: SQLITE_AUTH',
      tableInfo: 'Error: not authorized: SQLITE_AUTH',
      listed: [{ name: '_cf_KV' }],
      kvStillWorks: ['v', 'v'],
    },
  });
});

test('ATTACH, DETACH and TEMP objects are not authorized', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x)');
    return [
      "ATTACH 'other.db' AS other",
      'DETACH other',
      'CREATE TEMP TABLE tmp (x)',
      'CREATE TEMPORARY VIEW tv AS SELECT 1',
      'CREATE TEMP TRIGGER tt AFTER INSERT ON t BEGIN SELECT 1; END',
      'CREATE TEMP TABLE copy AS SELECT * FROM sqlite_master',
    ].map((s) => attempt(() => sql.exec(s)));
  }`);
  expect(r).toEqual({ ok: true, value: Array(6).fill('Error: not authorized: SQLITE_AUTH') });
});

test('only the fts5, fts5vocab, rtree and rtree_i32 virtual table modules are allowed, in any case', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    const made = [
      attempt(() => sql.exec('CREATE VIRTUAL TABLE docs USING FtS5(title, body)')),
      attempt(() => sql.exec('CREATE VIRTUAL TABLE docs_terms USING fTs5VoCaB(docs, row)')),
      attempt(() => sql.exec('CREATE VIRTUAL TABLE boxes USING RTREE(id, minX, maxX)')),
      attempt(() => sql.exec('CREATE VIRTUAL TABLE iboxes USING rtree_i32(id, minX, maxX)')),
      attempt(() => sql.exec('CREATE VIRTUAL TABLE nope USING fts5abcd(x)')),
      attempt(() => sql.exec('CREATE VIRTUAL TABLE old USING fts4(x)')),
    ];
    sql.exec("INSERT INTO docs VALUES ('Hello', 'the quick brown fox'), ('Bye', 'lazy dogs')");
    sql.exec('INSERT INTO boxes VALUES (1, 0, 10), (2, 20, 30)');
    return {
      made,
      match: sql.exec("SELECT title, bm25(docs) < 0 AS ranked FROM docs WHERE docs MATCH 'fox'").toArray(),
      highlight: sql.exec("SELECT highlight(docs, 1, '[', ']') AS h FROM docs WHERE docs MATCH 'lazy'").one().h,
      terms: sql.exec("SELECT count(*) AS n FROM docs_terms").one().n,
      boxes: sql.exec('SELECT id FROM boxes WHERE maxX >= 5 AND minX <= 25 ORDER BY id').toArray(),
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      made: ['ok', 'ok', 'ok', 'ok', 'Error: not authorized: SQLITE_AUTH', 'Error: not authorized: SQLITE_AUTH'],
      match: [{ title: 'Hello', ranked: 1 }],
      highlight: '[lazy] dogs',
      terms: 8,
      boxes: [{ id: 1 }, { id: 2 }],
    },
  });
});
