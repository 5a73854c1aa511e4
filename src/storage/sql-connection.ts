/**
 * An object's secured SQLite connection: the low-level sqlite-wasm handles the
 * SQL API needs, plus the two modes SQL runs in.
 *
 *  - **User SQL** (`ctx.storage.sql.exec`) is checked by the authorizer
 *    (`sql-authorizer.ts`) and runs under the limits (`sql-limits.ts`), with
 *    `SQLITE_DBCONFIG_DEFENSIVE` on, as workerd's `setupSecurity` does.
 *  - **Trusted SQL** (Hearth's own: the `_cf_KV` table, the implicit
 *    transaction's BEGIN/COMMIT, savepoints, deleteAll, databaseSize) runs
 *    inside `trusted(fn)`, which the authorizer lets through.
 *
 * Invariants of trusted mode:
 *  - It is a depth counter, not a flag: trusted sections may nest (a KV write
 *    opens the implicit transaction, itself trusted), and `finally` restores
 *    the depth however a section ends, so an exception can never leave the
 *    connection trusted.
 *  - A trusted section never calls user code. Serializing a value (which can
 *    run getters) and deserializing happen outside it; only SQL runs inside.
 *  - SQLite consults the authorizer when it compiles a statement, and again
 *    when `sqlite3_step` recompiles one after a schema change. So an internal
 *    statement must be *stepped* inside `trusted()` too, and a user cursor is
 *    always stepped outside it (cursors are driven by user code, which never
 *    runs inside a trusted section).
 *
 * Each object worker opens one database, so one connection exists per worker;
 * the registry below lets code that only holds the `Database` find it.
 */
import { authorize } from './sql-authorizer.ts';
import { fromOo1Error, sqliteError, TRANSACTION_STATEMENTS_FORBIDDEN, type ErrorCapi } from './sql-errors.ts';
import { applySqlLimits, SQLITE_LIMIT, type SqlLimitName, type SqlLimitProfile } from './sql-limits.ts';
import { isSchemaAction, type SchemaAction } from './sql-schema-counts.ts';
import { takeQuotaFault } from './storage-faults.ts';
import type { Sqlite3, SqliteDb, SqliteStatement } from './sqlite-types.ts';

export const SQLITE_OK = 0;
export const SQLITE_DENY = 1;
export const SQLITE_AUTH = 23;
export const SQLITE_ROW = 100;
export const SQLITE_DONE = 101;
const SQLITE_DBCONFIG_DEFENSIVE = 1010;
export const SQLITE_STMTSTATUS_FULLSCAN_STEP = 1;

/** The C API through sqlite-wasm's JS wrappers (string conversions, callbacks). */
export interface Capi extends ErrorCapi {
  sqlite3_set_authorizer(
    pDb: number,
    callback: (pV: number, action: number, p1: string | 0, p2: string | 0, db: string | 0, trigger: string | 0) => number,
    pUserData: number,
  ): number;
  sqlite3_db_config(pDb: number, op: number, value: number, pOut: number): number;
  sqlite3_limit(pDb: number, id: number, value: number): number;
  sqlite3_column_name(pStmt: number, i: number): string;
  sqlite3_bind_text(pStmt: number, i: number, pText: number, n: number, destructor: number): number;
  sqlite3_bind_blob(pStmt: number, i: number, data: Uint8Array, n: number, destructor: number): number;
  SQLITE_WASM_DEALLOC: number;
}

/** Raw wasm exports: no argument adapters, for the hot paths (numbers and pointers only). */
export interface RawSqlite {
  sqlite3_prepare_v3(pDb: number, pSql: number, nBytes: number, flags: number, ppStmt: number, ppTail: number): number;
  sqlite3_step(pStmt: number): number;
  sqlite3_reset(pStmt: number): number;
  sqlite3_clear_bindings(pStmt: number): number;
  sqlite3_finalize(pStmt: number): number;
  sqlite3_bind_parameter_count(pStmt: number): number;
  sqlite3_bind_double(pStmt: number, i: number, value: number): number;
  sqlite3_bind_null(pStmt: number, i: number): number;
  sqlite3_column_count(pStmt: number): number;
  sqlite3_column_type(pStmt: number, i: number): number;
  sqlite3_column_double(pStmt: number, i: number): number;
  sqlite3_column_text(pStmt: number, i: number): number;
  sqlite3_column_blob(pStmt: number, i: number): number;
  sqlite3_column_bytes(pStmt: number, i: number): number;
  sqlite3_stmt_readonly(pStmt: number): number;
  sqlite3_stmt_status(pStmt: number, op: number, reset: number): number;
  sqlite3_total_changes(pDb: number): number;
}

export interface Wasm {
  allocCString(s: string, returnWithLength: true): [number, number];
  dealloc(p: number): void;
  heap8u(): Uint8Array;
  peekPtr(p: number): number;
  pstack: { pointer: number; allocPtr(): number; restore(p: number): void };
}

const connections = new WeakMap<SqliteDb, SqlConnection>();

export class SqlConnection {
  readonly db: SqliteDb;
  readonly pDb: number;
  readonly capi: Capi;
  readonly raw: RawSqlite;
  readonly wasm: Wasm;
  #trustedDepth = 0;
  /**
   * The authorizer refused a transaction statement while compiling user SQL:
   * the error to raise instead of SQLite's `not authorized`. Cleared before
   * every user compile.
   */
  pendingAuthError: Error | undefined;
  /**
   * The first create or drop of a schema object the authorizer allowed while
   * compiling user SQL: what the statement does to the schema, for its row
   * counters (`sql-schema-counts.ts`). Cleared before every user compile.
   */
  schemaAction: SchemaAction | undefined;

  private constructor(sqlite3: Sqlite3, db: SqliteDb) {
    this.db = db;
    this.pDb = db.pointer as number;
    this.capi = sqlite3.capi as unknown as Capi;
    this.wasm = sqlite3.wasm as unknown as Wasm;
    this.raw = (sqlite3.wasm as unknown as { exports: RawSqlite }).exports;
  }

  /**
   * Secure `db` as workerd does (defensive mode, limits, authorizer) and
   * register its connection. Call once, right after opening, before any user SQL.
   */
  static secure(sqlite3: Sqlite3, db: SqliteDb, profile: SqlLimitProfile = 'production'): SqlConnection {
    const conn = new SqlConnection(sqlite3, db);
    conn.capi.sqlite3_db_config(conn.pDb, SQLITE_DBCONFIG_DEFENSIVE, 1, 0);
    applySqlLimits((p, id, value) => conn.capi.sqlite3_limit(p, id, value), conn.pDb, profile);
    const rc = conn.capi.sqlite3_set_authorizer(
      conn.pDb,
      (_pV, action, p1, p2, dbName, trigger) => conn.#authorize(action, p1, p2, dbName, trigger),
      0,
    );
    if (rc !== SQLITE_OK) throw sqliteError(conn.capi, conn.pDb, rc);
    connections.set(db, conn);
    return conn;
  }

  /** The connection secured for `db`, if any. */
  static of(db: SqliteDb): SqlConnection | undefined {
    return connections.get(db);
  }

  get isTrusted(): boolean {
    return this.#trustedDepth > 0;
  }

  /** Run Hearth's own SQL: the authorizer allows everything while `fn` runs. */
  trusted<T>(fn: () => T): T {
    this.#trustedDepth++;
    try {
      return fn();
    } finally {
      this.#trustedDepth--;
    }
  }

  /** The Cloudflare-format error for result code `rc` just returned on this connection. */
  error(rc: number): Error {
    return sqliteError(this.capi, this.pDb, rc);
  }

  /** Run `fn` with one limit changed (e.g. VACUUM needs one attached database). Trusted callers only. */
  withLimit<T>(name: SqlLimitName, value: number, fn: () => T): T {
    const previous = this.capi.sqlite3_limit(this.pDb, SQLITE_LIMIT[name], value);
    try {
      return fn();
    } finally {
      this.capi.sqlite3_limit(this.pDb, SQLITE_LIMIT[name], previous);
    }
  }

  /** Run `fn` with defensive mode off (it forbids dropping shadow tables, `writable_schema`…). Trusted callers only. */
  withoutDefensive<T>(fn: () => T): T {
    this.capi.sqlite3_db_config(this.pDb, SQLITE_DBCONFIG_DEFENSIVE, 0, 0);
    try {
      return fn();
    } finally {
      this.capi.sqlite3_db_config(this.pDb, SQLITE_DBCONFIG_DEFENSIVE, 1, 0);
    }
  }

  #authorize(action: number, p1: string | 0, p2: string | 0, dbName: string | 0, trigger: string | 0): number {
    if (this.#trustedDepth > 0) return SQLITE_OK;
    const text = (v: string | 0) => (typeof v === 'string' ? v : null);
    switch (authorize(action, text(p1), text(p2), text(dbName), text(trigger))) {
      case 'allow':
        if (this.schemaAction === undefined && isSchemaAction(action) && typeof p1 === 'string') {
          this.schemaAction = { action, name: p1 };
        }
        return SQLITE_OK;
      case 'transaction':
        this.pendingAuthError ??= new Error(TRANSACTION_STATEMENTS_FORBIDDEN);
        return SQLITE_DENY;
      case 'deny':
        return SQLITE_DENY;
    }
  }
}

/**
 * Step a prepared statement of Hearth's own that returns no rows, and reset it for its next use (bindings
 * cleared), whether or not the step threw.
 */
export function runStatement(statement: SqliteStatement): void {
  try {
    statement.step();
  } finally {
    statement.reset(true);
  }
}

/** Run `fn` as trusted SQL on `db`'s connection (or plainly, if `db` was never secured). */
export function trusted<T>(db: SqliteDb, fn: () => T): T {
  const conn = connections.get(db);
  return conn ? conn.trusted(fn) : fn();
}

/** Rewrite an exception from Hearth's own (oo1) SQL on `db` into Cloudflare's format. */
export function internalSqlError(db: SqliteDb, error: unknown): unknown {
  // A write the browser refused for quota reaches SQLite only as an I/O error (storage-faults.ts).
  const quota = takeQuotaFault('writing');
  if (quota) return Object.assign(quota, { durableObjectReset: true });
  const conn = connections.get(db);
  return conn ? fromOo1Error(conn.capi, error) : error;
}
