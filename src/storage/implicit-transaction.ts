/**
 * The object's SQLite transaction state: write coalescing, explicit
 * transactions, and the output gate's source of truth.
 *
 * Invariants:
 *  1. At most one SQLite transaction is open, and it is one of:
 *     - **implicit**: the first write of a JS turn (KV put/delete, SQL that is
 *       not read-only, `transactionSync`) runs `BEGIN`; it commits in a
 *       macrotask after the turn, so every write made without yielding to the
 *       event loop is one atomic unit (workerd's `ActorSqlite` does the same
 *       with `kj::yield()`). Events that arrive before that task runs join the
 *       same transaction: group commit, still correct, because nobody outside
 *       has seen any of those writes yet.
 *     - **explicit**: `storage.transaction()` opens `SAVEPOINT _cf_savepoint_0`
 *       (outside any transaction, a savepoint begins one) and it lasts until
 *       that closure settles, across awaits. Nested `transaction()` calls are
 *       `_cf_savepoint_1`, `_2`, … inside it.
 *  2. Opening an explicit transaction first commits an open implicit one, as
 *     workerd does: atomicity is only promised over synchronous code, and
 *     `transaction()` is async.
 *  3. While an explicit transaction is open, `beginWrite()` opens nothing:
 *     every write, from whatever code, belongs to the explicit transaction
 *     (on SQLite-backed objects `txn` is not needed to be part of it). The
 *     scheduled implicit commit finds nothing to commit, so the end of a turn
 *     can never cut an explicit transaction in two.
 *  4. Explicit levels form a stack: only the innermost may finish. An outer
 *     level whose closure ends while an inner one still runs waits for it
 *     (`whenInnermost`); an explicit `rollback()` of it throws instead.
 *  5. `transactionSync()` savepoints (`_cf_sync_savepoint_<depth>`) nest
 *     inside whichever transaction is open; `beginWrite()` runs first, so a
 *     sync savepoint never begins a transaction of its own.
 *  6. `whenDurable()` resolves once every committed-or-committing write is
 *     durable: it waits for the implicit transaction's commit. An open
 *     explicit transaction does not hold it, as in workerd, where an explicit
 *     transaction locks the output gate only when it commits. Its commit is a
 *     synchronous RELEASE, durable as soon as it returns, so the event that ran
 *     `transaction()` replies after its writes are durable; and a closure that
 *     awaits `fetch()` or another object (both wait on this gate) does not wait
 *     for itself. (Caveat: Hearth's input gate holds back new events during the
 *     transaction, but not the continuations of events already running, as
 *     workerd's does; such an event could reply while the transaction it wrote
 *     into is still open.) The output gate (`object/output-gate.ts`) holds
 *     every reply and every other output on it.
 *  7. A failed commit rolls back, breaks the object (`onBroken`) and rejects
 *     the waiters: held replies are never sent, and every later storage call
 *     throws the same error.
 *
 * Every statement here is Hearth's own and runs trusted (`sql-connection.ts`).
 */
import { macrotask } from '../macrotask.ts';
import { internalSqlError, runStatement, trusted } from './sql-connection.ts';
import { sqliteCodeOf } from './sql-errors.ts';
import { takeQuotaFault } from './storage-faults.ts';
import type { SqliteDb, SqliteStatement } from './sqlite-types.ts';

const SQLITE_CONSTRAINT = 19;

/** One level of `storage.transaction()`. */
export interface ExplicitLevel {
  readonly depth: number;
  /** Released or rolled back. */
  finished: boolean;
  /** Resolves when the level finishes. */
  readonly done: Promise<void>;
}

interface LevelState extends ExplicitLevel {
  settle(): void;
}

/**
 * Told of each storage operation while installed (`watch`): the gate
 * observer's view of storage. Storage reports only its own operations and
 * knows nothing of events; with no monitor installed each report is one
 * `undefined` check.
 */
export interface StorageMonitor {
  /** A read through an API (`op`: `get`, `list`, `kv.get`, `sql.exec`, …). */
  read(op: string): void;
  /** A write through an API (`put`, `delete`, `sql.exec`, …). */
  write(op: string): void;
  commitStarted(): void;
  /** `error`: the commit failed (the object is being reset). */
  commitFinished(error?: Error): void;
}

export class ImplicitTransaction {
  readonly #db: SqliteDb;
  readonly #onBroken: (error: Error) => void;
  #open = false;
  /** The open implicit transaction holds a write made without `allowUnconfirmed`. */
  #confirmed = false;
  #broken: Error | undefined;
  #waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  readonly #explicit: LevelState[] = [];
  #begin: SqliteStatement | undefined;
  #commit: SqliteStatement | undefined;
  /** Nesting depth of `transactionSync()` savepoints. */
  syncDepth = 0;
  /**
   * Bumped whenever the schema may have changed behind a cache's back: every
   * rollback (it can undo the creation of `_cf_KV`) and `deleteAll()`.
   * Caches of the schema compare it.
   */
  schemaGeneration = 0;
  /** Installed by `watch` while someone observes this object; read by every storage API. */
  monitor: StorageMonitor | undefined;
  /**
   * Point-in-time recovery's hooks (point-in-time-recovery.ts): `beforeWrite`
   * before every write (nothing may change the database before it returns);
   * `onCommit` inside the committing transaction, just before COMMIT (a throw
   * fails the commit); `afterCommit` after a successful one.
   */
  beforeWrite: (() => void) | undefined;
  onCommit: (() => void) | undefined;
  afterCommit: (() => void) | undefined;

  constructor(db: SqliteDb, onBroken: (error: Error) => void) {
    this.#db = db;
    this.#onBroken = onBroken;
  }

  get broken(): Error | undefined {
    return this.#broken;
  }

  /** Report storage operations to `monitor` (undefined: stop). */
  watch(monitor: StorageMonitor | undefined): void {
    this.monitor = monitor;
  }

  /** Output must wait: the open implicit transaction holds a confirmed write (what `whenDurable` waits for). */
  get holdsOutput(): boolean {
    return this.#open && this.#confirmed && !this.#broken;
  }

  /** The implicit transaction is open. */
  get open(): boolean {
    return this.#open;
  }

  /** An explicit transaction or a `transactionSync()` is running (deleteAll() is refused then). */
  get inTransaction(): boolean {
    return this.#explicit.length > 0 || this.syncDepth > 0;
  }

  /**
   * Call before every write (KV put/delete, SQL that is not read-only, alarm
   * changes). `confirmed: false` is `allowUnconfirmed`: the write does not hold
   * output back — unless a confirmed write shares its transaction, in which
   * case the whole transaction does (DO-API §6.3).
   */
  beginWrite(confirmed = true): void {
    if (this.#broken) throw this.#broken;
    this.beforeWrite?.();
    if (confirmed) this.#confirmed = true;
    if (this.#open || this.#explicit.length > 0) return;
    trusted(this.#db, () => runStatement((this.#begin ??= this.#db.prepare('BEGIN'))));
    this.#open = true;
    macrotask(() => this.commit());
  }

  /**
   * Commit the implicit transaction now (also used before operations that
   * cannot run inside one, such as VACUUM). An explicit transaction is left
   * alone: it ends with its closure, or with the database.
   */
  commit(): void {
    if (!this.#open) return;
    this.monitor?.commitStarted();
    try {
      trusted(this.#db, () => {
        this.onCommit?.();
        runStatement((this.#commit ??= this.#db.prepare('COMMIT')));
      });
      this.afterCommit?.();
      this.#open = false;
      this.#confirmed = false;
      this.monitor?.commitFinished();
      this.#settle();
    } catch (error) {
      this.#open = false;
      this.#confirmed = false;
      this.#rollbackQuietly('ROLLBACK');
      const failure = this.#commitError(error);
      this.monitor?.commitFinished(failure);
      this.#fail(failure);
    }
  }

  /**
   * The output gate: resolves once the confirmed writes made so far outside an
   * open explicit transaction are durable; rejects if their commit failed. A
   * transaction holding only `allowUnconfirmed` writes does not hold output.
   */
  whenDurable(): Promise<void> {
    if (this.#broken) return Promise.reject(this.#broken);
    const held = this.holdOutput?.();
    if (!this.#open || !this.#confirmed) return held ?? Promise.resolve();
    return held ? Promise.all([this.whenCommitted(), held]).then(() => {}) : this.whenCommitted();
  }

  /**
   * More output must wait for than the commit: an alarm change until the
   * coordinator's schedule holds it (object/events/alarm.ts). Returns
   * undefined when nothing is pending, which is the common case.
   */
  holdOutput: (() => Promise<void> | undefined) | undefined;

  /** `storage.sync()`: resolves once every write made so far, confirmed or not, is durable. */
  whenCommitted(): Promise<void> {
    if (this.#broken) return Promise.reject(this.#broken);
    if (!this.#open) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** A storage failure (disk full, I/O error…) outside a commit: roll back and break the object. */
  breakWith(error: Error): void {
    if (this.#broken) return;
    if (this.#open || this.#explicit.length > 0) this.#rollbackQuietly('ROLLBACK');
    this.#open = false;
    this.#explicit.length = 0;
    this.#fail(error);
  }

  // ---- transactionSync ----

  /**
   * Run `fn` inside `SAVEPOINT _cf_sync_savepoint_<depth>`: released when it
   * returns, rolled back (and the error rethrown) when it throws.
   */
  runSync<T>(fn: () => T): T {
    // SAVEPOINT is a read-only statement: open the outer transaction first (invariant 5).
    this.beginWrite();
    const depth = this.syncDepth++;
    try {
      trusted(this.#db, () => this.#db.exec(`SAVEPOINT _cf_sync_savepoint_${depth}`));
      let result: T;
      try {
        result = fn();
      } catch (error) {
        // After a storage failure the transaction is already gone (and the object broken).
        if (!this.#broken) {
          this.#savepointStatement(`ROLLBACK TO _cf_sync_savepoint_${depth}; RELEASE _cf_sync_savepoint_${depth}`);
        }
        this.schemaGeneration++;
        throw error;
      }
      if (this.#broken) throw new Error('Cannot commit transaction due to an earlier SQL critical error');
      this.#savepointStatement(`RELEASE _cf_sync_savepoint_${depth}`);
      return result;
    } finally {
      this.syncDepth--;
    }
  }

  #savepointStatement(sql: string): void {
    try {
      trusted(this.#db, () => this.#db.exec(sql));
    } catch (error) {
      const failure = internalSqlError(this.#db, error) as Error;
      this.breakWith(failure);
      throw failure;
    }
  }

  // ---- explicit transactions (storage.transaction) ----

  /** Open the next explicit level. Commits an open implicit transaction first (invariant 2). */
  beginExplicit(): ExplicitLevel {
    if (this.#broken) throw this.#broken;
    if (this.#explicit.length === 0) {
      this.commit();
      if (this.#broken) throw this.#broken;
    }
    const depth = this.#explicit.length;
    trusted(this.#db, () => this.#db.exec(`SAVEPOINT _cf_savepoint_${depth}`));
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const level: LevelState = { depth, finished: false, done, settle };
    this.#explicit.push(level);
    return level;
  }

  /** Whether `level` is the innermost open level (only that one may finish). */
  isInnermost(level: ExplicitLevel): boolean {
    return this.#explicit.at(-1) === level;
  }

  /** Resolves once every level opened inside `level` has finished. */
  async whenInnermost(level: ExplicitLevel): Promise<void> {
    for (let top = this.#explicit.at(-1); top && top !== level && !level.finished; top = this.#explicit.at(-1)) {
      await top.done;
    }
  }

  /**
   * Release the innermost level. For the outermost one that is the commit:
   * if it fails (a deferred constraint), everything rolls back and the object
   * is reset, as when an implicit commit fails.
   */
  commitExplicit(level: ExplicitLevel): void {
    this.#requireInnermost(level);
    const outermost = level.depth === 0;
    if (outermost) this.monitor?.commitStarted();
    try {
      trusted(this.#db, () => {
        if (outermost) this.onCommit?.();
        this.#db.exec(`RELEASE _cf_savepoint_${level.depth}`);
      });
      if (outermost) this.afterCommit?.();
    } catch (error) {
      this.#rollbackQuietly(`ROLLBACK TO _cf_savepoint_${level.depth}; RELEASE _cf_savepoint_${level.depth}`);
      this.#finishLevel(level);
      const failure = this.#commitError(error);
      if (outermost) this.monitor?.commitFinished(failure);
      this.#fail(failure);
      throw failure;
    }
    if (outermost) this.monitor?.commitFinished();
    this.#finishLevel(level);
  }

  /** Roll back the innermost level and end it. */
  rollbackExplicit(level: ExplicitLevel): void {
    this.#requireInnermost(level);
    try {
      trusted(this.#db, () =>
        this.#db.exec(`ROLLBACK TO _cf_savepoint_${level.depth}; RELEASE _cf_savepoint_${level.depth}`),
      );
    } catch (error) {
      // The transaction is gone (a storage failure rolled it back): nothing can be trusted any more.
      this.#finishLevel(level);
      this.breakWith(internalSqlError(this.#db, error) as Error);
      throw this.#broken;
    }
    this.schemaGeneration++;
    this.#finishLevel(level);
  }

  #requireInnermost(level: ExplicitLevel): void {
    if (this.#broken) throw this.#broken;
    if (!this.isInnermost(level)) throw new Error('Hearth: only the innermost explicit transaction may finish.');
  }

  #finishLevel(level: ExplicitLevel): void {
    const state = level as LevelState;
    if (this.#explicit.at(-1) === state) this.#explicit.pop();
    state.finished = true;
    state.settle();
  }

  // ---- failure ----

  #rollbackQuietly(sql: string): void {
    this.schemaGeneration++;
    try {
      trusted(this.#db, () => this.#db.exec(sql));
    } catch {
      // The failed statement may already have rolled everything back.
    }
  }

  /** The error a failed commit resets the object with (workerd's texts). */
  #commitError(error: unknown): Error {
    // The browser's quota, which SQLite only sees as an I/O error: say so (storage-faults.ts).
    const quota = takeQuotaFault('committing a write');
    if (quota) return Object.assign(quota, { durableObjectReset: true });
    const converted = internalSqlError(this.#db, error);
    if (((sqliteCodeOf(converted) ?? 0) & 0xff) === SQLITE_CONSTRAINT) {
      return Object.assign(
        new Error(
          `Durable Object was reset and rolled back to its last known good state because the application left the database in a state where constraints were violated: ${(converted as Error).message}`,
        ),
        { durableObjectReset: true },
      );
    }
    const broken = new Error(
      `Internal error in Durable Object storage write caused object to be reset; reference = ${crypto.randomUUID()}`,
    );
    return Object.assign(broken, { durableObjectReset: true, cause: String((error as Error)?.message ?? error) });
  }

  #fail(error: Error): void {
    if (!(error as { durableObjectReset?: boolean }).durableObjectReset) {
      Object.assign(error, { durableObjectReset: true });
    }
    this.#broken = error;
    this.#settle(error);
    this.#onBroken(error);
  }

  #settle(error?: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) (error ? w.reject(error) : w.resolve());
  }
}
