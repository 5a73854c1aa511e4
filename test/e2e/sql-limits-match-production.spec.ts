/**
 * SQLite limits as documented for production (DO-API.md §5.4; the table is
 * `src/storage/sql-limits.ts`), each with SQLite's own error.
 */
import { test, expect } from './kv-fixtures.ts';

const ATTEMPT = `const attempt = (fn) => { try { fn(); return 'ok'; } catch (e) { return e.name + ': ' + e.message; } };`;

test('tables have at most 100 columns', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const columns = (n) => Array.from({ length: n }, (_, i) => 'c' + i).join(', ');
    return [
      attempt(() => storage.sql.exec('CREATE TABLE ok100 (' + columns(100) + ')')),
      attempt(() => storage.sql.exec('CREATE TABLE wide (' + columns(101) + ')')),
    ];
  }`);
  expect(r).toEqual({ ok: true, value: ['ok', 'Error: too many columns on wide: SQLITE_ERROR'] });
});

test('a statement binds at most 100 parameters', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const marks = (n) => Array(n).fill('?').join(',');
    return [
      attempt(() => storage.sql.exec('SELECT ' + marks(100), ...Array(100).fill(1))),
      attempt(() => storage.sql.exec('SELECT ' + marks(101), ...Array(101).fill(1))),
      attempt(() => storage.sql.exec('SELECT ?101', 1)),
    ];
  }`);
  expect(r).toEqual({
    ok: true,
    value: [
      'ok',
      'Error: too many SQL variables at offset 207: SQLITE_ERROR',
      'Error: variable number must be between ?1 and ?100 at offset 7: SQLITE_ERROR',
    ],
  });
});

test('a SQL function takes at most 32 arguments', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const args = (n) => Array.from({ length: n }, (_, i) => i).join(',');
    return [attempt(() => storage.sql.exec('SELECT max(' + args(32) + ')')), attempt(() => storage.sql.exec('SELECT max(' + args(33) + ')'))];
  }`);
  expect(r).toEqual({ ok: true, value: ['ok', 'Error: too many arguments on function max at offset 7: SQLITE_ERROR'] });
});

test('strings, BLOBs and rows are at most 2 MB, and a statement at most 100 KB', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    sql.exec('CREATE TABLE big (v)');
    return {
      blobAtLimit: attempt(() => sql.exec('INSERT INTO big VALUES (?)', new Uint8Array(1_999_000))),
      blobOver: attempt(() => sql.exec('INSERT INTO big VALUES (?)', new Uint8Array(2_000_001))),
      textOver: attempt(() => sql.exec('SELECT length(?)', 'x'.repeat(2_000_001))),
      computedOver: attempt(() => sql.exec('SELECT zeroblob(2000001)')),
      kvOver: await storage.put('k', new Uint8Array(2_000_001)).then(() => 'ok', (e) => e.name + ': ' + e.message),
      statementAtLimit: attempt(() => sql.exec('SELECT ' + "'" + 'x'.repeat(99_991) + "'")),
      statementOver: attempt(() => sql.exec('SELECT ' + "'" + 'x'.repeat(99_992) + "'")),
      rows: sql.exec('SELECT count(*) AS n FROM big').one().n,
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      blobAtLimit: 'ok',
      blobOver: 'Error: string or blob too big: SQLITE_TOOBIG',
      textOver: 'Error: string or blob too big: SQLITE_TOOBIG',
      computedOver: 'Error: string or blob too big: SQLITE_TOOBIG',
      kvOver: 'Error: string or blob too big: SQLITE_TOOBIG',
      statementAtLimit: 'ok',
      statementOver: 'Error: statement too long: SQLITE_TOOBIG',
      rows: 1,
    },
  });
});

test('LIKE patterns are at most 50 bytes and compound SELECTs at most 5 terms', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    const union = (n) => Array.from({ length: n }, (_, i) => 'SELECT ' + i).join(' UNION ALL ');
    return [
      attempt(() => sql.exec("SELECT 'a' LIKE ?", 'x'.repeat(50))),
      attempt(() => sql.exec("SELECT 'a' LIKE ?", 'x'.repeat(51))),
      attempt(() => sql.exec(union(5))),
      attempt(() => sql.exec(union(6))),
    ];
  }`);
  expect(r).toEqual({
    ok: true,
    value: ['ok', 'Error: LIKE or GLOB pattern too complex: SQLITE_ERROR', 'ok', 'Error: too many terms in compound SELECT: SQLITE_ERROR'],
  });
});

test('ATTACH is refused, and the limits stay in force for statements compiled later', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    await storage.put('x', 1);
    await storage.deleteAll(); // Hearth lifts the attached-database limit for its own VACUUM, then restores it.
    return [attempt(() => sql.exec("ATTACH 'a.db' AS a")), attempt(() => sql.exec('SELECT ' + Array(101).fill('?').join(','), ...Array(101).fill(0)))];
  }`);
  expect(r).toEqual({
    ok: true,
    value: ['Error: not authorized: SQLITE_AUTH', 'Error: too many SQL variables at offset 207: SQLITE_ERROR'],
  });
});
