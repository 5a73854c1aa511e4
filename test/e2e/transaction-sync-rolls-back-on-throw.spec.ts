/**
 * `storage.transactionSync(fn)` (DO-API.md §5.5): `fn` runs inside a
 * savepoint, released when it returns and rolled back when it throws (the
 * error is rethrown). Savepoints nest. SQL and KV writes both take part.
 */
import { test, expect } from './kv-fixtures.ts';

test('returning keeps the writes and passes the value through', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x)');
    const value = storage.transactionSync(() => {
      sql.exec('INSERT INTO t VALUES (1)');
      storage.kv.put('k', 'kept');
      return { some: 'data' };
    });
    return { value, rows: sql.exec('SELECT x FROM t').toArray(), kv: await storage.get('k') };
  }`);
  expect(r).toEqual({ ok: true, value: { value: { some: 'data' }, rows: [{ x: 1 }], kv: 'kept' } });
});

test('throwing rolls back SQL and KV writes, schema changes included, and rethrows the same error', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x)');
    sql.exec('INSERT INTO t VALUES (0)');
    const thrown = new RangeError('boom');
    let caught;
    try {
      storage.transactionSync(() => {
        sql.exec('INSERT INTO t VALUES (1)');
        sql.exec('CREATE TABLE should_be_rolled_back (v)');
        storage.put('k', 'gone');
        throw thrown;
      });
    } catch (e) { caught = e; }
    let sqlError;
    try { storage.transactionSync(() => { sql.exec('INSERT INTO t VALUES (2)'); sql.exec('SELECT * FROM misspelled'); }); }
    catch (e) { sqlError = e.message; }
    return {
      same: caught === thrown,
      rows: sql.exec('SELECT x FROM t').toArray(),
      table: sql.exec("SELECT count(*) AS n FROM sqlite_master WHERE name = 'should_be_rolled_back'").one().n,
      kv: (await storage.get('k')) ?? 'missing',
      sqlError,
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: { same: true, rows: [{ x: 0 }], table: 0, kv: 'missing', sqlError: 'no such table: misspelled: SQLITE_ERROR' },
  });
});

test('nested calls are savepoints: an inner rollback keeps the outer writes', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (i INTEGER)');
    sql.exec('INSERT INTO t VALUES (1)');
    const get = () => sql.exec('SELECT i FROM t').one().i;
    const seen = [];
    storage.transactionSync(() => {
      sql.exec('UPDATE t SET i = 2');
      try {
        storage.transactionSync(() => {
          sql.exec('UPDATE t SET i = 3');
          seen.push(get());
          throw new Error('inner');
        });
      } catch (e) { seen.push(e.message); }
      seen.push(get());
      storage.transactionSync(() => storage.transactionSync(() => sql.exec('UPDATE t SET i = i * 10')));
    });
    seen.push(get());
    return seen;
  }`);
  expect(r).toEqual({ ok: true, value: [3, 'inner', 2, 20] });
});

test('a KV table created inside a rolled-back transaction is created again by the next write', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    try { storage.transactionSync(() => { storage.kv.put('foo', 123); throw new Error('bar'); }); } catch {}
    const before = storage.kv.get('foo') ?? 'missing';
    await storage.put('foo', 456);
    return [before, await storage.get('foo'), storage.kv.get('foo')];
  }`);
  expect(r).toEqual({ ok: true, value: ['missing', 456, 456] });
});

test('deleteAll() cannot run inside transactionSync()', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    await storage.put('k', 1);
    let message;
    storage.transactionSync(() => { storage.deleteAll().catch((e) => { message = e.message; }); });
    await Promise.resolve();
    return { message, k: await storage.get('k') };
  }`);
  expect(r).toEqual({ ok: true, value: { message: 'Cannot call deleteAll() within a transaction', k: 1 } });
});

test('an async closure is not refused, but only its synchronous part is inside the savepoint', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x)');
    const result = storage.transactionSync(async () => {
      sql.exec('INSERT INTO t VALUES (1)');
      await null;
      sql.exec('INSERT INTO t VALUES (2)');
      throw new Error('late');
    });
    const isPromise = result instanceof Promise;
    const late = await result.then(() => 'resolved', (e) => e.message);
    return { isPromise, late, rows: sql.exec('SELECT x FROM t').toArray().length };
  }`);
  expect(r).toEqual({ ok: true, value: { isPromise: true, late: 'late', rows: 2 } });
});
