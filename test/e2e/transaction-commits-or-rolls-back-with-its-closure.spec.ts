/**
 * `storage.transaction(closure)` (DO-API.md §4.1, §5.5): returning commits,
 * throwing rolls back and rethrows without resetting the object,
 * `txn.rollback()` rolls back. On a SQLite-backed object every storage call
 * made while the closure runs belongs to the transaction, across awaits.
 */
import { test, expect, BACKENDS } from './kv-fixtures.ts';

for (const backend of BACKENDS) {
  test(`returning commits and resolves to the closure's value (${backend})`, async ({ probe }) => {
    const r = await probe(
      `async (storage) => {
        const value = await storage.transaction(async (txn) => {
          await txn.put('a', 1);
          await storage.put('b', 2);
          return { from: 'closure', a: await txn.get('a') };
        });
        return { value, entries: [...(await storage.list()).entries()] };
      }`,
      backend,
    );
    expect(r).toEqual({ ok: true, value: { value: { from: 'closure', a: 1 }, entries: [['a', 1], ['b', 2]] } });
  });

  test(`throwing rolls back and rethrows the same error, and the object lives on (${backend})`, async ({ probe }) => {
    const first = await probe(
      `async (storage, ctx, self) => {
        self.mark = 'same instance';
        await storage.put('kept', 0);
        const thrown = new TypeError('txn failure');
        let caught;
        try {
          await storage.transaction(async (txn) => {
            await txn.put('kept', 5);
            await txn.put('gone', true);
            throw thrown;
          });
        } catch (e) { caught = e; }
        return { same: caught === thrown, entries: [...(await storage.list()).entries()] };
      }`,
      backend,
    );
    expect(first).toEqual({ ok: true, value: { same: true, entries: [['kept', 0]] } });
    // No reset: the next call reaches the same instance.
    expect(await probe(`async (storage, ctx, self) => self.mark`, backend)).toEqual({ ok: true, value: 'same instance' });
  });
}

test('txn.rollback() discards the writes made so far, by txn or by storage and SQL directly', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x)');
    await storage.put('k', 'before');
    const value = await storage.transaction(async (txn) => {
      await txn.put('k', 'inside');
      storage.kv.put('sync', 1);
      sql.exec('INSERT INTO t VALUES (1)');
      txn.rollback();
      return 'rolled back';
    });
    return { value, k: await storage.get('k'), sync: storage.kv.get('sync') ?? 'missing', rows: sql.exec('SELECT * FROM t').toArray() };
  }`);
  expect(r).toEqual({ ok: true, value: { value: 'rolled back', k: 'before', sync: 'missing', rows: [] } });
});

test('the transaction spans awaits: the end of a turn never commits part of it', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x)');
    try {
      await storage.transaction(async () => {
        sql.exec('INSERT INTO t VALUES (1)');
        await new Promise((resolve) => setTimeout(resolve, 20));
        sql.exec('INSERT INTO t VALUES (2)');
        await new Promise((resolve) => setTimeout(resolve, 0));
        throw new Error('after two turns');
      });
    } catch {}
    return sql.exec('SELECT count(*) AS n FROM t').one().n;
  }`);
  expect(r).toEqual({ ok: true, value: 0 });
});

test('writes made before transaction() in the same turn are committed, not rolled back with it', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    storage.kv.put('before', 1);
    try { await storage.transaction(async () => { storage.kv.put('inside', 2); throw new Error('no'); }); } catch {}
    return [storage.kv.get('before'), storage.kv.get('inside') ?? 'missing'];
  }`);
  expect(r).toEqual({ ok: true, value: [1, 'missing'] });
});

test('a committed transaction survives the next request, and a rolled-back one leaves nothing', async ({ probe }) => {
  expect(
    await probe(`async (storage) => {
      const sql = storage.sql;
      sql.exec('CREATE TABLE t (x)');
      await storage.transaction(async () => { sql.exec('INSERT INTO t VALUES (1)'); });
      try { await storage.transaction(async () => { sql.exec('INSERT INTO t VALUES (2)'); throw new Error('no'); }); } catch {}
      return 'done';
    }`),
  ).toEqual({ ok: true, value: 'done' });
  expect(await probe(`async (storage) => storage.sql.exec('SELECT x FROM t').toArray()`)).toEqual({ ok: true, value: [{ x: 1 }] });
});

test('storage.sync() inside a transaction does not wait for the transaction itself', async ({ probe }) => {
  const r = await probe(`async (storage) => storage.transaction(async (txn) => { await txn.put('a', 1); await storage.sync(); return 'synced'; })`);
  expect(r).toEqual({ ok: true, value: 'synced' });
});
