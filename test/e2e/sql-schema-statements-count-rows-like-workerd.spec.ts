/**
 * `rowsRead` / `rowsWritten` of statements that create or drop schema
 * objects count the schema's own rows, as workerd's patched SQLite counts
 * them (`src/storage/sql-schema-counts.ts`; values observed in workerd,
 * miniflare 4.20260730).
 */
import { test, expect } from './kv-fixtures.ts';

/** Source of a probe that runs each query of `queries` in order and reports `[rowsRead, rowsWritten]`. */
function counts(queries: string[]): string {
  return `async (storage) => {
    const out = [];
    for (const query of ${JSON.stringify(queries)}) {
      const cursor = storage.sql.exec(query);
      cursor.toArray();
      out.push([cursor.rowsRead, cursor.rowsWritten]);
    }
    return out;
  }`;
}

test('CREATE TABLE reads one row and writes two of sqlite_master, plus one per constraint index', async ({ probe }) => {
  const r = await probe(
    counts([
      'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)',
      'CREATE TABLE IF NOT EXISTS t (x)',
      'CREATE TABLE u (a TEXT PRIMARY KEY, b UNIQUE)',
      'CREATE TABLE s (id INTEGER PRIMARY KEY AUTOINCREMENT)',
      'CREATE VIEW v AS SELECT 1',
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END',
    ]),
  );
  // AUTOINCREMENT creates sqlite_sequence too; IF NOT EXISTS on an existing table does nothing.
  expect(r).toEqual({ ok: true, value: [[1, 2], [0, 0], [1, 4], [2, 4], [1, 2], [0, 1]] });
});

test('CREATE INDEX writes one row per indexed row; DROP reads the schema and writes nothing', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x, y)');
    for (let i = 0; i < 4; i++) sql.exec('INSERT INTO t VALUES (?, ?)', i, i % 2);
    const run = (query) => {
      const cursor = sql.exec(query);
      return [cursor.rowsRead, cursor.rowsWritten];
    };
    return [
      run('CREATE INDEX t_x ON t (x)'),
      run('CREATE INDEX t_odd ON t (x) WHERE y = 1'),
      run('DROP INDEX t_odd'),
      run('DROP TABLE t'),
      run('DROP TABLE IF EXISTS t'),
    ];
  }`);
  // 4 rows: 1 + 4 written, 4 + 4 + 2 read; 2 odd rows: 1 + 2 written, 4 + 2 + 2 read.
  // DROP INDEX: 3 schema rows + 1 b-tree; DROP TABLE: 2 rows + 2 b-trees (the table and t_x).
  expect(r).toEqual({ ok: true, value: [[10, 5], [8, 3], [4, 0], [4, 0], [0, 0]] });
});
