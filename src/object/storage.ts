/**
 * `ctx.storage`: the public `DurableObjectStorage` façade over one object's
 * SQLite database. Argument checking and Cloudflare's error texts live here;
 * the SQL behind the KV API lives in `storage/kv.ts`.
 */
import type { ImplicitTransaction } from '../storage/implicit-transaction.ts';
import { checkListOptions, KvStore } from '../storage/kv.ts';
import type { SqliteDb } from '../storage/sqlite-open.ts';

type Options = { allowConcurrency?: boolean; allowUnconfirmed?: boolean; noCache?: boolean };

const PUT_USAGE =
  'put() may only be called with a single key-value pair and optional options as put(key, value, options) or with multiple key-value pairs and optional options as put(entries, options)';

function isOptions(value: unknown): value is Options | undefined {
  return value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

export class DurableObjectStorage {
  readonly #db: SqliteDb;
  readonly #txn: ImplicitTransaction;
  readonly #kv: KvStore;
  readonly #sqlite: boolean;

  constructor(db: SqliteDb, txn: ImplicitTransaction, sqlite: boolean) {
    this.#db = db;
    this.#txn = txn;
    this.#sqlite = sqlite;
    this.#kv = new KvStore(db, txn, { backend: sqlite ? 'sqlite' : 'kv' });
  }

  /** @internal For the runtime: release prepared statements before closing the database. */
  close(): void {
    this.#kv.finalizeStatements();
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
   * resets the file). KV-backed: every key. Writes made earlier in this turn are
   * committed first: they are being deleted anyway, and VACUUM cannot run inside
   * a transaction.
   */
  async deleteAll(options?: Options): Promise<void> {
    this.#usable();
    if (!isOptions(options)) throw new TypeError('deleteAll() options must be an object.');
    if (this.#txn.savepointDepth > 0) throw new Error('Cannot call deleteAll() within a transaction');
    this.#txn.commit();
    this.#kv.finalizeStatements();
    const db = this.#db;
    const objects = db.selectArrays(
      "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'view', 'trigger')",
    ) as [string, string][];
    db.exec('PRAGMA foreign_keys=OFF');
    try {
      db.exec('BEGIN');
      for (const [type, name] of objects) {
        db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name.replaceAll('"', '""')}"`);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    } finally {
      db.exec('PRAGMA foreign_keys=ON');
    }
    db.exec('VACUUM');
    this.#kv.resetAfterWipe();
  }

  /** Resolves once every write issued so far is durable. */
  sync(): Promise<void> {
    return this.#txn.whenDurable();
  }

  transactionSync<T>(closure: () => T): T {
    this.#usable();
    if (!this.#sqlite) throw new Error('Durable Object is not backed by SQL.');
    if (typeof closure !== 'function') throw new TypeError("transactionSync(): parameter 1 is not of type 'Function'.");
    this.#txn.beginWrite();
    const depth = ++this.#txn.savepointDepth;
    const name = `_cf_sync_savepoint_${depth - 1}`;
    this.#db.exec(`SAVEPOINT ${name}`);
    try {
      const result = closure();
      this.#db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.#db.exec(`ROLLBACK TO ${name}`);
      this.#db.exec(`RELEASE ${name}`);
      throw error;
    } finally {
      this.#txn.savepointDepth--;
    }
  }

  async getAlarm(): Promise<number | null> {
    return null;
  }

  #usable(): void {
    if (this.#txn.broken) throw this.#txn.broken;
  }
}
