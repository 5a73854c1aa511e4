/**
 * Write coalescing and the output gate's source of truth.
 *
 *  - The first write of a JS turn opens `BEGIN`; the transaction commits in a
 *    macrotask after the turn, so every write made without yielding to the event
 *    loop is one atomic unit (workerd's `ActorSqlite` does the same with
 *    `kj::yield()`).
 *  - Events that arrive before that commit task runs join the same transaction:
 *    group commit for free, and still correct, because nobody outside has seen
 *    any of those writes yet.
 *  - `whenDurable()` resolves once everything written so far is committed; the
 *    object runtime holds every reply on it (the output gate).
 *  - A failed commit rolls back, breaks the object (`onBroken`) and rejects the
 *    waiters: held replies are never sent.
 */
import { macrotask } from '../macrotask.ts';
import type { SqliteDb } from './sqlite-open.ts';

export class ImplicitTransaction {
  readonly #db: SqliteDb;
  readonly #onBroken: (error: Error) => void;
  #open = false;
  #broken: Error | undefined;
  #waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  /** Nesting depth of explicit savepoints (transactionSync), which must not be cut by the turn's commit. */
  savepointDepth = 0;

  constructor(db: SqliteDb, onBroken: (error: Error) => void) {
    this.#db = db;
    this.#onBroken = onBroken;
  }

  get broken(): Error | undefined {
    return this.#broken;
  }

  get open(): boolean {
    return this.#open;
  }

  /** Call before every write (KV put/delete, SQL that is not read-only, alarm changes). */
  beginWrite(): void {
    if (this.#broken) throw this.#broken;
    if (this.#open) return;
    this.#db.exec('BEGIN');
    this.#open = true;
    macrotask(() => this.commit());
  }

  /** Commit now (also used before operations that cannot run inside a transaction, such as VACUUM). */
  commit(): void {
    if (!this.#open) return;
    try {
      this.#db.exec('COMMIT');
      this.#open = false;
      this.#settle();
    } catch (error) {
      this.#open = false;
      try {
        this.#db.exec('ROLLBACK');
      } catch {
        // The failed COMMIT may already have rolled back.
      }
      const broken = new Error(
        `Internal error in Durable Object storage write caused object to be reset; reference = ${crypto.randomUUID()}`,
      );
      Object.assign(broken, { durableObjectReset: true, cause: String((error as Error)?.message ?? error) });
      this.#broken = broken;
      this.#settle(broken);
      this.#onBroken(broken);
    }
  }

  /** Resolves once every write made so far is durable; rejects if its commit failed. */
  whenDurable(): Promise<void> {
    if (this.#broken) return Promise.reject(this.#broken);
    if (!this.#open) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #settle(error?: Error): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) (error ? w.reject(error) : w.resolve());
  }
}
