/**
 * Point-in-time recovery (DO-API §5.6), for real: every commit's row changes
 * are kept as a SQLite session changeset in a history database beside the object's, so the database can be
 * wound back to any earlier commit.
 *
 *  - Capture: a session (SQLite's session extension) records the changes of
 *    every table, rowid tables included, since the last commit. The commit
 *    hook (`ImplicitTransaction.onCommit`, called inside the transaction just
 *    before COMMIT) stores that changeset in the history database — a second
 *    file in the object's own pool directory, so the object's database (its
 *    `sqlite_master`, its `databaseSize`) stays exactly what the app made —
 *    and a fresh session starts after the commit. The entry is durable before
 *    the data: if the data's commit then fails, restoring skips the changes
 *    that are not there. A commit with no row changes stores nothing.
 *  - Bookmarks: Cloudflare's shape, four dash-separated lowercase hex groups:
 *    the commit's time in ms (high 32 bits, low 32 bits), its sequence number,
 *    and 32 digits naming the object. Fixed widths make string order time order.
 *  - Restore: `onNextSessionRestoreBookmark(b)` records the wish in the
 *    history database; the next session, before the
 *    class is constructed, applies the inverse of every later changeset,
 *    newest first, as one commit — itself recorded, so the bookmark returned
 *    for "just before the restore" undoes it.
 *  - Retention: entries older than the window (`hearth.pitrWindowMs`, 30 days) are dropped, and the
 *    oldest ones too while the history exceeds its byte budget (`hearth.pitrMaxBytes`, 32 MiB); bookmarks
 *    older than what is kept are refused.
 *
 * Known limit: the session extension records rows, not schema. A table
 * created after the bookmark stays (emptied); rows of a table dropped since
 * (`deleteAll()` drops user tables) cannot come back; an ALTER of a table the
 * session watches makes its changeset fail, and the history before it is
 * dropped. See docs/intended-differences.md.
 */
import type { ImplicitTransaction } from './implicit-transaction.ts';
import { trusted } from './sql-connection.ts';
import type { Sqlite3, SqliteDb } from './sqlite-types.ts';

/** The history database's file in the object's pool. */
export const PITR_FILE = '/history.sqlite3';
const SQLITE_SCHEMA = 17;

export const PITR_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
export const PITR_MAX_BYTES = 32 * 1024 * 1024;

const HISTORY_DROPPED =
  'Point-in-time recovery history is unavailable until this Durable Object restarts: the browser refused to store more of it (storage quota).';
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
  #historyDb: SqliteDb | undefined;
  /** Closes and deletes the history's files (see #drop). */
  readonly #dropFiles: (history: SqliteDb) => void;
  readonly #capi: Capi;
  readonly #wasm: Wasm;
  readonly #objectTag: string;
  readonly #windowMs: number;
  readonly #maxBytes: number;
  #session = 0;
  #lastAt = 0;
  /** Bytes of changesets the history holds (kept here so a commit does not have to sum them). */
  #bytes = 0;
  #sincePrune = 0;

  /** `history`: the object's history database (sqlite-open.ts `openSiblingDatabase(db, PITR_FILE)`). */
  constructor(
    sqlite3: Sqlite3,
    db: SqliteDb,
    history: SqliteDb,
    txn: ImplicitTransaction,
    objectId: string,
    limits: { windowMs?: number; maxBytes?: number } = {},
    dropFiles: (history: SqliteDb) => void = (history) => history.close(),
  ) {
    this.#windowMs = limits.windowMs ?? PITR_WINDOW_MS;
    this.#maxBytes = limits.maxBytes ?? PITR_MAX_BYTES;
    this.#db = db;
    this.#historyDb = history;
    this.#dropFiles = dropFiles;
    this.#capi = sqlite3.capi as unknown as Capi;
    this.#wasm = sqlite3.wasm as unknown as Wasm;
    this.#objectTag = objectId.slice(0, 32).padEnd(32, '0');
    history.exec(
      'CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, changes BLOB NOT NULL);' +
        'CREATE TABLE IF NOT EXISTS pending (id INTEGER PRIMARY KEY CHECK (id = 1), bookmark TEXT NOT NULL);',
    );
    this.#lastAt = (history.selectValue('SELECT max(at) FROM history') as number | null) ?? 0;
    this.#prune(Date.now());
    this.#startSession();
    txn.onCommit = () => this.#record();
    txn.afterCommit = () => this.#startSession();
  }

  // ---- capture (the commit path: keep it small) ----

  #startSession(): void {
    if (this.#session || !this.#historyDb) return;
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

  get #history(): SqliteDb {
    if (!this.#historyDb) throw new Error(HISTORY_DROPPED);
    return this.#historyDb;
  }

  /** Give up the history for this session (its write failed); the next session starts a new one. */
  #drop(): void {
    this.#endSession();
    const history = this.#historyDb;
    this.#historyDb = undefined;
    if (history) this.#dropFiles(history);
  }

  /** Inside the committing transaction: store its changes (if any) as the next history entry. */
  #record(): void {
    if (!this.#session || !this.#historyDb) return;
    let changes: Uint8Array;
    try {
      changes = this.#take((nOut, pOut) => this.#capi.sqlite3session_changeset(this.#session, nOut, pOut));
    } catch (error) {
      this.#endSession();
      // A watched table's schema changed (ALTER TABLE): this commit cannot be recorded, so no earlier state
      // can be restored faithfully any more. Drop the history rather than fail the app's commit.
      if ((error as { rc?: number }).rc === SQLITE_SCHEMA) {
        this.#history.exec('DELETE FROM history');
        this.#bytes = 0;
        return;
      }
      throw error;
    }
    this.#endSession();
    if (changes.length === 0) return;
    // Strictly increasing times keep bookmarks in order even within one millisecond.
    const at = Math.max(Date.now(), this.#lastAt + 1);
    this.#lastAt = at;
    // One statement, one commit of the history file per recorded commit: the byte count is kept here, and
    // pruning runs only when the budget is passed or now and then for the window.
    try {
      this.#history.exec({ sql: 'INSERT INTO history (at, changes) VALUES (?, ?)', bind: [at, changes] });
    } catch {
      // The history could not be written (e.g. the origin is out of quota): never fail the app's commit for
      // it — the data's own commit reports its own error — but no bookmark before this gap is valid any more.
      // The failed write's frames stay in the history's WAL, holding quota the app's own commit needs, and
      // SQLite cannot free them (a checkpoint writes too): drop the history's files. No bookmark before now is
      // valid any more; the next session starts a new history.
      this.#drop();
      return;
    }
    this.#bytes += changes.length;
    if (this.#bytes > this.#maxBytes || ++this.#sincePrune >= 256) this.#prune(at);
  }

  #prune(now: number): void {
    this.#sincePrune = 0;
    this.#history.exec({ sql: 'DELETE FROM history WHERE at < ?', bind: [now - this.#windowMs] });
    const total = this.#history.selectValue('SELECT total(length(changes)) FROM history') as number;
    this.#bytes = total;
    if (total > this.#maxBytes) {
      // Drop the oldest entries until the rest fit (always keeping the newest).
      this.#history.exec({
        sql:
          'DELETE FROM history WHERE seq < (SELECT seq FROM (SELECT seq, sum(length(changes)) OVER (ORDER BY seq DESC) AS kept FROM history) WHERE kept > ? ORDER BY seq DESC LIMIT 1)',
        bind: [this.#maxBytes],
      });
      this.#bytes = this.#history.selectValue('SELECT total(length(changes)) FROM history') as number;
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
    const oldest = (this.#history.selectValue('SELECT min(seq) FROM history') as number | null) ?? 0;
    // Bookmark 0 is "before any recorded change"; it is reachable only while the history still starts at seq 1.
    if (seq < oldest - 1 || seq > this.#latest().seq) throw new Error(NOT_FOUND);
    return seq;
  }

  #latest(): { seq: number; at: number } {
    const row = this.#history.selectArray('SELECT seq, at FROM history ORDER BY seq DESC LIMIT 1') as [number, number] | undefined;
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
    if (time < Date.now() - this.#windowMs) throw new Error(NOT_FOUND);
    const row = this.#history.selectArray('SELECT seq, at FROM history WHERE at <= ? ORDER BY seq DESC LIMIT 1', [time]) as
      | [number, number]
      | undefined;
    if (row) return this.#bookmark(row[0], row[1]);
    const oldest = this.#history.selectArray('SELECT seq, at FROM history ORDER BY seq LIMIT 1') as [number, number] | undefined;
    // Before the first recorded change: the empty state, if the history reaches back that far.
    if (!oldest || oldest[0] === 1) return this.#bookmark(0, 0);
    return this.#bookmark(oldest[0], oldest[1]);
  }

  /** Remember `bookmark` for the next session. Returns the bookmark that undoes the restore. */
  restoreOnNextSession(bookmark: string): string {
    this.#parse(bookmark);
    const undo = this.current();
    this.#history.exec({ sql: 'INSERT OR REPLACE INTO pending (id, bookmark) VALUES (1, ?)', bind: [bookmark] });
    return undo;
  }

  /**
   * At the start of a session, before the class is constructed: apply a
   * pending restore, if any, as one commit (recorded like any other, which is
   * what lets the undo bookmark reverse it).
   */
  applyPendingRestore(txn: ImplicitTransaction): boolean {
    const bookmark = this.#history.selectValue('SELECT bookmark FROM pending WHERE id = 1') as string | undefined;
    if (bookmark === undefined) return false;
    let target: number | undefined;
    try {
      target = this.#parse(bookmark);
    } catch {
      target = undefined; // out of the window by now: nothing to restore to
    }
    if (target !== undefined) {
      const entries = this.#history.selectArrays('SELECT changes FROM history WHERE seq > ? ORDER BY seq DESC', [target]) as [
        Uint8Array,
      ][];
      txn.beginWrite();
      trusted(this.#db, () => {
        for (const [changes] of entries) this.#applyInverse(changes);
      });
      txn.commit();
    }
    this.#history.exec('DELETE FROM pending');
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
    this.#historyDb?.close();
    this.#historyDb = undefined;
  }
}

function check(rc: number, what: string): void {
  if (rc !== 0) throw Object.assign(new Error(`point-in-time recovery: ${what} failed (SQLite code ${rc})`), { rc });
}
