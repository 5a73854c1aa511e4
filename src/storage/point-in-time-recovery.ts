/**
 * Point-in-time recovery (DO-API §5.6), for real: every commit's row changes
 * are kept as a SQLite session changeset in a history database beside the object's, so the database can be
 * wound back to any earlier commit.
 *
 *  - Capture: a session (SQLite's session extension) records the changes of
 *    every table, rowid tables included. After each commit, in a task of its
 *    own (off the reply's path), its changeset is taken and a fresh session
 *    starts; the next write takes it at once if that task has not run yet, so
 *    one changeset is always one commit. The history database is a second
 *    file in the object's own pool directory, so the object's database (its
 *    `sqlite_master`, its `databaseSize`) stays exactly what the app made.
 *    A commit with no row changes stores nothing.
 *  - Batches: changesets are written to the history together, one history
 *    commit per `BATCH_MS` (a history commit costs about as much as the
 *    app's own: docs/performance.md, step 19). A crash must not leave a gap
 *    the history does not know of — inverting the changesets after a gap
 *    would produce states that never existed. So batches are numbered: the
 *    first commit of a batch raises the database's `user_version` (a header
 *    field no app can read or write: its PRAGMA is not on workerd's list) in
 *    the same commit as its data, and the history records, with each batch
 *    it writes, the number it holds everything up to. A session that finds
 *    the database's number ahead of the history's (its predecessor died
 *    within `BATCH_MS` of a commit: a crash, a closed tab) starts the
 *    history anew behind a *barrier*: no bookmark before it is accepted.
 *    Never a wrong state, at worst a shorter history.
 *  - Bookmarks: Cloudflare's shape, four dash-separated lowercase hex groups:
 *    the commit's time in ms (high 32 bits, low 32 bits), its sequence number,
 *    and 32 digits naming the object. Fixed widths make string order time order.
 *    A bookmark names its entry's time too, so a sequence number used again by
 *    a later history (after its files were dropped) does not pass for it.
 *  - Restore: `onNextSessionRestoreBookmark(b)` records the wish in the
 *    history database; the next session, before the
 *    class is constructed, applies the inverse of every later changeset,
 *    newest first, as one commit — itself recorded, so the bookmark returned
 *    for "just before the restore" undoes it.
 *  - Whole-database replacements (a snapshot restored into this object, or a
 *    restore that crosses one) cannot be recorded as row changes: they copy
 *    pages. Before one, the state it replaces is stored as an *image entry*
 *    (`image = 1`, the database's bytes in `changes`). Going back past an
 *    image entry starts from that image and applies the inverses of the
 *    changesets between, in memory, then copies the result in — itself a
 *    replacement, recorded the same way, so its undo bookmark works too.
 *  - Snapshots (storage/database-snapshot.ts): `stateAt(b)` is the database
 *    at bookmark `b` as an in-memory copy; a snapshot restore waits in
 *    `pending_image` for the next session, like a bookmark restore.
 *  - Retention: entries older than the window (`hearth.pitrWindowMs`, 30 days) are dropped, and the
 *    oldest ones too while the history exceeds its byte budget (`hearth.pitrMaxBytes`, 32 MiB); bookmarks
 *    older than what is kept are refused.
 *
 * Known limit: the session extension records rows, not schema. A table
 * created after the bookmark stays (emptied); rows of a table dropped since
 * (`deleteAll()` drops user tables) cannot come back; an ALTER the session
 * cannot describe (a column dropped from a table changed in the same commit)
 * makes its changeset fail, and the history before it is dropped. See
 * docs/intended-differences.md.
 */
import type { ImplicitTransaction } from './implicit-transaction.ts';
import { copyAlarmRow } from './alarm-metadata.ts';
import { copyDatabase, exportDatabase, memoryCopy, openImage, serializeMemory } from './database-image.ts';
import { CREATE_KV_TABLE } from './kv.ts';
import { macrotask } from '../macrotask.ts';
import { runStatement, trusted } from './sql-connection.ts';
import type { Sqlite3, SqliteDb, SqliteStatement } from './sqlite-types.ts';

/** The history database's file in the object's pool. */
export const PITR_FILE = '/history.sqlite3';

export const PITR_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
export const PITR_MAX_BYTES = 32 * 1024 * 1024;

const HISTORY_DROPPED =
  'Point-in-time recovery history is unavailable until this Durable Object restarts: the browser refused to store more of it (storage quota).';
const NOT_FOUND = 'The requested bookmark is outside the point-in-time recovery window or does not exist.';
const SQLITE_CHANGESET_OMIT = 0;
/** How long a batch of commits waits before its changesets are written to the history. */
const BATCH_MS = 5;
/** `history.image` of a barrier: the history starts again here; nothing before it can be reached. */
const BARRIER = 2;
/** sqlite3session_object_config: record rowid tables too (tables without a declared PRIMARY KEY). */
const SQLITE_SESSION_OBJCONFIG_ROWID = 2;

/**
 * The session calls of the commit path, as raw wasm exports: numbers and pointers only, none of the JS
 * wrappers' argument conversions (a fresh C string for the schema name on every commit, among them).
 */
interface SessionExports {
  sqlite3session_create(db: number, schema: number, out: number): number;
  sqlite3session_attach(session: number, table: number): number;
  sqlite3session_object_config(session: number, op: number, arg: number): number;
  sqlite3session_changeset(session: number, nOut: number, pOut: number): number;
  sqlite3session_delete(session: number): void;
  sqlite3session_isempty(session: number): number;
}
interface Capi {
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
  allocCString(text: string): number;
  dealloc(p: number): void;
  exports: SessionExports;
}

/**
 * `'main'` as a C string, made once per SQLite instance (one per object worker; unit tests make many, and a
 * pointer means nothing in another instance's memory): every commit's session is created on it.
 */
const mainSchemas = new WeakMap<Wasm, number>();

function mainSchema(wasm: Wasm): number {
  let pointer = mainSchemas.get(wasm);
  if (pointer === undefined) mainSchemas.set(wasm, (pointer = wasm.allocCString('main')));
  return pointer;
}

/** The history's commit statements, prepared once per history database (its `close()` finalizes them). */
interface HistoryStatements {
  readonly history: SqliteDb;
  readonly begin: SqliteStatement;
  readonly insert: SqliteStatement;
  readonly recorded: SqliteStatement;
  readonly commit: SqliteStatement;
}

export class PointInTimeRecovery {
  readonly #db: SqliteDb;
  readonly #sqlite3: Sqlite3;
  #historyDb: SqliteDb | undefined;
  /** Makes the history of a brand-new object when it is first needed (see the constructor). */
  #openHistory: (() => SqliteDb) | undefined;
  /** Closes and deletes the history's files (see #drop). */
  readonly #dropFiles: (history: SqliteDb) => void;
  readonly #capi: Capi;
  readonly #wasm: Wasm;
  readonly #raw: SessionExports;
  #statements: HistoryStatements | undefined;
  readonly #objectTag: string;
  readonly #windowMs: number;
  readonly #maxBytes: number;
  #session = 0;
  #lastAt = 0;
  /** Bytes of changesets the history holds (kept here so a commit does not have to sum them). */
  #bytes = 0;
  #sincePrune = 0;
  /** The session holds a committed commit's changes, not yet taken (`#take` runs in a task after the commit). */
  #takeDue = false;
  /** When that commit finished. */
  #committedAt = 0;
  /** Changesets taken and not yet written, oldest first. */
  #unwritten: { at: number; changes: Uint8Array }[] = [];
  /**
   * The batch's number: the database's `user_version`, which the first commit of each batch raises. The
   * history's `recorded.version` says which batch it holds everything of (see the header).
   */
  #version = 0;
  /** A commit of the current batch raised `#version`, and the batch is not yet in the history. */
  #batchOpen = false;
  /** A changeset could not be taken (a watched table was altered): the next write starts the history anew. */
  #restart = false;
  #batchTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * `history`: the object's history database (sqlite-open.ts `openSiblingDatabase(db, PITR_FILE)`), or, when it
   * does not exist yet, what creates it. A brand-new object (no history, an empty database) creates it when it
   * first writes a batch, after its first replies — not during its cold start, where it cost ~12 ms
   * (docs/performance.md, step 21) — and an object that never writes never creates one.
   */
  constructor(
    sqlite3: Sqlite3,
    db: SqliteDb,
    history: SqliteDb | (() => SqliteDb),
    txn: ImplicitTransaction,
    objectId: string,
    limits: { windowMs?: number; maxBytes?: number } = {},
    dropFiles: (history: SqliteDb) => void = (history) => history.close(),
  ) {
    this.#windowMs = limits.windowMs ?? PITR_WINDOW_MS;
    this.#maxBytes = limits.maxBytes ?? PITR_MAX_BYTES;
    this.#db = db;
    this.#sqlite3 = sqlite3;
    this.#dropFiles = dropFiles;
    this.#capi = sqlite3.capi as unknown as Capi;
    this.#wasm = sqlite3.wasm as unknown as Wasm;
    this.#raw = this.#wasm.exports;
    this.#objectTag = objectId.slice(0, 32).padEnd(32, '0');
    const hasData = trusted(db, () => db.selectValue('SELECT 1 FROM sqlite_master LIMIT 1')) !== undefined;
    const dataVersion = trusted(db, () => db.selectValue('PRAGMA user_version')) as number;
    if (typeof history === 'function' && !hasData && dataVersion === 0) {
      this.#openHistory = history;
    } else {
      this.#historyDb = typeof history === 'function' ? history() : history;
      this.#initHistory(this.#historyDb, hasData, dataVersion);
    }
    this.#startSession();
    txn.beforeWrite = () => this.#takeNow();
    txn.onCommit = () => this.#openBatch();
    txn.afterCommit = () => this.#committed();
  }

  /** Make the history's tables, and find whether it still reaches back (see the header). */
  #initHistory(history: SqliteDb, hadData: boolean, dataVersion: number): void {
    const fresh = history.selectValue("SELECT 1 FROM sqlite_master WHERE name = 'history'") === undefined;
    history.exec(
      'BEGIN;' +
        'CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, changes BLOB NOT NULL);' +
        'CREATE TABLE IF NOT EXISTS pending (id INTEGER PRIMARY KEY CHECK (id = 1), bookmark TEXT NOT NULL);' +
        'CREATE TABLE IF NOT EXISTS pending_image (id INTEGER PRIMARY KEY CHECK (id = 1), image BLOB NOT NULL);' +
        'CREATE TABLE IF NOT EXISTS recorded (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);' +
        'COMMIT;',
    );
    // Histories written before image entries existed have no `image` column.
    const columns = history.selectValues("SELECT name FROM pragma_table_info('history')") as string[];
    if (!columns.includes('image')) history.exec('ALTER TABLE history ADD COLUMN image INTEGER NOT NULL DEFAULT 0');
    this.#lastAt = Math.max(this.#lastAt, (history.selectValue('SELECT max(at) FROM history') as number | null) ?? 0);
    const recorded = (history.selectValue('SELECT version FROM recorded') as number | undefined) ?? 0;
    // Never lower: a crash right after a whole-database replacement leaves the copied image's number behind.
    this.#version = Math.max(this.#version, dataVersion, recorded);
    // A new history beside a database that already held data (its history was dropped) cannot reach the states
    // before it; nor can a history whose last batch was never written (the last session ended inside one).
    if ((fresh && hadData) || dataVersion > recorded) this.#startAnew();
    else if (!fresh) this.#prune(Date.now());
  }

  // ---- capture (the commit path: keep it small) ----

  #startSession(): void {
    if (this.#session || !this.#available) return;
    const { pstack } = this.#wasm;
    const stack = pstack.pointer;
    try {
      const out = pstack.allocPtr();
      check(this.#raw.sqlite3session_create(this.#db.pointer as number, mainSchema(this.#wasm), out), 'sqlite3session_create');
      this.#session = this.#wasm.peekPtr(out);
      const flag = pstack.alloc(4);
      this.#wasm.poke32(flag, 1);
      this.#raw.sqlite3session_object_config(this.#session, SQLITE_SESSION_OBJCONFIG_ROWID, flag);
      check(this.#raw.sqlite3session_attach(this.#session, 0), 'sqlite3session_attach');
    } finally {
      pstack.restore(stack);
    }
  }

  #endSession(): void {
    if (this.#session) this.#raw.sqlite3session_delete(this.#session);
    this.#session = 0;
  }

  /** There is a history, open or to be made. */
  get #available(): boolean {
    return this.#historyDb !== undefined || this.#openHistory !== undefined;
  }

  get #history(): SqliteDb {
    if (this.#historyDb) return this.#historyDb;
    const open = this.#openHistory;
    if (!open) throw new Error(HISTORY_DROPPED);
    this.#openHistory = undefined;
    const made = open();
    this.#historyDb = made;
    try {
      this.#initHistory(made, false, 0);
    } catch (error) {
      this.#drop();
      throw error;
    }
    return made;
  }

  /** Give up the history for this session (its write failed); the next session starts a new one. */
  #drop(): void {
    this.#endSession();
    clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
    this.#unwritten = [];
    this.#takeDue = false;
    this.#openHistory = undefined;
    const history = this.#historyDb;
    this.#historyDb = undefined;
    if (history) this.#dropFiles(history);
  }

  /**
   * Inside the committing transaction, just before COMMIT: the first commit
   * of a batch raises the database's batch number, in the same commit as its
   * data, so the next session can tell the history never got this batch.
   */
  #openBatch(): void {
    if (this.#batchOpen || !this.#session || !this.#available || this.#raw.sqlite3session_isempty(this.#session)) return;
    // A pragma takes no parameters; the number is an integer this object made.
    this.#db.exec(`PRAGMA user_version = ${this.#version + 1}`);
    this.#version++;
    this.#batchOpen = true;
  }

  /** After a successful commit: its changes are taken in a task of their own, after the replies it releases. */
  #committed(): void {
    if (!this.#session) return;
    this.#committedAt = Date.now();
    this.#takeDue = true;
    macrotask(() => this.#takeNow());
  }

  /** Take the last commit's changeset now, if it waits: before any write adds to the session. */
  #takeNow(): void {
    if (!this.#takeDue) return;
    this.#takeDue = false;
    if (!this.#session || !this.#available) return;
    let changes: Uint8Array | undefined;
    try {
      // The session reads the tables it watches with SQL of its own, which the app's authorizer would refuse.
      changes = trusted(this.#db, () => this.#take((nOut, pOut) => this.#raw.sqlite3session_changeset(this.#session, nOut, pOut)));
    } catch {
      // This commit cannot be recorded — most often a watched table's schema changed (ALTER TABLE, SQLite's
      // SQLITE_SCHEMA) — so no earlier state can be restored faithfully any more. The commit itself stands, and
      // this runs after it, where a throw would reach no one: start the history anew.
      this.#restart = true;
      this.#unwritten = [];
    }
    this.#endSession();
    this.#startSession();
    if (changes?.length) {
      // Strictly increasing times keep bookmarks in order even within one millisecond.
      const at = Math.max(this.#committedAt, this.#lastAt + 1);
      this.#lastAt = at;
      this.#unwritten.push({ at, changes });
    }
    this.#batchTimer ??= setTimeout(() => this.#writeBatch(), BATCH_MS);
  }

  /** Write the batch: its changesets and the batch number they complete, in one history commit. */
  #writeBatch(): void {
    clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
    // No write has begun since the commit the session holds, or it would have been taken already.
    this.#takeNow();
    if (!this.#available || (!this.#batchOpen && !this.#restart && this.#unwritten.length === 0)) return;
    const entries = this.#unwritten;
    try {
      // A brand-new object's history is made here, after its first replies.
      this.#commitEntries(this.#history, entries);
    } catch {
      // The history could not be written (e.g. the origin is out of quota): the app's own commits are not
      // affected, but no bookmark before this gap is valid any more. The failed write's frames stay in the
      // history's WAL, holding quota the app's own commits need, and SQLite cannot free them (a checkpoint
      // writes too): drop the history's files. The next session starts a new history.
      this.#drop();
      return;
    }
    this.#unwritten = [];
    this.#batchOpen = false;
    for (const { changes } of entries) this.#bytes += changes.length;
    this.#sincePrune += entries.length;
    if (this.#bytes > this.#maxBytes || this.#sincePrune >= 256) this.#prune(entries.at(-1)?.at ?? Date.now());
  }

  /**
   * In one history commit: the barrier, if the history starts anew; `entries`;
   * and the batch number the history now holds everything up to.
   */
  #commitEntries(history: SqliteDb, entries: { at: number; changes: Uint8Array }[]): void {
    const statements = this.#statementsFor(history);
    runStatement(statements.begin);
    try {
      if (this.#restart) this.#barrier(history);
      for (const { at, changes } of entries) runStatement(statements.insert.bind([at, changes]));
      runStatement(statements.recorded.bind([this.#version]));
      runStatement(statements.commit);
    } catch (error) {
      try {
        history.exec('ROLLBACK');
      } catch {
        // Already rolled back by the failure itself.
      }
      throw error;
    }
    this.#restart = false;
  }

  #statementsFor(history: SqliteDb): HistoryStatements {
    if (this.#statements?.history === history) return this.#statements;
    this.#statements = {
      history,
      begin: history.prepare('BEGIN'),
      insert: history.prepare('INSERT INTO history (at, changes) VALUES (?, ?)'),
      recorded: history.prepare('INSERT OR REPLACE INTO recorded (id, version) VALUES (1, ?)'),
      commit: history.prepare('COMMIT'),
    };
    return this.#statements;
  }

  /**
   * Inside an open history transaction: forget every entry and mark where the
   * history starts again. No bookmark before the barrier is accepted.
   */
  #barrier(history: SqliteDb): void {
    const at = Math.max(Date.now(), this.#lastAt + 1);
    this.#lastAt = at;
    const seq = ((history.selectValue('SELECT max(seq) FROM history') as number | null) ?? 0) + 1;
    history.exec({ sql: "DELETE FROM history; INSERT INTO history (seq, at, changes, image) VALUES (?, ?, x'', ?)", bind: [seq, at, BARRIER] });
    this.#bytes = 0;
  }

  /** At start-up: the history cannot reach back past now (see the constructor). */
  #startAnew(): void {
    this.#restart = true;
    this.#commitEntries(this.#history, []);
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

  /** The entry a bookmark names, if the history still reaches it. Reading the history writes what waits first. */
  #parse(bookmark: unknown): number {
    this.#writeBatch();
    const match = typeof bookmark === 'string' ? /^([0-9a-f]{8})-([0-9a-f]{8})-([0-9a-f]{8})-([0-9a-f]{32})$/.exec(bookmark) : null;
    if (!match || match[4] !== this.#objectTag) throw new Error(NOT_FOUND);
    const at = parseInt(match[1]!, 16) * 2 ** 32 + parseInt(match[2]!, 16);
    const seq = parseInt(match[3]!, 16);
    const oldest = this.#history.selectArray('SELECT seq, image FROM history ORDER BY seq LIMIT 1') as [number, number] | undefined;
    if (seq > this.#latest().seq) throw new Error(NOT_FOUND);
    if (oldest) {
      // The state just before the oldest entry is reachable (invert them all), unless a barrier begins the history.
      if (seq < oldest[0] - (oldest[1] === BARRIER ? 0 : 1)) throw new Error(NOT_FOUND);
      // An entry still kept must be the one the bookmark was made for (not a later history's with the same number).
      if (seq >= oldest[0] && this.#history.selectValue('SELECT at FROM history WHERE seq = ?', [seq]) !== at) throw new Error(NOT_FOUND);
    } else if (seq !== 0) {
      throw new Error(NOT_FOUND);
    }
    return seq;
  }

  #latest(): { seq: number; at: number } {
    this.#writeBatch();
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
    this.#writeBatch();
    const row = this.#history.selectArray('SELECT seq, at FROM history WHERE at <= ? ORDER BY seq DESC LIMIT 1', [time]) as
      | [number, number]
      | undefined;
    if (row) return this.#bookmark(row[0], row[1]);
    const oldest = this.#history.selectArray('SELECT seq, at, image FROM history ORDER BY seq LIMIT 1') as [number, number, number] | undefined;
    // Before the first recorded change: the empty state, if the history reaches back that far.
    if (!oldest || (oldest[0] === 1 && oldest[2] !== BARRIER)) return this.#bookmark(0, 0);
    return this.#bookmark(oldest[0], oldest[1]);
  }

  /** Remember `bookmark` for the next session. Returns the bookmark that undoes the restore. */
  restoreOnNextSession(bookmark: string): string {
    this.#parse(bookmark);
    const undo = this.current();
    // The last wish wins: a bookmark restore replaces a snapshot restore asked for before it.
    this.#history.exec({
      sql: 'DELETE FROM pending_image; INSERT OR REPLACE INTO pending (id, bookmark) VALUES (1, ?)',
      bind: [bookmark],
    });
    return undo;
  }

  /**
   * Remember a snapshot's image for the next session, with `kv` (encoded
   * `kvData` entries) written over it now. Returns the bookmark that undoes it.
   */
  restoreImageOnNextSession(image: Uint8Array, kv: [string, Uint8Array][] | undefined): string {
    const staged = kv?.length ? withKv(this.#sqlite3, image, kv) : image;
    const undo = this.current();
    const history = this.#history;
    history.exec('BEGIN');
    try {
      history.exec('DELETE FROM pending');
      history.exec({ sql: 'INSERT OR REPLACE INTO pending_image (id, image) VALUES (1, ?)', bind: [staged] });
      history.exec('COMMIT');
    } catch (error) {
      history.exec('ROLLBACK');
      throw error;
    }
    return undo;
  }

  /**
   * The database as it was at `bookmark`, as a copy in memory (the caller
   * closes it). The caller commits pending writes first.
   */
  stateAt(bookmark: string): SqliteDb {
    return this.#stateAt(this.#parse(bookmark));
  }

  #stateAt(target: number): SqliteDb {
    const image = this.#history.selectArray('SELECT seq, changes FROM history WHERE seq > ? AND image = 1 ORDER BY seq LIMIT 1', [target]) as
      | [number, Uint8Array]
      | undefined;
    // From the image stored just before the first replacement after `target`, or from the database now.
    const memory = image ? openImage(this.#sqlite3, image[1]) : memoryCopy(this.#sqlite3, this.#db);
    try {
      const entries = this.#history.selectArrays('SELECT changes FROM history WHERE seq > ? AND seq < ? AND image = 0 ORDER BY seq DESC', [
        target,
        image ? image[0] : Number.MAX_SAFE_INTEGER,
      ]) as [Uint8Array][];
      for (const [changes] of entries) this.#applyInverse(memory, changes);
      return memory;
    } catch (error) {
      memory.close();
      throw error;
    }
  }

  /**
   * At the start of a session, before the class is constructed: apply a
   * pending restore, if any, as one commit (recorded like any other, which is
   * what lets the undo bookmark reverse it).
   */
  applyPendingRestore(txn: ImplicitTransaction): boolean {
    if (!this.#historyDb) return false; // none yet (a brand-new object), so no restore was asked for
    const pendingImage = this.#history.selectValue('SELECT image FROM pending_image WHERE id = 1') as Uint8Array | undefined;
    if (pendingImage) {
      const memory = openImage(this.#sqlite3, pendingImage);
      try {
        // The alarm is not copied (DO-API §5.7): the object keeps its own.
        copyAlarmRow(this.#db, memory);
        this.#replaceWith(txn, memory);
      } finally {
        memory.close();
      }
      this.#history.exec('DELETE FROM pending_image');
      return true;
    }
    const bookmark = this.#history.selectValue('SELECT bookmark FROM pending WHERE id = 1') as string | undefined;
    if (bookmark === undefined) return false;
    let target: number | undefined;
    try {
      target = this.#parse(bookmark);
    } catch {
      target = undefined; // out of the window by now: nothing to restore to
    }
    const crossesImage =
      target !== undefined && this.#history.selectValue('SELECT 1 FROM history WHERE seq > ? AND image = 1 LIMIT 1', [target]) !== undefined;
    if (target !== undefined && crossesImage) {
      const memory = this.#stateAt(target);
      try {
        this.#replaceWith(txn, memory);
      } finally {
        memory.close();
      }
    } else if (target !== undefined) {
      const entries = this.#history.selectArrays('SELECT changes FROM history WHERE seq > ? AND image = 0 ORDER BY seq DESC', [target]) as [
        Uint8Array,
      ][];
      txn.beginWrite();
      trusted(this.#db, () => {
        for (const [changes] of entries) this.#applyInverse(this.#db, changes);
      });
      txn.commit();
    }
    this.#history.exec('DELETE FROM pending');
    return target !== undefined;
  }

  /**
   * Replace the whole database with a validated image now (the devtools'
   * import), recorded as a replacement so earlier bookmarks still restore.
   */
  importImage(txn: ImplicitTransaction, image: Uint8Array): void {
    const memory = openImage(this.#sqlite3, image);
    try {
      this.#replaceWith(txn, memory);
    } finally {
      memory.close();
    }
  }

  /**
   * Replace the whole database with `memory`'s pages. The state replaced is
   * stored first as an image entry (durable before the data, as every entry
   * is), so a bookmark from before still restores.
   */
  #replaceWith(txn: ImplicitTransaction, memory: SqliteDb): void {
    txn.commit();
    this.#writeBatch();
    const before = exportDatabase(this.#sqlite3, this.#db);
    const at = Math.max(Date.now(), this.#lastAt + 1);
    this.#history.exec({ sql: 'INSERT INTO history (at, changes, image) VALUES (?, ?, 1)', bind: [at, before] });
    this.#lastAt = at;
    this.#bytes += before.length;
    // Pages are copied, not rows: no session may watch (its view of the tables would be stale).
    this.#endSession();
    try {
      copyDatabase(this.#sqlite3, this.#db, memory);
      // The copy brought the image's header, batch number included: put this object's back.
      trusted(this.#db, () => this.#db.exec(`PRAGMA user_version = ${this.#version}`));
    } finally {
      this.#startSession();
    }
    txn.schemaGeneration++;
    if (this.#bytes > this.#maxBytes) this.#prune(at);
  }

  #applyInverse(db: SqliteDb, changes: Uint8Array): void {
    const p = this.#wasm.allocFromTypedArray(changes);
    try {
      const inverse = this.#take((nOut, pOut) => this.#capi.sqlite3changeset_invert(changes.length, p, nOut, pOut));
      const q = this.#wasm.allocFromTypedArray(inverse);
      try {
        // A row that no longer matches (e.g. its table was dropped and made again) is left as it is.
        check(this.#capi.sqlite3changeset_apply(db.pointer as number, inverse.length, q, 0, () => SQLITE_CHANGESET_OMIT, 0), 'sqlite3changeset_apply');
      } finally {
        this.#wasm.dealloc(q);
      }
    } finally {
      this.#wasm.dealloc(p);
    }
  }

  /** Run `fn` (a wipe that drops tables, which sessions cannot record) with no session attached. */
  outsideHistory<T>(fn: () => T): T {
    this.#writeBatch();
    this.#endSession();
    try {
      return fn();
    } finally {
      this.#startSession();
    }
  }

  close(): void {
    try {
      this.#writeBatch();
    } catch (error) {
      console.warn('[hearth] writing the last point-in-time recovery batch failed', error);
    }
    clearTimeout(this.#batchTimer);
    this.#endSession();
    this.#historyDb?.close();
    this.#historyDb = undefined;
  }
}

/** The image with KV entries (already encoded by the storage's serializer) written over it. */
function withKv(sqlite3: Sqlite3, image: Uint8Array, entries: [string, Uint8Array][]): Uint8Array {
  const memory = openImage(sqlite3, image);
  try {
    memory.exec(CREATE_KV_TABLE);
    for (const [key, value] of entries) memory.exec({ sql: 'INSERT OR REPLACE INTO _cf_KV (key, value) VALUES (?, ?)', bind: [key, value] });
    return serializeMemory(sqlite3, memory);
  } finally {
    memory.close();
  }
}

function check(rc: number, what: string): void {
  if (rc !== 0) throw Object.assign(new Error(`point-in-time recovery: ${what} failed (SQLite code ${rc})`), { rc });
}
