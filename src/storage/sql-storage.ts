/**
 * `ctx.storage.sql`: the `SqlStorage` API (DO-API.md §5.1–5.2; workerd
 * `api/sql.c++` and `SqliteDatabase::prepareSql`).
 *
 * `exec(query, ...bindings)`:
 *  - Compiles the statements of `query` one by one. Every statement but the
 *    last runs at once and its rows are dropped; it may not take parameters.
 *    Whitespace after a `;` ends the query; anything else (even a comment)
 *    must be a statement: `SQL code did not contain a statement.`
 *  - The last statement gets the bindings (exactly as many as it has
 *    parameters) and is returned as a cursor (`sql-cursor.ts`), after its
 *    first step.
 *  - A statement that is not read-only (`sqlite3_stmt_readonly`) first opens
 *    the turn's implicit transaction (`ImplicitTransaction.beginWrite`), as a
 *    KV write does, so SQL and KV writes commit together behind the output gate.
 *
 * Statement cache: single-statement queries keep their compiled statement,
 * keyed by the query text, least recently used first out beyond 1 MiB of SQL
 * (workerd's budget). A cached statement still being read by a cursor is not
 * shared: the query is compiled afresh.
 */
import type { ImplicitTransaction } from './implicit-transaction.ts';
import { SqlConnection, SQLITE_AUTH, SQLITE_DONE, SQLITE_ROW } from './sql-connection.ts';
import { cancelCursor, cursorIsLive, SqlStorageCursor, startCursor, type CursorOwner } from './sql-cursor.ts';
import type { SchemaAction } from './sql-schema-counts.ts';
import {
  isCriticalSqlError,
  NO_STATEMENT,
  ONLY_LAST_STATEMENT_PARAMETERS,
  WRONG_NUMBER_OF_BINDINGS,
} from './sql-errors.ts';
import { bindValue, toBinding, type SqlStorageValue } from './sql-values.ts';
import type { SqliteDb } from './sqlite-types.ts';
import { argumentError } from './webidl-arguments.ts';

export const SQL_NOT_ENABLED =
  "SQL is not enabled for this Durable Object class. To enable it, change `new_classes` to `new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file. If using workerd directly,set `enableSql = true` in your workerd config for the class. Note that this change cannot be made after the class is already deployed to production.";

const CACHE_BUDGET = 1024 * 1024;

interface CachedStatement {
  sql: string;
  pStmt: number;
  readonly: boolean;
  /** What the statement does to the schema, if anything (for its row counters). */
  schema: SchemaAction | undefined;
  busy: boolean;
  /** Evicted while busy: finalize on release. */
  evicted: boolean;
}

/** Whitespace that may follow the last statement (workerd's prepareSql). */
function isTrailingSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** Before the database is wiped or closed: end every live cursor and finalize every cached statement. */
export let releaseAllStatements: (sql: SqlStorage) => void;

/** `sql.Statement` (from the experimental `sql.prepare()`, which Hearth does not offer): not constructible. */
export class SqlStorageStatement {
  constructor() {
    throw new TypeError('Illegal constructor');
  }
}

export class SqlStorage {
  readonly #db: SqliteDb;
  readonly #txn: ImplicitTransaction;
  readonly #enabled: boolean;
  readonly #cache = new Map<string, CachedStatement>();
  #cacheBytes = 0;
  /** Statement pointer → its cached entry, for statements handed to cursors. */
  readonly #byPointer = new Map<number, CachedStatement | undefined>();
  /** Statements held by lazily-read cursors (weakly: a dropped cursor releases its statement when collected). */
  readonly #live = new Map<number, WeakRef<SqlStorageCursor> | undefined>();
  readonly #owner: CursorOwner;

  /** @internal Created by `DurableObjectStorage`. */
  constructor(db: SqliteDb, txn: ImplicitTransaction, enabled: boolean) {
    this.#db = db;
    this.#txn = txn;
    this.#enabled = enabled;
    this.#owner = {
      release: (pStmt) => this.#release(pStmt),
      onStepError: (error) => this.#onStepError(error),
    };
  }

  exec<T extends Record<string, SqlStorageValue> = Record<string, SqlStorageValue>>(
    query: string,
    ...bindings: unknown[]
  ): SqlStorageCursor<T> {
    // As in workerd: a missing query fails; any other value is converted to a string (`undefined` too).
    if (arguments.length === 0) throw argumentError('SqlStorage', 'exec', 1, 'JsString');
    const sql = `${query}`;
    // Arguments are converted before SQL is refused on a KV-backed class, as in workerd (a BigInt fails first).
    const values = bindings.map(toBinding);
    const conn = this.#connection();
    const { raw, capi, wasm } = conn;

    let entry = this.#cache.get(sql);
    let pStmt: number;
    let schema: SchemaAction | undefined;
    if (entry && !entry.busy) {
      pStmt = entry.pStmt;
      schema = entry.schema;
      this.#cache.delete(sql); // refresh its place in the LRU order
      this.#cache.set(sql, entry);
    } else {
      const compiled = this.#compile(conn, sql);
      pStmt = compiled.pStmt;
      schema = compiled.schema;
      entry = compiled.single && !entry ? this.#remember(sql, pStmt, schema) : undefined;
    }
    if (entry) entry.busy = true;
    this.#byPointer.set(pStmt, entry);

    if (raw.sqlite3_bind_parameter_count(pStmt) !== values.length) {
      this.#release(pStmt);
      throw new Error(WRONG_NUMBER_OF_BINDINGS);
    }
    const readonly = entry ? entry.readonly : raw.sqlite3_stmt_readonly(pStmt) !== 0;
    this.#txn.monitor?.[readonly ? 'read' : 'write']('sql.exec');
    try {
      if (!readonly) this.#txn.beginWrite();
      for (let i = 0; i < values.length; i++) {
        const rc = bindValue(raw, capi, wasm, pStmt, i + 1, values[i]!);
        if (rc !== 0) throw conn.error(rc);
      }
    } catch (error) {
      this.#release(pStmt);
      throw error;
    }
    this.#live.set(pStmt, undefined);
    const cursor = startCursor<T>(conn, this.#owner, pStmt, readonly, schema);
    if (cursorIsLive(cursor)) this.#live.set(pStmt, new WeakRef(cursor as unknown as SqlStorageCursor));
    return cursor;
  }

  /** Bytes the database occupies: (pages − free pages) × page size. */
  get databaseSize(): number {
    const conn = this.#connection();
    return conn.trusted(() => {
      const pages = conn.db.selectValue(
        'SELECT (SELECT * FROM pragma_page_count) - (SELECT * FROM pragma_freelist_count)',
      ) as number;
      return pages * (conn.db.selectValue('PRAGMA page_size') as number);
    });
  }

  get Cursor(): typeof SqlStorageCursor {
    return SqlStorageCursor;
  }

  get Statement(): typeof SqlStorageStatement {
    return SqlStorageStatement;
  }

  // Hearth's own handle, kept off the public surface of `storage.sql`.
  static {
    releaseAllStatements = (sql) => sql.#releaseAll();
  }

  /** End every live cursor (their statements would keep tables locked) and drop the cache. */
  #releaseAll(): void {
    for (const ref of [...this.#live.values()]) {
      const cursor = ref?.deref();
      if (cursor) cancelCursor(cursor);
    }
    for (const pStmt of [...this.#live.keys()]) this.#release(pStmt);
    const raw = SqlConnection.of(this.#db)?.raw;
    for (const entry of this.#cache.values()) {
      if (entry.busy) entry.evicted = true;
      else raw?.sqlite3_finalize(entry.pStmt);
    }
    this.#cache.clear();
    this.#cacheBytes = 0;
  }

  #connection(): SqlConnection {
    if (!this.#enabled) throw new Error(SQL_NOT_ENABLED);
    if (this.#txn.broken) throw this.#txn.broken;
    const conn = SqlConnection.of(this.#db);
    if (!conn) throw new Error('Durable Object storage is not open.');
    return conn;
  }

  /**
   * Compile `sql`, running every statement but the last. Returns the last
   * statement, and whether it was the only one (only those are cached).
   */
  #compile(conn: SqlConnection, sql: string): { pStmt: number; single: boolean; schema: SchemaAction | undefined } {
    const { raw, wasm, pDb } = conn;
    const [pSql, nBytes] = wasm.allocCString(sql, true);
    const stack = wasm.pstack.pointer;
    try {
      const ppStmt = wasm.pstack.allocPtr();
      const ppTail = wasm.pstack.allocPtr();
      const end = pSql + nBytes;
      let pos = pSql;
      for (let first = true; ; first = false) {
        conn.pendingAuthError = undefined;
        conn.schemaAction = undefined;
        const rc = raw.sqlite3_prepare_v3(pDb, pos, end - pos, 0, ppStmt, ppTail);
        const schema = conn.schemaAction;
        conn.schemaAction = undefined;
        if (rc !== 0) {
          const authError = conn.pendingAuthError;
          conn.pendingAuthError = undefined;
          if ((rc & 0xff) === SQLITE_AUTH && authError) throw authError;
          throw conn.error(rc);
        }
        const pStmt = wasm.peekPtr(ppStmt);
        if (!pStmt) throw new Error(NO_STATEMENT);
        let tail = wasm.peekPtr(ppTail);
        const heap = wasm.heap8u();
        while (tail < end && isTrailingSpace(heap[tail]!)) tail++;
        if (tail >= end) return { pStmt, single: first, schema };
        // Not the last statement: run it now and drop its rows.
        try {
          if (raw.sqlite3_bind_parameter_count(pStmt) !== 0) throw new Error(ONLY_LAST_STATEMENT_PARAMETERS);
          if (!raw.sqlite3_stmt_readonly(pStmt)) this.#txn.beginWrite();
          const step = raw.sqlite3_step(pStmt);
          if (step !== SQLITE_ROW && step !== SQLITE_DONE) {
            const error = conn.error(step);
            this.#onStepError(error);
            throw error;
          }
        } finally {
          raw.sqlite3_finalize(pStmt);
        }
        pos = tail;
      }
    } finally {
      wasm.pstack.restore(stack);
      wasm.dealloc(pSql);
    }
  }

  #remember(sql: string, pStmt: number, schema: SchemaAction | undefined): CachedStatement {
    const raw = SqlConnection.of(this.#db)!.raw;
    const entry: CachedStatement = {
      sql,
      pStmt,
      readonly: raw.sqlite3_stmt_readonly(pStmt) !== 0,
      schema,
      busy: false,
      evicted: false,
    };
    this.#cache.set(sql, entry);
    this.#cacheBytes += sql.length;
    for (const [key, old] of this.#cache) {
      if (this.#cacheBytes <= CACHE_BUDGET || old === entry) break;
      this.#cache.delete(key);
      this.#cacheBytes -= key.length;
      if (old.busy) old.evicted = true;
      else raw.sqlite3_finalize(old.pStmt);
    }
    return entry;
  }

  /** A cursor is done with `pStmt` (or never got it): reset it for the cache, or finalize it. */
  #release(pStmt: number): void {
    if (!this.#byPointer.has(pStmt)) return; // already released
    const entry = this.#byPointer.get(pStmt);
    this.#byPointer.delete(pStmt);
    this.#live.delete(pStmt);
    const raw = SqlConnection.of(this.#db)?.raw;
    if (!raw) return;
    if (entry && !entry.evicted) {
      raw.sqlite3_reset(pStmt);
      raw.sqlite3_clear_bindings(pStmt);
      entry.busy = false;
    } else {
      raw.sqlite3_finalize(pStmt);
    }
  }

  #onStepError(error: Error): void {
    if (isCriticalSqlError(error)) this.#txn.breakWith(error);
  }
}
