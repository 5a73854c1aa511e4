/**
 * A class declared with `new_classes` is KV-backed (DO-API.md §4.2, §5.5,
 * §12.1): `storage.sql` exists but using it throws, as do `storage.kv` and
 * `transactionSync()`, each with Cloudflare's message. `transaction()` works.
 */
import { test, expect } from './kv-fixtures.ts';

test('sql, kv and transactionSync throw Cloudflare’s errors on a KV-backed object', async ({ probe }) => {
  const r = await probe(
    `async (storage) => {
      const attempt = (fn) => { try { fn(); return 'ok'; } catch (e) { return e.name + ': ' + e.message; } };
      return {
        sqlIsObject: typeof storage.sql === 'object',
        exec: attempt(() => storage.sql.exec('SELECT 1')),
        size: attempt(() => storage.sql.databaseSize),
        kvGet: attempt(() => storage.kv.get('k')),
        kvPut: attempt(() => storage.kv.put('k', 1)),
        kvList: attempt(() => storage.kv.list()),
        sync: attempt(() => storage.transactionSync(() => 1)),
        transaction: await storage.transaction(async (txn) => { await txn.put('k', 1); return 'works'; }),
        stored: await storage.get('k'),
      };
    }`,
    'KV_PROBE',
  );
  const kv =
    "Error: The storage.kv (synchronous KV) API is only available for SQLite-backed Durable Objects, but this object's namespace is not declared to use SQLite. You can use the older, asynchronous interface via methods of `storage` itself (e.g. `storage.get()`). Alternatively, to enable SQLite, change `new_classes` to `new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file.";
  const sql =
    "Error: SQL is not enabled for this Durable Object class. To enable it, change `new_classes` to `new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file. If using workerd directly,set `enableSql = true` in your workerd config for the class. Note that this change cannot be made after the class is already deployed to production.";
  expect(r).toEqual({
    ok: true,
    value: {
      sqlIsObject: true,
      exec: sql,
      size: sql,
      kvGet: kv,
      kvPut: kv,
      kvList: kv,
      sync: 'Error: Durable Object is not backed by SQL.',
      transaction: 'works',
      stored: 1,
    },
  });
});
