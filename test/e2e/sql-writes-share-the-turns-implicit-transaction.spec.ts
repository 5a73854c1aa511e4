/**
 * SQL writes join the turn's implicit transaction with KV writes (DO-API.md
 * §5.5, §6.4): everything written without yielding to the event loop commits
 * as one unit. A commit that fails on a deferred constraint resets the object
 * and rolls back that whole unit, SQL and KV alike, with workerd's message.
 */
import { test, expect } from './kv-fixtures.ts';

const probe = (page: import('@playwright/test').Page, name: string, code: string) =>
  page.evaluate(([n, c]) => window.hearth.settle(window.hearth.probe(n, c)), [name, code] as const);

/**
 * The first call after a reset may meet the instance being torn down and fail
 * with `retryable: true` (a request body cannot be sent twice); a client
 * retries those, as on Cloudflare.
 */
async function probeRetrying(page: import('@playwright/test').Page, name: string, code: string) {
  const first = await probe(page, name, code);
  return !first.ok && first.error?.retryable ? probe(page, name, code) : first;
}

test('a deferred constraint violated at commit resets the object and rolls back the turn’s SQL and KV writes', async ({ app }) => {
  const setup = await probe(
    app,
    'fk',
    `async (storage) => {
      const sql = storage.sql;
      sql.exec('CREATE TABLE users (id INTEGER PRIMARY KEY); CREATE TABLE posts (user_id INTEGER REFERENCES users (id))');
      sql.exec('INSERT INTO users VALUES (1)');
      await storage.put('committed', 'earlier turn');
      return 'ready';
    }`,
  );
  expect(setup).toEqual({ ok: true, value: { ok: true, value: 'ready' } });

  const violating = await probe(
    app,
    'fk',
    `async (storage) => {
      const sql = storage.sql;
      storage.transactionSync(() => {
        sql.exec('PRAGMA defer_foreign_keys = ON');
        sql.exec('INSERT INTO posts VALUES (2)');
      });
      storage.kv.put('same turn', true);
      sql.exec('INSERT INTO users VALUES (3)');
      return 'returned';
    }`,
  );
  expect(violating.ok).toBe(false);
  expect(violating.error).toMatchObject({
    message:
      'Durable Object was reset and rolled back to its last known good state because the application left the database in a state where constraints were violated: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)',
    durableObjectReset: true,
  });

  const after = await probeRetrying(
    app,
    'fk',
    `async (storage) => ({
      users: storage.sql.exec('SELECT id FROM users').toArray(),
      posts: storage.sql.exec('SELECT count(*) AS n FROM posts').one().n,
      kv: [...storage.kv.list()],
    })`,
  );
  expect(after).toEqual({
    ok: true,
    value: { ok: true, value: { users: [{ id: 1 }], posts: 0, kv: [['committed', 'earlier turn']] } },
  });
});

test('a read-only statement opens no transaction, so a pragma that needs none still takes effect', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('SELECT 1');
    sql.exec('PRAGMA foreign_keys = OFF');
    const off = sql.exec('PRAGMA foreign_keys').one().foreign_keys;
    sql.exec('CREATE TABLE t (x)'); // a write: the turn's transaction is now open
    sql.exec('PRAGMA foreign_keys = ON'); // so this one is a no-op, as in SQLite and workerd
    const stillOff = sql.exec('PRAGMA foreign_keys').one().foreign_keys;
    await new Promise((resolve) => setTimeout(resolve, 0));
    sql.exec('PRAGMA foreign_keys = ON');
    return [off, stillOff, sql.exec('PRAGMA foreign_keys').one().foreign_keys];
  }`);
  expect(r).toEqual({ ok: true, value: [0, 0, 1] });
});
