/**
 * `storage.deleteAll()`: every key goes, on both backends; on a SQLite-backed
 * object the whole database goes, SQL tables included (DO-API.md §4.1); and the
 * object keeps working afterwards.
 */
import { test, expect, BACKENDS } from './kv-fixtures.ts';

for (const backend of BACKENDS) {
  test(`deleteAll() removes every key, including ones written earlier in the same request (${backend})`, async ({ probe }) => {
    expect(await probe(`async (storage) => { await storage.put({ a: 1, b: 2 }); return 'written'; }`, backend)).toEqual({
      ok: true,
      value: 'written',
    });
    const wiped = await probe(
      `async (storage) => {
        await storage.put('c', 3);
        await storage.deleteAll();
        return { size: (await storage.list()).size, a: (await storage.get('a')) ?? 'missing', c: (await storage.get('c')) ?? 'missing' };
      }`,
      backend,
    );
    expect(wiped).toEqual({ ok: true, value: { size: 0, a: 'missing', c: 'missing' } });
    // And the next request sees the same: the wipe was committed.
    expect(await probe(`async (storage) => (await storage.list()).size`, backend)).toEqual({ ok: true, value: 0 });
  });

  test(`the object keeps reading and writing after deleteAll() (${backend})`, async ({ probe }) => {
    const same = await probe(
      `async (storage) => {
        await storage.put('a', 1);
        await storage.deleteAll();
        await storage.put('b', { after: true });
        await storage.deleteAll();
        await storage.put('c', 3);
        return { c: await storage.get('c'), keys: [...(await storage.list()).keys()] };
      }`,
      backend,
    );
    expect(same).toEqual({ ok: true, value: { c: 3, keys: ['c'] } });
    const next = await probe(
      `async (storage) => {
        await storage.put('d', 4);
        return { deleted: await storage.delete('c'), entries: [...(await storage.list()).entries()] };
      }`,
      backend,
    );
    expect(next).toEqual({ ok: true, value: { deleted: true, entries: [['d', 4]] } });
  });
}

test('deleteAll() on an object with nothing stored succeeds', async ({ probe }) => {
  const r = await probe(`async (storage) => { await storage.deleteAll(); await storage.deleteAll(); return (await storage.list()).size; }`);
  expect(r).toEqual({ ok: true, value: 0 });
});

test('deleteAll() on a SQLite-backed object drops its SQL tables too', async ({ probe }) => {
  const hasSql = await probe(`async (storage) => typeof storage.sql === 'object' && storage.sql !== null`);
  test.skip(hasSql.value !== true, 'ctx.storage.sql is not implemented yet');

  const r = await probe(`async (storage) => {
    storage.sql.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    storage.sql.exec("INSERT INTO notes (body) VALUES ('hello')");
    storage.sql.exec('CREATE INDEX notes_body ON notes (body)');
    await storage.put('k', 1);
    await storage.deleteAll();
    let query;
    try { storage.sql.exec('SELECT * FROM notes').toArray(); query = 'table still there'; }
    catch (e) { query = e.message; }
    const schema = storage.sql.exec("SELECT name FROM sqlite_master WHERE name NOT LIKE '_cf_%'").toArray();
    storage.sql.exec('CREATE TABLE notes (x)');
    await storage.put('again', 2);
    return { query, schema, kv: [...(await storage.list()).keys()] };
  }`);
  expect(r).toEqual({ ok: true, value: { query: expect.stringContaining('no such table: notes'), schema: [], kv: ['again'] } });
});
