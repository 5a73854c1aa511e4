/**
 * Nested `transaction()` calls (DO-API.md §5.5): each level is a savepoint
 * inside the outer transaction; an inner rollback keeps the outer writes; an
 * outer rollback discards everything, inner commits included; an outer level
 * cannot be rolled back while an inner one runs.
 */
import { test, expect } from './kv-fixtures.ts';

test('an inner transaction commits into the outer one, and the outer rollback undoes both', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    await storage.put('n', 3);
    const seen = [];
    await storage.transaction(async (txn) => {
      await storage.put('n', 6);
      await storage.transaction(async () => {
        await storage.put('n', 7);
        await new Promise((resolve) => setTimeout(resolve, 1));
      });
      seen.push(await storage.get('n'));
      txn.rollback();
    });
    seen.push(await storage.get('n'));
    return seen;
  }`);
  expect(r).toEqual({ ok: true, value: [7, 3] });
});

test('an inner transaction that throws rolls back alone, and the outer one goes on', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (x)');
    const result = await storage.transaction(async () => {
      sql.exec('INSERT INTO t VALUES (1)');
      const inner = await storage.transaction(async () => { sql.exec('INSERT INTO t VALUES (2)'); throw new Error('inner'); }).catch((e) => e.message);
      storage.transactionSync(() => sql.exec('INSERT INTO t VALUES (3)'));
      return inner;
    });
    return { result, rows: sql.exec('SELECT x FROM t ORDER BY x').toArray().map((r) => r.x) };
  }`);
  expect(r).toEqual({ ok: true, value: { result: 'inner', rows: [1, 3] } });
});

test('an outer transaction cannot be rolled back while a nested one is still running', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    let message;
    await storage.transaction(async (outer) => {
      let release;
      const held = new Promise((resolve) => (release = resolve));
      const inner = storage.transaction(async () => { await storage.put('inner', 1); await held; });
      await new Promise((resolve) => setTimeout(resolve, 1));
      try { outer.rollback(); } catch (e) { message = e.message; }
      release();
      await inner;
    });
    return { message, inner: await storage.get('inner') };
  }`);
  expect(r).toEqual({
    ok: true,
    value: { message: 'Cannot roll back an outer transaction while a nested transaction is still running.', inner: 1 },
  });
});

test('an outer closure that returns first waits for the transaction it started inside before committing', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    let inner;
    await storage.transaction(async () => {
      await storage.put('outer', 1);
      inner = storage.transaction(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await storage.put('inner', 2);
      });
    });
    await inner;
    const entries = [...(await storage.list()).entries()];
    // Both levels are finished: nothing is left open (deleteAll() refuses to run inside a transaction).
    const closed = await storage.deleteAll().then(() => 'no transaction open', (e) => e.message);
    return { entries, closed };
  }`);
  expect(r).toEqual({ ok: true, value: { entries: [['inner', 2], ['outer', 1]], closed: 'no transaction open' } });
});
