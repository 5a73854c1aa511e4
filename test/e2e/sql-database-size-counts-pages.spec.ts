/**
 * `sql.databaseSize` (DO-API.md §5.2): (pages − free pages) × page size, with
 * workerd's 4096-byte pages; after `deleteAll()` it is the size of an empty
 * database, whatever was in it.
 */
import { test, expect } from './kv-fixtures.ts';

test('databaseSize grows by a page per new table and shrinks back when it is dropped', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    const start = sql.databaseSize;
    sql.exec('CREATE TABLE one_more_page (v TEXT)');
    const grown = sql.databaseSize;
    sql.exec('DROP TABLE one_more_page');
    return { pageSize: sql.exec('PRAGMA page_size').one().page_size, multiple: start % 4096, grew: grown - start, back: sql.databaseSize - start };
  }`);
  expect(r).toEqual({ ok: true, value: { pageSize: 4096, multiple: 0, grew: 4096, back: 0 } });
});

test('after deleteAll() the database is as small as an empty one', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT); CREATE INDEX a_v ON a (v)');
    for (let i = 0; i < 200; i++) sql.exec('INSERT INTO a (v) VALUES (?)', 'row ' + i + ' ' + 'x'.repeat(100));
    sql.exec('CREATE VIEW v AS SELECT * FROM a; CREATE VIRTUAL TABLE docs USING fts5(body); ANALYZE');
    sql.exec("INSERT INTO docs VALUES ('some text')");
    await storage.put('k', 'v'.repeat(10000));
    const before = sql.databaseSize;
    await storage.deleteAll();
    const after = sql.databaseSize;
    const objects = sql.exec('SELECT type, name FROM sqlite_master').toArray();
    // AUTOINCREMENT starts again from 1: its counters went with the rest.
    sql.exec('CREATE TABLE fresh (id INTEGER PRIMARY KEY AUTOINCREMENT)');
    sql.exec('INSERT INTO fresh DEFAULT VALUES');
    return { big: before > 100_000, after, objects, id: sql.exec('SELECT id FROM fresh').one().id };
  }`);
  expect(r).toEqual({ ok: true, value: { big: true, after: 4096, objects: [], id: 1 } });
  const size = await probe(`async (storage) => { await storage.deleteAll(); return storage.sql.databaseSize; }`);
  expect(size).toEqual({ ok: true, value: 4096 });
});
