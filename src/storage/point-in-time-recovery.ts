/**
 * Point-in-time recovery (DO-API §5.6), for real: every commit's row changes
 * are kept as a SQLite session changeset in `_cf_PITR`, so the database can be
 * wound back to any earlier commit.
 *
 *  - Capture: a session (SQLite's session extension) records the changes of
 *    every table, rowid tables included, since the last commit. The commit
 *    hook (`ImplicitTransaction.onCommit`, called inside the transaction just
 *    before COMMIT) stores that changeset in the same transaction, so history
 *    and data are durable together, then starts a fresh session after the
 *    commit. A commit with no row changes stores nothing.
 *  - Bookmarks: Cloudflare's shape, four dash-separated lowercase hex groups:
 *    the commit's time in ms (high 32 bits, low 32 bits), its sequence number,
 *    and 32 digits naming the object. Fixed widths make string order time order.
 *  - Restore: `onNextSessionRestoreBookmark(b)` records the wish (outside any
 *    session, so history never contains it); the next session, before the
 *    class is constructed, applies the inverse of every later changeset,
 *    newest first, as one commit — itself recorded, so the bookmark returned
 *    for "just before the restore" undoes it.
 *  - Retention: entries older than the window (30 days) are dropped, and the
 *    oldest ones too while the history exceeds its byte budget; bookmarks
 *    older than what is kept are refused.
 *
 * Known limit: the session extension records rows, not schema. A table
 * created after the bookmark stays (emptied); rows of a table dropped since
 * (`deleteAll()` drops user tables) cannot come back. See
 * docs/intended-differences.md.
 */
import type { ImplicitTransaction } from './implicit-transaction.ts';
import { trusted } from './sql-connection.ts';
import type { Sqlite3, SqliteDb } from './sqlite-types.ts';

/** History tables: never dropped by deleteAll() (the history outlives a wipe, as Cloudflare's does). */
export const PITR_TABLES = ['_cf_PITR', '_cf_PITR_RESTORE'];

export const PITR_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
export const PITR_MAX_BYTES = 32 * 1024 * 1024;

const NOT_FOUND = 'The requested bookmark is outside the point-in-time recovery window or does not exist.';
const SQLITE_CHANGESET_OMIT = 0;
/** sqlite3session_object_config: record rowid tables too (tables without a declared PRIMARY KEY). */
const SQLITE_SESSION_OBJCONFIG_ROWID = 2;

interface Capi {
  sqlite3session_create(db: number, schema: string, out: number): number;
  sqlite3session_attach(session: number, table: number): number;
  sqlite3session_object_config(session: number, op: number, arg: number): number;
  sqlite3session_changeset(session: number, nOut: number, pOut: number): number;
  sqlite3session_delete(session: number): void;
  sqlite3changeset_invert(n: number, p: number, nOut: number, pOut: number): number;
  sqlite3changeset_apply(db: number, n: number, p: number, filter: number, conflict: (ctx: number, kind: number, iter: number) => number, ctx: number): number;
  sqlite3_free(p: number): void;
}
interface Wasm {
  pstack: { pointer: number; restore(p: number): void; allocPtr(n?: number): number; alloc(n: number): number };
  peekPtr(p: number): number;
  peek32(p: number): number;
  poke32(p: number, v: number): void;
  heap8u(): Uint8Array;
  allocFromTypedArray(bytes: Uint8Array): number;
  dealloc(p: number): void;
}

export class PointInTimeRecovery {
  readonly #db: SqliteDb;
  readonly #capi: Capi;
  readonly #wasm: Wasm;
  readonly #objectTag: string;
  #session = 0;
  #lastAt = 0;

  constructor(sqlite3: Sqlite3, db: SqliteDb, txn: ImplicitTransaction, objectId: string) {
    this.#db = db;
    this.#capi = sqlite3.capi as unknown as Capi;
    this.#wasm = sqlite3.wasm as unknown as Wasm;
    this.#objectTag = objectId.slice(0, 32).padEnd(32, '0');
    trusted(db, () => {
      db.exec(
        'CREATE TABLE IF NOT EXISTS _cf_PITR (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, changes BLOB NOT NULL);' +
          'CREATE TABLE IF NOT EXISTS _cf_PITR_RESTORE (id INTEGER PRIMARY KEY CHECK (id = 1), bookmark TEXT NOT NULL);',
      );
    });
    this.#startSession();
    txn.onCommit = () => this.#record();
    txn.afterCommit = () => this.#startSession();
  }

  // ---- capture (the commit path: keep it small) ----

  #startSession(): void {
    if (this.#session) return;
    const { pstack } = this.#wasm;
    const stack = pstack.pointer;
    try {
      const out = pstack.allocPtr();
      check(this.#capi.sqlite3session_create(this.#db.pointer as number, 'main', out), 'sqlite3session_create');
      this.#session = this.#wasm.peekPtr(out);
      const flag = pstack.alloc(4);
      this.#wasm.poke32(flag, 1);
      this.#capi.sqlite3session_object_config(this.#session, SQLITE_SESSION_OBJCONFIG_ROWID, flag);
      check(this.#capi.sqlite3session_attach(this.#session, 0), 'sqlite3session_attach');
    } finally {
      pstack.restore(stack);
    }
  }

  #endSession(): void {
    if (this.#session) this.#capi.sqlite3session_delete(this.#session);
    this.#session = 0;
  }

  /** Inside the committing transaction: store its changes (if any) as the next history entry. */
  #record(): void {
    if (!this.#session) return;
    const changes = this.#take((nOut, pOut) => this.#capi.sqlite3session_changeset(this.#session, nOut, pOut));
    // The history rows written below must not be recorded: end this session; the next starts after the commit.
    this.#endSession();
    if (changes.length === 0) return;
    // Strictly increasing times keep bookmarks in order even within one millisecond.
    const at = Math.max(Date.now(), this.#lastAt + 1);
    this.#lastAt = at;
    this.#db.exec({ sql: 'INSERT INTO _cf_PITR (at, changes) VALUES (?, ?)', bind: [at, changes] });
    this.#prune(at);
  }

  #prune(now: number): void {
    this.#db.exec({ sql: 'DELETE FROM _cf_PITR WHERE at < ?', bind: [now - PITR_WINDOW_MS] });
    const total = this.#db.selectValue('SELECT total(length(changes)) FROM _cf_PITR') as number;
    if (total > PITR_MAX_BYTES) {
      // Drop the oldest entries until the rest fit (always keeping the newest).
      this.#db.exec({
        sql:
          'DELETE FROM _cf_PITR WHERE seq < (SELECT seq FROM (SELECT seq, sum(length(changes)) OVER (ORDER BY seq DESC) AS kept FROM _cf_PITR) WHERE kept > ? ORDER BY seq DESC LIMIT 1)',
        bind: [PITR_MAX_BYTES],
      });
    }
  }

  /** Run a C call that returns a sqlite3_malloc'ed buffer through out-pointers; copy it out and free it. */
  #take(call: (nOut: number, pOut: number) => number): Uint8Array {
    const { pstack } = this.#wasm;
    const stack = pstack.pointer;
    try {
      const nOut = pstack.alloc(4);
      const pOut = pstack.allocPtr();
      check(call(nOut, pOut), 'changeset');
      const n = this.#wasm.peek32(nOut);
      const p = this.#wasm.peekPtr(pOut);
      const bytes = n > 0 ? this.#wasm.heap8u().slice(p, p + n) : new Uint8Array(0);
      if (p) this.#capi.sqlite3_free(p);
      return bytes;
    } finally {
      pstack.restore(stack);
    }
  }

  // ---- bookmarks ----

  #bookmark(seq: number, at: number): string {
    const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
    return `${hex8(Math.floor(at / 2 ** 32))}-${hex8(at % 2 ** 32)}-${hex8(seq)}-${this.#objectTag}`;
  }

  #parse(bookmark: unknown): number {
    const match = typeof bookmark === 'string' ? /^([0-9a-f]{8})-([0-9a-f]{8})-([0-9a-f]{8})-([0-9a-f]{32})$/.exec(bookmark) : null;
    if (!match || match[4] !== this.#objectTag) throw new Error(NOT_FOUND);
    const seq = parseInt(match[3]!, 16);
    const oldest = (trusted(this.#db, () => this.#db.selectValue('SELECT min(seq) FROM _cf_PITR')) as number | null) ?? 0;
    // Bookmark 0 is "before any recorded change"; it is reachable only while the history still starts at seq 1.
    if (seq < oldest - 1 || seq > this.#latest().seq) throw new Error(NOT_FOUND);
    return seq;
  }

  #latest(): { seq: number; at: number } {
    const row = trusted(this.#db, () => this.#db.selectArray('SELECT seq, at FROM _cf_PITR ORDER BY seq DESC LIMIT 1')) as
      | [number, number]
      | undefined;
    return row ? { seq: row[0], at: row[1] } : { seq: 0, at: 0 };
  }

  /** The bookmark of the state after the last commit (the caller commits pending writes first). */
  current(): string {
    const { seq, at } = this.#latest();
    return this.#bookmark(seq, at);
  }

  /** The bookmark of the last commit at or before `time` (or of the oldest state kept). */
  forTime(time: number): string {
    if (!Number.isFinite(time)) throw new TypeError('getBookmarkForTime() needs a time (a number of ms, or a Date).');
    if (time < Date.now() - PITR_WINDOW_MS) throw new Error(NOT_FOUND);
    const row = trusted(this.#db, () =>
      this.#db.selectArray('SELECT seq, at FROM _cf_PITR WHERE at <= ? ORDER BY seq DESC LIMIT 1', [time]),
    ) as [number, number] | undefined;
    if (row) return this.#bookmark(row[0], row[1]);
    const oldest = trusted(this.#db, () => this.#db.selectArray('SELECT seq, at FROM _cf_PITR ORDER BY seq LIMIT 1')) as
      | [number, number]
      | undefined;
    // Before the first recorded change: the empty state, if the history reaches back that far.
    if (!oldest || oldest[0] === 1) return this.#bookmark(0, 0);
    return this.#bookmark(oldest[0], oldest[1]);
  }

  /** Remember `bookmark` for the next session (outside any session: never part of the history). Returns the undo bookmark. */
  restoreOnNextSession(bookmark: string): string {
    this.#parse(bookmark);
    const undo = this.current();
    this.#endSession();
    try {
      trusted(this.#db, () =>
        this.#db.exec({ sql: 'INSERT OR REPLACE INTO _cf_PITR_RESTORE (id, bookmark) VALUES (1, ?)', bind: [bookmark] }),
      );
    } finally {
      this.#startSession();
    }
    return undo;
  }

  /**
   * At the start of a session, before the class is constructed: apply a
   * pending restore, if any, as one recorded commit. Runs inside the
   * implicit transaction `txn` opens (so the commit hook records it).
   */
  applyPendingRestore(txn: ImplicitTransaction): boolean {
    const bookmark = trusted(this.#db, () => this.#db.selectValue('SELECT bookmark FROM _cf_PITR_RESTORE WHERE id = 1')) as
      | string
      | undefined;
    if (bookmark === undefined) return false;
    let target: number | undefined;
    try {
      target = this.#parse(bookmark);
    } catch {
      target = undefined; // out of the window by now: nothing to restore to
    }
    if (target !== undefined) {
      txn.beginWrite();
      trusted(this.#db, () => {
        const entries = this.#db.selectArrays('SELECT changes FROM _cf_PITR WHERE seq > ? ORDER BY seq DESC', [target!]) as [
          Uint8Array,
        ][];
        for (const [changes] of entries) this.#applyInverse(changes);
      });
      txn.commit();
    }
    this.#endSession();
    try {
      trusted(this.#db, () => this.#db.exec('DELETE FROM _cf_PITR_RESTORE'));
    } finally {
      this.#startSession();
    }
    return target !== undefined;
  }

  #applyInverse(changes: Uint8Array): void {
    const p = this.#wasm.allocFromTypedArray(changes);
    try {
      const inverse = this.#take((nOut, pOut) => this.#capi.sqlite3changeset_invert(changes.length, p, nOut, pOut));
      const q = this.#wasm.allocFromTypedArray(inverse);
      try {
        // A row that no longer matches (e.g. its table was dropped and made again) is left as it is.
        check(this.#capi.sqlite3changeset_apply(this.#db.pointer as number, inverse.length, q, 0, () => SQLITE_CHANGESET_OMIT, 0), 'sqlite3changeset_apply');
      } finally {
        this.#wasm.dealloc(q);
      }
    } finally {
      this.#wasm.dealloc(p);
    }
  }

  /** Run `fn` (a wipe that drops tables, which sessions cannot record) with no session attached. */
  outsideHistory<T>(fn: () => T): T {
    this.#endSession();
    try {
      return fn();
    } finally {
      this.#startSession();
    }
  }

  close(): void {
    this.#endSession();
  }
}

function check(rc: number, what: string): void {
  if (rc !== 0) throw new Error(`point-in-time recovery: ${what} failed (SQLite code ${rc})`);
}
