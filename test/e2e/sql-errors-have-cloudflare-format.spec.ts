/**
 * SQL errors read as on Cloudflare (DO-API.md §5.2): a plain `Error` whose
 * message is `<SQLite's message>[ at offset N]: SQLITE_<CODE>[ (extended:
 * SQLITE_<EXT>)]`, thrown by `exec()` when the statement is compiled or first
 * run.
 */
import { test, expect } from './kv-fixtures.ts';

const ERRORS = `const errorOf = (fn) => {
  try { fn(); return 'no error'; }
  catch (e) { return { name: e.name, plain: e instanceof Error && e.constructor === Error, message: e.message, own: Object.keys(e) }; }
};`;

test('compile errors name the SQLite code and the byte offset of the problem', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ERRORS}
    const sql = storage.sql;
    return [
      errorOf(() => sql.exec('SELEC 1')),
      errorOf(() => sql.exec('SELECT ;')),
      errorOf(() => sql.exec('SELECT -;')),
      errorOf(() => sql.exec("SELECT 'é', ;")),
      errorOf(() => sql.exec('SELECT 1; SELECT 2; SELEC 3')),
      errorOf(() => sql.exec('SELECT * FROM missing_table')),
    ];
  }`);
  const plain = { name: 'Error', plain: true, own: [] };
  expect(r).toEqual({
    ok: true,
    value: [
      { ...plain, message: 'near "SELEC": syntax error at offset 0: SQLITE_ERROR' },
      { ...plain, message: 'near ";": syntax error at offset 7: SQLITE_ERROR' },
      { ...plain, message: 'near ";": syntax error at offset 8: SQLITE_ERROR' },
      // Offsets count UTF-8 bytes: 'é' is two (as UTF-16 it would be offset 12).
      { ...plain, message: 'near ";": syntax error at offset 13: SQLITE_ERROR' },
      // The offset is from the start of the statement that failed.
      { ...plain, message: 'near "SELEC": syntax error at offset 0: SQLITE_ERROR' },
      { ...plain, message: 'no such table: missing_table: SQLITE_ERROR' },
    ],
  });
});

test('runtime errors name the primary code, and the extended one when it says more', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ERRORS}
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT UNIQUE, n TEXT NOT NULL, c INT CHECK (c > 0))');
    sql.exec('CREATE TABLE child (pid INTEGER REFERENCES t (id))');
    sql.exec("INSERT INTO t VALUES (1, 'a', 'x', 1)");
    return [
      errorOf(() => sql.exec("INSERT INTO t VALUES (1, 'b', 'x', 1)")),
      errorOf(() => sql.exec("INSERT INTO t VALUES (2, 'a', 'x', 1)")),
      errorOf(() => sql.exec("INSERT INTO t VALUES (2, 'b', NULL, 1)")),
      errorOf(() => sql.exec("INSERT INTO t VALUES (2, 'b', 'x', 0)")),
      errorOf(() => sql.exec('INSERT INTO child VALUES (42)')),
      errorOf(() => sql.exec("INSERT INTO t (id, n) VALUES ('yeah', 'nah')")),
    ].map((e) => e.message);
  }`);
  expect(r).toEqual({
    ok: true,
    value: [
      'UNIQUE constraint failed: t.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)',
      'UNIQUE constraint failed: t.u: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)',
      'NOT NULL constraint failed: t.n: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_NOTNULL)',
      'CHECK constraint failed: c > 0: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_CHECK)',
      // Foreign keys are on by default, as workerd builds SQLite.
      'FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)',
      'datatype mismatch: SQLITE_MISMATCH',
    ],
  });
});

test('a failed statement changes nothing and the object keeps working', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    sql.exec('INSERT INTO t VALUES (1)');
    try { sql.exec('INSERT INTO t VALUES (2), (1), (3)'); } catch {}
    await storage.put('after', true);
    return { ids: sql.exec('SELECT id FROM t').toArray().map((r) => r.id), kv: await storage.get('after') };
  }`);
  expect(r).toEqual({ ok: true, value: { ids: [1], kv: true } });
  const next = await probe(`async (storage) => storage.sql.exec('SELECT count(*) AS n FROM t').one().n`);
  expect(next).toEqual({ ok: true, value: 1 });
});
