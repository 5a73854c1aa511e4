/**
 * `storage.transaction(closure)` and the `txn` handed to the closure
 * (DO-API.md §4.1, §5.5; workerd `DurableObjectStorage::transaction` and
 * `DurableObjectTransaction` in `api/actor-state.c++`).
 *
 * Sequence, as in workerd:
 *  1. The whole thing runs inside `blockConcurrencyWhile`, so no other event
 *     is delivered until the closure settles. The transaction is opened inside
 *     it, never before, so it cannot catch another event's writes.
 *  2. The closure's outcome is packed into a value before it leaves the
 *     critical section: a closure that throws rolls back and rethrows to the
 *     caller *without* resetting the object (a throwing `blockConcurrencyWhile`
 *     callback would reset it).
 *  3. Returning commits (the savepoint is released; for the outermost level
 *     that commits the SQLite transaction). Throwing rolls back.
 *     `txn.rollback()` rolls back at once; the closure may go on, outside the
 *     transaction.
 *  4. Nested calls are savepoints inside the outer one (`implicit-transaction.ts`
 *     keeps the stack). An outer level never finishes before the levels
 *     opened inside it.
 *  5. Using `txn` afterwards fails: `Cannot <op> on rolled back transaction`,
 *     or `Cannot call <op> on transaction that has already committed: did you
 *     move \`txn\` outside of the closure?`. Its methods that return promises
 *     report that by rejecting; `rollback()` and `deleteAll()` throw.
 */
import type { ExplicitLevel, ImplicitTransaction } from './implicit-transaction.ts';
import { argumentError } from './webidl-arguments.ts';

/** The storage operations a `txn` forwards to (the `DurableObjectStorage` façade). */
export interface TransactionTarget {
  get(...args: unknown[]): Promise<unknown>;
  put(...args: unknown[]): Promise<void>;
  delete(...args: unknown[]): Promise<unknown>;
  list(...args: unknown[]): Promise<unknown>;
  getAlarm(...args: unknown[]): Promise<unknown>;
  setAlarm?(...args: unknown[]): Promise<void>;
  deleteAlarm?(...args: unknown[]): Promise<void>;
}

/** What runs a critical section: the object's input gate (`blockConcurrencyWhile`). */
export interface CriticalSection {
  blockConcurrencyWhile<T>(callback: () => T | Promise<T>): Promise<T>;
}

type State = 'open' | 'committed' | 'rolledBack';

const CONSTRUCT = Symbol('construct');
let settleTransaction: (txn: DurableObjectTransaction, state: State) => void;

export class DurableObjectTransaction {
  readonly #target: TransactionTarget;
  readonly #txn: ImplicitTransaction;
  readonly #level: ExplicitLevel;
  #state: State = 'open';

  /** @internal Handed to `transaction()` closures only. */
  constructor(token?: typeof CONSTRUCT, target?: TransactionTarget, txn?: ImplicitTransaction, level?: ExplicitLevel) {
    if (token !== CONSTRUCT) throw new TypeError('Illegal constructor');
    this.#target = target!;
    this.#txn = txn!;
    this.#level = level!;
  }

  static {
    settleTransaction = (txn, state) => {
      if (txn.#state === 'open') txn.#state = state;
    };
  }

  get(...args: unknown[]): Promise<unknown> {
    return this.#forward('get()', () => this.#target.get(...args));
  }

  put(...args: unknown[]): Promise<void> {
    return this.#forward('put()', () => this.#target.put(...args));
  }

  delete(...args: unknown[]): Promise<unknown> {
    return this.#forward('delete()', () => this.#target.delete(...args));
  }

  list(...args: unknown[]): Promise<unknown> {
    return this.#forward('list()', () => this.#target.list(...args));
  }

  getAlarm(...args: unknown[]): Promise<unknown> {
    return this.#forward('getAlarm()', () => this.#target.getAlarm(...args));
  }

  setAlarm(...args: unknown[]): Promise<void> {
    return this.#forward('setAlarm()', () => {
      if (!this.#target.setAlarm) throw new Error('setAlarm() is not supported yet.');
      return this.#target.setAlarm(...args);
    });
  }

  deleteAlarm(...args: unknown[]): Promise<void> {
    return this.#forward('deleteAlarm()', () => {
      if (!this.#target.deleteAlarm) throw new Error('deleteAlarm() is not supported yet.');
      return this.#target.deleteAlarm(...args);
    });
  }

  deleteAll(): never {
    throw new Error('Cannot call deleteAll() within a transaction');
  }

  rollback(): void {
    if (this.#state === 'rolledBack') return; // rollback() may be called more than once
    this.#check('rollback()');
    if (!this.#txn.isInnermost(this.#level)) {
      throw new Error('Cannot roll back an outer transaction while a nested transaction is still running.');
    }
    this.#txn.rollbackExplicit(this.#level);
    this.#state = 'rolledBack';
  }

  #check(op: string): void {
    if (this.#state === 'rolledBack') throw new Error(`Cannot ${op} on rolled back transaction`);
    if (this.#state === 'committed') {
      throw new Error(
        `Cannot call ${op} on transaction that has already committed: did you move \`txn\` outside of the closure?`,
      );
    }
  }

  #forward<T>(op: string, call: () => Promise<T>): Promise<T> {
    try {
      this.#check(op);
      return call();
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Once every level opened inside `level` has finished, run `finish` (commit
 * or roll back) — in the same microtask as the check, so that no new inner
 * level can open in between. Nothing to do if `level` already finished
 * (`txn.rollback()`).
 */
async function finishWhenInnermost(txn: ImplicitTransaction, level: ExplicitLevel, finish: () => void): Promise<void> {
  for (;;) {
    if (level.finished) return;
    if (txn.isInnermost(level)) return finish();
    await txn.whenInnermost(level);
  }
}

/**
 * Run `closure` as an explicit transaction. `section` is the object's input
 * gate; without one (a storage used outside an object) the closure still runs
 * transactionally, just without holding other events back.
 */
export async function runTransaction<T>(
  txn: ImplicitTransaction,
  target: TransactionTarget,
  section: CriticalSection | undefined,
  closure: (txn: DurableObjectTransaction) => T | Promise<T>,
): Promise<T> {
  if (typeof closure !== 'function') throw argumentError('DurableObjectStorage', 'transaction', 1, 'function');
  const body = async (): Promise<Outcome> => {
    // Start in a later microtask, as workerd's `.then(callback)` does, even without a critical section:
    // never inside a synchronous caller such as a transactionSync() closure.
    await undefined;
    const level = txn.beginExplicit();
    const handle = new DurableObjectTransaction(CONSTRUCT, target, txn, level);
    try {
      const value = await closure(handle);
      await finishWhenInnermost(txn, level, () => txn.commitExplicit(level));
      settleTransaction(handle, 'committed');
      return { ok: true, value };
    } catch (error) {
      settleTransaction(handle, 'rolledBack');
      await finishWhenInnermost(txn, level, () => {
        if (!txn.broken) txn.rollbackExplicit(level);
      });
      return { ok: false, error };
    }
  };
  const outcome = section ? await section.blockConcurrencyWhile(body) : await body();
  if (!outcome.ok) throw outcome.error;
  return outcome.value as T;
}
