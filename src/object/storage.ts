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
import type { InputGate } from './input-gate.ts';
import type { ImplicitTransaction } from '../storage/implicit-transaction.ts';
import { checkListOptions, KvStore, toKeyString } from '../storage/kv.ts';
import { internalSqlError, SqlConnection } from '../storage/sql-connection.ts';
import { releaseAllStatements, SqlStorage } from '../storage/sql-storage.ts';
import type { SqliteDb } from '../storage/sqlite-types.ts';
import type { PointInTimeRecovery } from '../storage/point-in-time-recovery.ts';
import { removeAlarmRow } from '../storage/alarm-metadata.ts';
import { DurableObjectSnapshot, makeSnapshot, snapshotContents } from '../storage/database-snapshot.ts';
import { serializeMemory } from '../storage/database-image.ts';
import type { Sqlite3 } from '../storage/sqlite-types.ts';

/** workerd's text, for every point-in-time recovery call on a KV-backed object. */
const NO_PITR = "This Durable Object's storage back-end does not implement point-in-time recovery.";
import { SyncKvStorage } from '../storage/sync-kv.ts';
import { runTransaction, type DurableObjectTransaction, type TransactionTarget } from '../storage/transaction.ts';
import { argumentError, isDictionary, type StorageInterface } from '../storage/webidl-arguments.ts';

/** The object's alarm as the storage API sees it (object/events/alarm.ts). */
export interface AlarmAccess {
  get(): number | null;
  set(time: number | null, confirmed: boolean): void;
  /** Throws when the instance exists and has no `alarm()` handler. */
  assertCanSet(): void;
  /** `deleteAll()` dropped `_cf_METADATA`. */
  wiped(): void;
}

type Options = { allowConcurrency?: boolean; allowUnconfirmed?: boolean; noCache?: boolean };

const PUT_USAGE =
  'put() may only be called with a single key-value pair and optional options as put(key, value, options) or with multiple key-value pairs and optional options as put(entries, options)';

const STORAGE = 'DurableObjectStorage';
const TRANSACTION = 'DurableObjectTransaction';

export class DurableObjectStorage {
  readonly #db: SqliteDb;
  readonly #txn: ImplicitTransaction;
  readonly #inputGate: InputGate;
  readonly #kv: KvStore;
  readonly #sqlite: boolean;
  #sql: SqlStorage | undefined;
  #syncKv: SyncKvStorage | undefined;
  #alarms: AlarmAccess | undefined;
  #deleteAllDeletesAlarm = true;
  #pitr: PointInTimeRecovery | undefined;

  /** `inputGate`: the object's input gate, so `transaction()` can run as a critical section. */
  constructor(db: SqliteDb, txn: ImplicitTransaction, sqlite: boolean, inputGate: InputGate) {
    this.#inputGate = inputGate;
    this.#db = db;
    this.#txn = txn;
    this.#sqlite = sqlite;
    this.#kv = new KvStore(db, txn, { backend: sqlite ? 'sqlite' : 'kv' });
  }

  /**
   * @internal For the runtime: the object's alarm. `deleteAllDeletesAlarm`:
   * compat date ≥ 2026-02-24 (`delete_all_deletes_alarm`).
   */
  attachAlarms(alarms: AlarmAccess, deleteAllDeletesAlarm: boolean): void {
    this.#alarms = alarms;
    this.#deleteAllDeletesAlarm = deleteAllDeletesAlarm;
  }

  /** @internal For the runtime: this SQLite-backed object's history (point-in-time-recovery.ts). */
  attachPointInTimeRecovery(pitr: PointInTimeRecovery): void {
    this.#pitr = pitr;
  }

  /** @internal For the runtime: SQLite itself, which snapshots need (an in-memory copy of the database). */
  attachSqlite(sqlite3: Sqlite3): void {
    this.#sqlite3 = sqlite3;
  }
  #sqlite3: Sqlite3 | undefined;

  /** @internal For the runtime: this session has no history (`reason` says why). */
  pointInTimeRecoveryUnavailable(reason: string): void {
    this.#pitrUnavailable = reason;
  }
  #pitrUnavailable: string | undefined;

  #history(): PointInTimeRecovery {
    this.#usable();
    if (!this.#pitr) throw new Error(this.#pitrUnavailable ?? NO_PITR);
    // "Because the call is async, the bookmark includes writes in the current batch" (DO-API §5.6).
    this.#txn.commit();
    return this.#pitr;
  }

  /** A bookmark for the state now (after the writes made so far). SQLite-backed objects only. */
  async getCurrentBookmark(): Promise<string> {
    return this.#history().current();
  }

  /** A bookmark for the state at `time` (ms since the epoch, or a Date), within the last 30 days. */
  async getBookmarkForTime(time: number | Date): Promise<string> {
    const history = this.#history();
    return history.forTime(time instanceof Date ? time.getTime() : Number(time));
  }

  /**
   * The next session starts from the state at `bookmark` (follow with
   * `ctx.abort()`); returns a bookmark of the state just before, to undo it.
   */
  async onNextSessionRestoreBookmark(bookmark: string): Promise<string> {
    return this.#history().restoreOnNextSession(String(bookmark));
  }

  /**
   * A copy of this object's database — now, or at `options.bookmark` — to
   * pass over RPC to another object, which restores it with
   * `onNextSessionRestore` (DO-API §5.7). The alarm is not in it. It cannot
   * be stored. SQLite-backed objects only.
   */
  async snapshot(options?: { bookmark?: string }): Promise<DurableObjectSnapshot> {
    if (!isDictionary(options)) throw argumentError(STORAGE, 'snapshot', 1, 'DurableObjectSnapshotOptions');
    const bookmark = options?.bookmark;
    const history = this.#history();
    const at = bookmark === undefined ? history.current() : String(bookmark);
    const memory = history.stateAt(at);
    try {
      removeAlarmRow(memory);
      return makeSnapshot({ image: serializeMemory(this.#sqlite3!, memory), bookmark: at });
    } finally {
      memory.close();
    }
  }

  /**
   * The next session starts with `target`'s database: a snapshot (of any
   * object), or a bookmark of this one. Follow with `ctx.abort()`. This
   * object's alarm stays as it is (the snapshot carries none); `kvData`
   * entries are written over the copy. Returns the bookmark that undoes it.
   */
  async onNextSessionRestore(target: DurableObjectSnapshot | string, options?: { kvData?: Record<string, unknown> }): Promise<string> {
    if (arguments.length === 0) throw argumentError(STORAGE, 'onNextSessionRestore', 1, 'DurableObjectSnapshot or string');
    if (!isDictionary(options)) throw argumentError(STORAGE, 'onNextSessionRestore', 2, 'DurableObjectRestoreOptions');
    const contents = snapshotContents(target);
    if (contents === undefined && typeof target !== 'string') {
      throw new TypeError('onNextSessionRestore() expects a DurableObjectSnapshot (from storage.snapshot()) or a bookmark string.');
    }
    const kvData = options?.kvData;
    if (kvData !== undefined && (typeof kvData !== 'object' || kvData === null)) {
      throw argumentError(STORAGE, 'onNextSessionRestore', 2, 'DurableObjectRestoreOptions');
    }
    // Encoded now, with the storage's own checks: a value put() would refuse is refused here.
    const entries = kvData
      ? Object.entries(kvData)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => {
            const key = this.#kv.checkKey(k);
            return [key, this.#kv.encodeValue(key, v)] as [string, Uint8Array];
          })
      : undefined;
    const history = this.#history();
    if (contents === undefined) {
      if (entries?.length) throw new TypeError('kvData can only be given with a snapshot.');
      return history.restoreOnNextSession(target as string);
    }
    return history.restoreImageOnNextSession(contents.image, entries);
  }

  /** @internal For the runtime: release prepared statements before closing the database. */
  close(): void {
    this.#pitr?.close();
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

  // Arguments are converted as workerd's jsg converts them (`webidl-arguments.ts`): in order, before
  // anything else; a missing argument fails where an explicit `undefined` converts like any value.
  // `txn` (transaction.ts) runs the same methods, named 'DurableObjectTransaction' in errors.

  get(...args: [keyOrKeys: string | string[], options?: Options]): Promise<unknown> {
    return this.#get(STORAGE, args);
  }

  put(
    ...args: [key: string, value: unknown, options?: Options] | [entries: Record<string, unknown>, options?: Options]
  ): Promise<void> {
    return this.#put(STORAGE, args);
  }

  delete(...args: [keyOrKeys: string | string[], options?: Options]): Promise<boolean | number> {
    return this.#delete(STORAGE, args);
  }

  list(options?: unknown): Promise<Map<string, unknown>> {
    return this.#list(STORAGE, options);
  }

  async #get(api: StorageInterface, args: unknown[]): Promise<unknown> {
    if (args.length === 0) throw argumentError(api, 'get', 1, 'string or Array');
    const [keyOrKeys, options] = args;
    const keys = Array.isArray(keyOrKeys) ? Array.from(keyOrKeys, toKeyString) : toKeyString(keyOrKeys);
    if (!isDictionary(options)) throw argumentError(api, 'get', 2, 'GetOptions');
    this.#usable();
    if (Array.isArray(keys)) return this.#kv.getMany(this.#kv.checkKeys(keys));
    return this.#kv.getOne(this.#kv.checkKey(keys));
  }

  /**
   * `put(key, value, options?)` or `put(entries, options?)`. The first
   * argument is entries when it is an object or a function and not an array
   * (an array is a key, converted to a string). The third argument is always
   * converted as options, and ignored in the entries form.
   */
  async #put(api: StorageInterface, args: unknown[]): Promise<void> {
    if (args.length === 0) throw argumentError(api, 'put', 1, 'string or object');
    const [first, valueOrOptions, options] = args;
    const isEntries = (typeof first === 'object' && first !== null && !Array.isArray(first)) || typeof first === 'function';
    const key = isEntries ? undefined : toKeyString(first);
    if (!isDictionary(options)) throw argumentError(api, 'put', 3, 'PutOptions');
    this.#usable();
    if (key === undefined) {
      if (!isDictionary(valueOrOptions)) throw new TypeError(PUT_USAGE);
      const entries = Object.entries(first as Record<string, unknown>).filter(([, v]) => v !== undefined);
      const keys = this.#kv.checkKeys(entries.map(([k]) => k));
      // Serialise everything first: one bad value must not leave half the batch written.
      const encoded = entries.map(([, v], i) => [keys[i]!, this.#kv.encodeValue(keys[i]!, v)] as const);
      const confirmed = !(valueOrOptions as { allowUnconfirmed?: unknown } | undefined)?.allowUnconfirmed;
      for (const [k, bytes] of encoded) this.#kv.putOne(k, bytes, confirmed);
      return;
    }
    if (valueOrOptions === undefined) throw new TypeError('put() called with undefined value.');
    const checked = this.#kv.checkKey(key);
    const confirmed = !(options as { allowUnconfirmed?: unknown } | undefined)?.allowUnconfirmed;
    this.#kv.putOne(checked, this.#kv.encodeValue(checked, valueOrOptions), confirmed);
  }

  async #delete(api: StorageInterface, args: unknown[]): Promise<boolean | number> {
    if (args.length === 0) throw argumentError(api, 'delete', 1, 'string or Array');
    const [keyOrKeys, options] = args;
    const keys = Array.isArray(keyOrKeys) ? Array.from(keyOrKeys, toKeyString) : toKeyString(keyOrKeys);
    if (!isDictionary(options)) throw argumentError(api, 'delete', 2, 'PutOptions');
    this.#usable();
    const confirmed = !(options as { allowUnconfirmed?: unknown } | undefined)?.allowUnconfirmed;
    if (Array.isArray(keys)) {
      let count = 0;
      for (const key of this.#kv.checkKeys(keys)) if (this.#kv.deleteOne(key, confirmed)) count++;
      return count;
    }
    return this.#kv.deleteOne(this.#kv.checkKey(keys), confirmed);
  }

  async #list(api: StorageInterface, options: unknown): Promise<Map<string, unknown>> {
    const checked = checkListOptions(options, api);
    this.#usable();
    return this.#kv.list(checked);
  }

  /** What a `txn` forwards to: these methods, with 'DurableObjectTransaction' in their errors. */
  readonly #transactionTarget: TransactionTarget = {
    get: (...args) => this.#get(TRANSACTION, args),
    put: (...args) => this.#put(TRANSACTION, args),
    delete: (...args) => this.#delete(TRANSACTION, args),
    list: (options) => this.#list(TRANSACTION, options),
    getAlarm: (options) => this.#getAlarm(TRANSACTION, options),
    setAlarm: (...args) => this.#setAlarm(TRANSACTION, args),
    deleteAlarm: (options) => this.#deleteAlarm(TRANSACTION, options),
  };

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
    if (!isDictionary(options)) throw argumentError(STORAGE, 'deleteAll', 1, 'PutOptions');
    this.#usable();
    if (this.#txn.inTransaction) throw new Error('Cannot call deleteAll() within a transaction');
    this.#txn.monitor?.write('deleteAll');
    // Before the wipe: the alarm survives it only on an old compatibility date.
    const keptAlarm = this.#deleteAllDeletesAlarm ? null : (this.#alarms?.get() ?? null);
    this.#txn.commit();
    if (this.#sql) releaseAllStatements(this.#sql);
    this.#kv.finalizeStatements();
    const conn = SqlConnection.of(this.#db);
    // Trusted: it drops `_cf_` tables. Defensive mode off: it would refuse to drop an FTS5 shadow table.
    const run = <T>(fn: () => T): T => (conn ? conn.trusted(() => conn.withoutDefensive(fn)) : fn());
    const db = this.#db;
    const wipe = () => run(() => {
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
    if (this.#pitr) this.#pitr.outsideHistory(wipe);
    else wipe();
    this.#txn.schemaGeneration++;
    this.#kv.resetAfterWipe();
    this.#alarms?.wiped();
    if (keptAlarm !== null) this.#alarms?.set(keptAlarm, true);
  }

  /** Resolves once every write issued so far is durable (an open explicit transaction is not waited for). */
  sync(): Promise<void> {
    return this.#txn.whenCommitted();
  }

  async transaction<T>(closure: (txn: DurableObjectTransaction) => Promise<T>): Promise<T> {
    if (typeof closure !== 'function') throw argumentError(STORAGE, 'transaction', 1, 'function');
    this.#usable();
    // Inside the object's critical section: `blockConcurrencyWhile` of this worker's input gate.
    return runTransaction(this.#txn, this.#transactionTarget, this.#inputGate, closure);
  }

  /**
   * Runs `closure` in `SAVEPOINT _cf_sync_savepoint_<depth>`: releases it when
   * the closure returns, rolls back to it (and rethrows) when it throws.
   * Nests. An async closure is not refused, but only its synchronous part is
   * inside the savepoint (as in workerd).
   */
  transactionSync<T>(closure: () => T): T {
    if (typeof closure !== 'function') throw argumentError(STORAGE, 'transactionSync', 1, 'function');
    this.#usable();
    if (!this.#sqlite) throw new Error('Durable Object is not backed by SQL.');
    return this.#txn.runSync(closure);
  }

  getAlarm(options?: { allowConcurrency?: boolean }): Promise<number | null> {
    return this.#getAlarm(STORAGE, options);
  }

  setAlarm(...args: [scheduledTime: number | Date, options?: { allowConcurrency?: boolean; allowUnconfirmed?: boolean }]): Promise<void> {
    return this.#setAlarm(STORAGE, args);
  }

  deleteAlarm(options?: { allowConcurrency?: boolean; allowUnconfirmed?: boolean }): Promise<void> {
    return this.#deleteAlarm(STORAGE, options);
  }

  async #getAlarm(api: StorageInterface, options: unknown): Promise<number | null> {
    if (!isDictionary(options)) throw argumentError(api, 'getAlarm', 1, 'GetAlarmOptions');
    this.#usable();
    this.#txn.monitor?.read('getAlarm');
    return this.#alarms?.get() ?? null;
  }

  /**
   * A number (ms) or a Date; `<= 0` is refused; a time in the past becomes
   * now (workerd: it keeps alarm times unique and due ones first in line).
   */
  async #setAlarm(api: StorageInterface, args: unknown[]): Promise<void> {
    if (args.length === 0) throw argumentError(api, 'setAlarm', 1, 'date');
    const [when, options] = args;
    const time = when instanceof Date ? when.getTime() : Number(when);
    if (typeof when !== 'number' && !(when instanceof Date)) throw argumentError(api, 'setAlarm', 1, 'date');
    if (!Number.isFinite(time)) throw new TypeError('The value cannot be converted because it is not a valid Date.');
    if (!isDictionary(options)) throw argumentError(api, 'setAlarm', 2, 'SetAlarmOptions');
    if (!(time > 0)) throw new TypeError('setAlarm() cannot be called with an alarm time <= 0');
    this.#usable();
    const alarms = this.#requireAlarms();
    alarms.assertCanSet();
    const confirmed = !(options as { allowUnconfirmed?: unknown } | undefined)?.allowUnconfirmed;
    this.#txn.monitor?.write('setAlarm');
    alarms.set(Math.max(Math.floor(time), Date.now()), confirmed);
  }

  async #deleteAlarm(api: StorageInterface, options: unknown): Promise<void> {
    if (!isDictionary(options)) throw argumentError(api, 'deleteAlarm', 1, 'SetAlarmOptions');
    this.#usable();
    const confirmed = !(options as { allowUnconfirmed?: unknown } | undefined)?.allowUnconfirmed;
    this.#txn.monitor?.write('deleteAlarm');
    this.#requireAlarms().set(null, confirmed);
  }

  #requireAlarms(): AlarmAccess {
    if (!this.#alarms) throw new Error('Alarms are not available on this storage.');
    return this.#alarms;
  }

  #usable(): void {
    if (this.#txn.broken) throw this.#txn.broken;
  }
}
