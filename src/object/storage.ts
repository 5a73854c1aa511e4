/**
 * `ctx.storage`: the public `DurableObjectStorage` façade over one object's
 * SQLite database. Argument checking and Cloudflare's error texts live here;
 * the SQL behind each API lives in `storage/`: `kv.ts` (async KV),
 * `sync-kv.ts` (`kv`), `sql-storage.ts` (`sql`), `transaction.ts`
 * (`transaction()`) and `implicit-transaction.ts` (write coalescing,
 * savepoints, the output gate).
 *
 * Backends: a class declared with `new_sqlite_classes` is SQLite-backed; one
 * declared with `new_classes` is KV-backed and gets production's KV limits,
 * and `sql`, `kv` and `transactionSync` throw Cloudflare's errors.
 */
import type { EventQueue } from './event-queue.ts';
import type { ImplicitTransaction } from '../storage/implicit-transaction.ts';
import { checkListOptions, KvStore } from '../storage/kv.ts';
import { internalSqlError, SqlConnection } from '../storage/sql-connection.ts';
import { releaseAllStatements, SqlStorage } from '../storage/sql-storage.ts';
import type { SqliteDb } from '../storage/sqlite-open.ts';
import { SyncKvStorage } from '../storage/sync-kv.ts';
import { runTransaction, type DurableObjectTransaction } from '../storage/transaction.ts';

type Options = { allowConcurrency?: boolean; allowUnconfirmed?: boolean; noCache?: boolean };

const PUT_USAGE =
  'put() may only be called with a single key-value pair and optional options as put(key, value, options) or with multiple key-value pairs and optional options as put(entries, options)';

function isOptions(value: unknown): value is Options | undefined {
  return value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

export class DurableObjectStorage {
  readonly #db: SqliteDb;
  readonly #txn: ImplicitTransaction;
  readonly #queue: EventQueue;
  readonly #kv: KvStore;
  readonly #sqlite: boolean;
  #sql: SqlStorage | undefined;
  #syncKv: SyncKvStorage | undefined;

  /** `queue`: the object's event queue, so `transaction()` can run as a critical section. */
  constructor(db: SqliteDb, txn: ImplicitTransaction, sqlite: boolean, queue: EventQueue) {
    this.#queue = queue;
    this.#db = db;
    this.#txn = txn;
    this.#sqlite = sqlite;
    this.#kv = new KvStore(db, txn, { backend: sqlite ? 'sqlite' : 'kv' });
  }

  /** @internal For the runtime: release prepared statements before closing the database. */
  close(): void {
    if (this.#sql) releaseAllStatements(this.#sql);
    this.#kv.finalizeStatements();
  }

  /**
   * `SqlStorage`. On a KV-backed object it exists, but using it throws.
   * Like workerd's lazy instance property, it becomes an own, writable
   * property on first access.
   */
  get sql(): SqlStorage {
    const sql = (this.#sql ??= new SqlStorage(this.#db, this.#txn, this.#sqlite));
    Object.defineProperty(this, 'sql', { value: sql, writable: true, enumerable: true, configurable: true });
    return sql;
  }

  /** The synchronous KV API, over the same data as the async one. */
  get kv(): SyncKvStorage {
    const kv = (this.#syncKv ??= new SyncKvStorage(this.#kv, this.#txn, this.#sqlite));
    Object.defineProperty(this, 'kv', { value: kv, writable: true, enumerable: true, configurable: true });
    return kv;
  }

  async get(keyOrKeys: string | string[], options?: Options): Promise<unknown> {
    this.#usable();
    if (!isOptions(options)) throw new TypeError('get() options must be an object.');
    if (Array.isArray(keyOrKeys)) return this.#kv.getMany(this.#kv.checkKeys(keyOrKeys));
    if (keyOrKeys === undefined) throw new TypeError("get(): parameter 1 is not of type 'variant'. (key is undefined)");
    return this.#kv.getOne(this.#kv.checkKey(keyOrKeys));
  }

  async put(keyOrEntries: string | Record<string, unknown>, valueOrOptions?: unknown, options?: Options): Promise<void> {
    this.#usable();
    if (typeof keyOrEntries === 'object' && keyOrEntries !== null) {
      if (!isOptions(valueOrOptions) || options !== undefined) throw new TypeError(PUT_USAGE);
      const entries = Object.entries(keyOrEntries).filter(([, v]) => v !== undefined);
      const keys = this.#kv.checkKeys(entries.map(([k]) => k));
      // Serialise everything first: one bad value must not leave half the batch written.
      const encoded = entries.map(([, v], i) => [keys[i]!, this.#kv.encodeValue(keys[i]!, v)] as const);
      for (const [k, bytes] of encoded) this.#kv.putOne(k, bytes);
      return;
    }
    if (keyOrEntries === undefined) throw new TypeError("put(): parameter 1 is not of type 'variant'. (key is undefined)");
    if (!isOptions(options)) throw new TypeError(PUT_USAGE);
    if (valueOrOptions === undefined) throw new TypeError('put() called with undefined value.');
    const key = this.#kv.checkKey(keyOrEntries);
    this.#kv.putOne(key, this.#kv.encodeValue(key, valueOrOptions));
  }

  async delete(keyOrKeys: string | string[], options?: Options): Promise<boolean | number> {
    this.#usable();
    if (!isOptions(options)) throw new TypeError('delete() options must be an object.');
    if (Array.isArray(keyOrKeys)) {
      let count = 0;
      for (const key of this.#kv.checkKeys(keyOrKeys)) if (this.#kv.deleteOne(key)) count++;
      return count;
    }
    if (keyOrKeys === undefined) throw new TypeError("delete(): parameter 1 is not of type 'variant'. (key is undefined)");
    return this.#kv.deleteOne(this.#kv.checkKey(keyOrKeys));
  }

  async list(options?: unknown): Promise<Map<string, unknown>> {
    this.#usable();
    return this.#kv.list(checkListOptions(options));
  }

  /**
   * SQLite-backed: wipes the whole database, SQL tables included (workerd
   * deletes the file; here every object goes and the file is vacuumed, so
   * `databaseSize` is that of an empty database). KV-backed: every key.
   *
   * Order: writes made earlier in this turn are committed first (they are
   * being deleted anyway, and VACUUM cannot run inside a transaction); live
   * SQL cursors and the KV list iterator end, since their open statements
   * would keep tables locked; then everything is dropped in one transaction.
   */
  async deleteAll(options?: Options): Promise<void> {
    this.#usable();
    if (!isOptions(options)) throw new TypeError('deleteAll() options must be an object.');
    if (this.#txn.inTransaction) throw new Error('Cannot call deleteAll() within a transaction');
    this.#txn.commit();
    if (this.#sql) releaseAllStatements(this.#sql);
    this.#kv.finalizeStatements();
    const conn = SqlConnection.of(this.#db);
    // Trusted: it drops `_cf_` tables. Defensive mode off: it would refuse to drop an FTS5 shadow table.
    const run = <T>(fn: () => T): T => (conn ? conn.trusted(() => conn.withoutDefensive(fn)) : fn());
    const db = this.#db;
    run(() => {
      const objects = db.selectArrays(
        // Every table, view and trigger but SQLite's own (which cannot be dropped), except its statistics.
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') AND (lower(substr(name, 1, 7)) <> 'sqlite_' OR lower(name) GLOB 'sqlite_stat*')",
      ) as [string, string][];
      db.exec('PRAGMA foreign_keys=OFF');
      try {
        db.exec('BEGIN');
        try {
          for (const [type, name] of objects) {
            db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name.replaceAll('"', '""')}"`);
          }
          db.exec('COMMIT');
        } catch (error) {
          db.exec('ROLLBACK');
          throw internalSqlError(db, error);
        }
        // VACUUM rebuilds the file without the free pages (and without sqlite_sequence, which cannot be
        // dropped, once no AUTOINCREMENT table is left). It attaches a temporary database, which the
        // production limits (0 attached) forbid.
        if (conn) conn.withLimit('ATTACHED', 1, () => db.exec('VACUUM'));
        else db.exec('VACUUM');
      } finally {
        // A new database starts with SQLite's defaults (foreign keys on, as workerd builds SQLite).
        db.exec(
          'PRAGMA foreign_keys=ON; PRAGMA defer_foreign_keys=OFF; PRAGMA case_sensitive_like=OFF; PRAGMA ignore_check_constraints=OFF; PRAGMA legacy_alter_table=OFF; PRAGMA recursive_triggers=OFF; PRAGMA reverse_unordered_selects=OFF',
        );
      }
    });
    this.#txn.schemaGeneration++;
    this.#kv.resetAfterWipe();
  }

  /** Resolves once every write issued so far is durable (an open explicit transaction is not waited for). */
  sync(): Promise<void> {
    return this.#txn.whenDurable();
  }

  async transaction<T>(closure: (txn: DurableObjectTransaction) => Promise<T>): Promise<T> {
    this.#usable();
    // Inside the object's critical section: `blockConcurrencyWhile` of this worker's event queue.
    return runTransaction(this.#txn, this, this.#queue, closure);
  }

  /**
   * Runs `closure` in `SAVEPOINT _cf_sync_savepoint_<depth>`: releases it when
   * the closure returns, rolls back to it (and rethrows) when it throws.
   * Nests. An async closure is not refused, but only its synchronous part is
   * inside the savepoint (as in workerd).
   */
  transactionSync<T>(closure: () => T): T {
    this.#usable();
    if (!this.#sqlite) throw new Error('Durable Object is not backed by SQL.');
    if (typeof closure !== 'function') throw new TypeError("transactionSync(): parameter 1 is not of type 'Function'.");
    return this.#txn.runSync(closure);
  }

  async getAlarm(): Promise<number | null> {
    return null;
  }

  #usable(): void {
    if (this.#txn.broken) throw this.#txn.broken;
  }
}
