/**
 * SQL errors with Cloudflare's texts (DO-API.md §5.2, workerd
 * `util/sqlite.c++` `dbErrorMessage` and `api/sql.c++`).
 *
 * An SQLite failure becomes a plain `Error` whose message is
 *
 *     <sqlite3_errmsg>[ at offset <sqlite3_error_offset>]: SQLITE_<CODE>[ (extended: SQLITE_<EXT>)]
 *
 * e.g. `near "SELEC": syntax error at offset 0: SQLITE_ERROR`, or
 * `UNIQUE constraint failed: t.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)`.
 * The offset is in UTF-8 bytes from the start of the statement being compiled,
 * and appears only when SQLite reports one. The extended code appears only
 * when it says more than the primary one.
 */

export const TRANSACTION_STATEMENTS_FORBIDDEN =
  'To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. The JavaScript API is safer because it will automatically roll back on exceptions, and because it interacts correctly with Durable Objects\' automatic atomic write coalescing.';
export const NO_STATEMENT = 'SQL code did not contain a statement.';
export const ONLY_LAST_STATEMENT_PARAMETERS =
  'When executing multiple SQL statements in a single call, only the last statement can have parameters.';
export const WRONG_NUMBER_OF_BINDINGS = 'Wrong number of parameter bindings for SQL query.';
export const EXPECTED_ONE_GOT_NONE = 'Expected exactly one result from SQL query, but got no results.';
export const EXPECTED_ONE_GOT_MANY = 'Expected exactly one result from SQL query, but got multiple results.';

/** SQLite result codes that mean the storage itself failed: the object is reset (workerd's "critical" errors). */
const CRITICAL_PRIMARY_CODES = new Set([
  7, // SQLITE_NOMEM
  9, // SQLITE_INTERRUPT
  10, // SQLITE_IOERR
  11, // SQLITE_CORRUPT
  13, // SQLITE_FULL
  26, // SQLITE_NOTADB
]);

export interface SqliteFailure {
  message: string;
  /** Byte offset into the statement, or -1. */
  offset: number;
  /** Primary code name, e.g. `SQLITE_CONSTRAINT`. */
  code: string;
  /** Extended code name, e.g. `SQLITE_CONSTRAINT_PRIMARYKEY` (may equal `code`). */
  extended?: string;
}

export function formatSqliteFailure({ message, offset, code, extended }: SqliteFailure): string {
  let text = message;
  if (offset >= 0) text += ` at offset ${offset}`;
  text += `: ${code}`;
  if (extended && extended !== code) text += ` (extended: ${extended})`;
  return text;
}

const SQLITE_CODE = Symbol('sqliteCode');

/**
 * A plain `Error`, as workerd throws, carrying the (extended) SQLite result
 * code under a private symbol for Hearth's own use.
 */
export function sqlError(message: string, sqliteCode: number): Error {
  const error = new Error(message);
  Object.defineProperty(error, SQLITE_CODE, { value: sqliteCode, enumerable: false });
  return error;
}

export function sqliteCodeOf(error: unknown): number | undefined {
  return (error as { [SQLITE_CODE]?: number } | null)?.[SQLITE_CODE];
}

/** A storage failure (disk full, I/O, corruption, out of memory): the object must be reset. */
export function isCriticalSqlError(error: unknown): boolean {
  const code = sqliteCodeOf(error);
  return code !== undefined && CRITICAL_PRIMARY_CODES.has(code & 0xff);
}

/** The parts of the sqlite-wasm C API this file needs. */
export interface ErrorCapi {
  sqlite3_errmsg(pDb: number): string;
  sqlite3_error_offset(pDb: number): number;
  sqlite3_extended_errcode(pDb: number): number;
  sqlite3_js_rc_str(rc: number): string | undefined;
}

export function codeName(capi: ErrorCapi, rc: number): string {
  return capi.sqlite3_js_rc_str(rc) ?? `SQLITE_UNKNOWN_ERROR_CODE(${rc})`;
}

/** The error for result code `rc` just returned by a call on connection `pDb`. */
export function sqliteError(capi: ErrorCapi, pDb: number, rc: number): Error {
  const extended = rc > 0xff ? rc : capi.sqlite3_extended_errcode(pDb) || rc;
  const message = formatSqliteFailure({
    message: capi.sqlite3_errmsg(pDb),
    offset: capi.sqlite3_error_offset(pDb),
    code: codeName(capi, rc & 0xff),
    extended: codeName(capi, extended),
  });
  return sqlError(message, extended);
}

/**
 * Rewrite an exception thrown by sqlite-wasm's `oo1` API (used for Hearth's
 * internal statements) into Cloudflare's format. Its message reads
 * `SQLITE_X: sqlite3 result code N: <errmsg>`.
 */
export function fromOo1Error(capi: ErrorCapi, error: unknown): unknown {
  const rc = (error as { resultCode?: unknown })?.resultCode;
  if (typeof rc !== 'number' || !(error instanceof Error)) return error;
  const match = /^SQLITE_\w+: sqlite3 result code \d+: ([\s\S]*)$/.exec(error.message);
  const message = formatSqliteFailure({
    message: match ? match[1]! : error.message,
    offset: -1,
    code: codeName(capi, rc & 0xff),
    extended: codeName(capi, rc),
  });
  return sqlError(message, rc);
}
