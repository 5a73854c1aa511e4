/**
 * `SqlStorageCursor`: the result of `sql.exec()` (DO-API.md §5.1–5.2).
 *
 * Reading contract (workerd `api/sql.c++`):
 *  - The statement runs when `exec()` is called: its first step happens
 *    before `exec()` returns, so errors of the first row (constraints, …)
 *    throw from `exec()` itself.
 *  - Read-only statements are then read lazily, one row ahead: returning a
 *    row steps to the next one, so the statement finishes as soon as its last
 *    row is returned. An error met while stepping ahead is held and thrown by
 *    the next read, so no row is lost to it.
 *  - Statements that write run to completion inside `exec()` (their
 *    `RETURNING` rows are kept in memory): a write never stays half-done in an
 *    open statement, where it would block the implicit transaction's COMMIT.
 *  - `next()`, the iterator, `raw()`, `toArray()` and `one()` share one
 *    position. `columnNames` stays readable after the end.
 *  - When the cursor ends (read to the end, `one()`, an error, the database
 *    being wiped, or the cursor being garbage-collected) its statement is
 *    released: reset and returned to the statement cache, or finalized.
 *
 * `rowsRead` / `rowsWritten`: workerd counts rows with a patched SQLite. Here
 * rows written are SQLite's change count during this cursor's steps (rows
 * inserted, updated or deleted, triggers included; index entries are not
 * counted separately), and rows read are the rows returned or, for a full
 * table scan, the rows the scan visited (`SQLITE_STMTSTATUS_FULLSCAN_STEP`).
 * Both grow as the cursor is read. Statements that create or drop schema
 * objects are counted as workerd counts them instead (`sql-schema-counts.ts`).
 */
import { EXPECTED_ONE_GOT_MANY, EXPECTED_ONE_GOT_NONE } from './sql-errors.ts';
import { SQLITE_DONE, SQLITE_ROW, SQLITE_STMTSTATUS_FULLSCAN_STEP, type SqlConnection } from './sql-connection.ts';
import { countSchemaChange, type SchemaAction, type SchemaCounts } from './sql-schema-counts.ts';
import { readRow, toRowObject, type SqlStorageValue } from './sql-values.ts';

type Row = Record<string, SqlStorageValue>;
/** At the end, `value` is present and undefined, as workerd's iterators return it. */
type Next<T> = { done: false; value: T } | { done: true; value: undefined };

/** What the cursor needs from its owner (`sql-storage.ts`). */
export interface CursorOwner {
  /** Give the statement back: reset and cache it, or finalize it. */
  release(pStmt: number): void;
  /** A step failed with `error` (already in Cloudflare's format); storage failures reset the object. */
  onStepError(error: Error): void;
}

const CONSTRUCT = Symbol('construct');

/** Run a statement whose parameters are bound: the cursor over its results. Throws if its first step fails. */
export let startCursor: <T extends Record<string, SqlStorageValue>>(
  conn: SqlConnection,
  owner: CursorOwner,
  pStmt: number,
  readonly: boolean,
  schema?: SchemaAction,
) => SqlStorageCursor<T>;
/** The database is being wiped or closed: drop the cursor's statement; the cursor reads as finished. */
export let cancelCursor: (cursor: SqlStorageCursor) => void;
/** Whether the cursor still holds its statement (it is being read lazily). */
export let cursorIsLive: (cursor: SqlStorageCursor) => boolean;

/** %IteratorPrototype%: cursors and raw iterators get `[Symbol.iterator]` and, where the engine has them, iterator helpers. */
const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object;

/**
 * Statements of cursors dropped before their end: released when the cursor is
 * collected. The held value must not reference the cursor, or it would never be.
 */
const abandoned = new FinalizationRegistry<{ owner: CursorOwner; pStmt: number }>(({ owner, pStmt }) => owner.release(pStmt));

export class SqlStorageCursor<T extends Record<string, SqlStorageValue> = Row> {
  readonly #conn: SqlConnection;
  readonly #owner: CursorOwner;
  readonly #names: readonly string[];
  #stmt = 0;
  /** A row is positioned on the statement and not yet returned. */
  #hasRow = false;
  /** An error met while stepping ahead, thrown by the next read. */
  #heldError: Error | undefined;
  /** Rows of a statement that wrote, read to the end inside exec(). */
  #buffered: SqlStorageValue[][] | undefined;
  #bufferedIndex = 0;
  #rowsProduced = 0;
  #scanSteps = 0;
  #rowsWritten = 0;
  /** A statement that created or dropped schema objects: its counts, as workerd gives them (`sql-schema-counts.ts`). */
  #schemaCounts: SchemaCounts | undefined;

  /** @internal Created by `SqlStorage.exec()` only; `new sql.Cursor()` is an illegal constructor, as in workerd. */
  constructor(
    token?: typeof CONSTRUCT,
    conn?: SqlConnection,
    owner?: CursorOwner,
    pStmt?: number,
    readonly?: boolean,
    schema?: SchemaAction,
  ) {
    if (token !== CONSTRUCT) throw new TypeError('Illegal constructor');
    this.#conn = conn!;
    this.#owner = owner!;
    this.#stmt = pStmt!;
    const raw = conn!.raw;
    const columns = raw.sqlite3_column_count(pStmt!);
    const names = new Array<string>(columns);
    for (let i = 0; i < columns; i++) names[i] = conn!.capi.sqlite3_column_name(pStmt!, i);
    this.#names = names;
    // Counters of a cached statement carry over from its last run.
    raw.sqlite3_stmt_status(pStmt!, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
    const schemaChange = schema && countSchemaChange(conn!, schema);
    this.#step(); // throws (having released the statement) if the first step fails
    if (!readonly && this.#stmt) {
      const rows: SqlStorageValue[][] = [];
      while (this.#hasRow) {
        rows.push(readRow(raw, conn!.wasm, this.#stmt, columns));
        this.#hasRow = false;
        this.#step();
      }
      this.#buffered = rows;
    }
    // Schema statements return no rows: they are done by now.
    if (schemaChange) this.#schemaCounts = schemaChange.finish();
    if (this.#stmt) abandoned.register(this, { owner: owner!, pStmt: pStmt! }, this);
  }

  // Hearth's own handles on a cursor, kept off its public surface.
  static {
    startCursor = (conn, owner, pStmt, readonly, schema) => new SqlStorageCursor(CONSTRUCT, conn, owner, pStmt, readonly, schema);
    cancelCursor = (cursor) => cursor.#end();
    cursorIsLive = (cursor) => cursor.#stmt !== 0;
  }

  next(): Next<T> {
    const values = this.#nextValues();
    return values === undefined ? { done: true, value: undefined } : { done: false, value: toRowObject(this.#names, values) as T };
  }

  [Symbol.iterator](): this {
    return this;
  }

  toArray(): T[] {
    const rows: T[] = [];
    for (let values = this.#nextValues(); values !== undefined; values = this.#nextValues()) {
      rows.push(toRowObject(this.#names, values) as T);
    }
    return rows;
  }

  one(): T {
    const values = this.#nextValues();
    if (values === undefined) throw new Error(EXPECTED_ONE_GOT_NONE);
    const more = this.#hasRow || (this.#buffered !== undefined && this.#bufferedIndex < this.#buffered.length);
    const held = this.#heldError;
    // End the query even if it was not done.
    this.#end();
    if (held) throw held;
    if (more) throw new Error(EXPECTED_ONE_GOT_MANY);
    return toRowObject(this.#names, values) as T;
  }

  raw<U extends SqlStorageValue[] = SqlStorageValue[]>(): IterableIterator<U> {
    const iterator = Object.create(RawIteratorPrototype) as IterableIterator<U> & { next(): IteratorResult<U> };
    iterator.next = () => {
      const values = this.#nextValues();
      return values === undefined ? { done: true, value: undefined } : { done: false, value: values as U };
    };
    return iterator;
  }

  get columnNames(): string[] {
    return [...this.#names];
  }

  get rowsRead(): number {
    if (this.#stmt) this.#scanSteps = this.#conn.raw.sqlite3_stmt_status(this.#stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
    const queryReads = Math.max(this.#rowsProduced, this.#scanSteps > 0 ? this.#scanSteps + 1 : 0);
    const schema = this.#schemaCounts;
    if (schema) return schema.read + (schema.withQueryReads ? queryReads : 0);
    return queryReads;
  }

  get rowsWritten(): number {
    return this.#schemaCounts ? this.#schemaCounts.written : this.#rowsWritten;
  }

  #nextValues(): SqlStorageValue[] | undefined {
    if (this.#heldError) {
      const error = this.#heldError;
      this.#heldError = undefined;
      throw error;
    }
    if (this.#buffered) {
      if (this.#bufferedIndex < this.#buffered.length) return this.#buffered[this.#bufferedIndex++];
      this.#end();
      return undefined;
    }
    if (!this.#hasRow) return undefined;
    const values = readRow(this.#conn.raw, this.#conn.wasm, this.#stmt, this.#names.length);
    this.#hasRow = false;
    try {
      this.#step();
    } catch (error) {
      this.#heldError = error as Error;
    }
    return values;
  }

  /** Step once: positions the next row, or ends the cursor. Throws (ended) on failure. */
  #step(): void {
    const { raw, pDb } = this.#conn;
    const stmt = this.#stmt;
    const before = raw.sqlite3_total_changes(pDb);
    const rc = raw.sqlite3_step(stmt);
    this.#rowsWritten += raw.sqlite3_total_changes(pDb) - before;
    if (rc === SQLITE_ROW) {
      this.#rowsProduced++;
      this.#hasRow = true;
      return;
    }
    if (rc === SQLITE_DONE) {
      this.#end();
      return;
    }
    const error = this.#conn.error(rc);
    this.#end();
    this.#owner.onStepError(error);
    throw error;
  }

  #end(): void {
    this.#hasRow = false;
    if (this.#buffered) this.#bufferedIndex = this.#buffered.length;
    const stmt = this.#stmt;
    if (!stmt) return;
    this.#scanSteps = this.#conn.raw.sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
    this.#stmt = 0;
    abandoned.unregister(this);
    this.#owner.release(stmt);
  }
}

Object.defineProperty(SqlStorageCursor.prototype, Symbol.toStringTag, { value: 'SqlStorageCursor' });
Object.setPrototypeOf(SqlStorageCursor.prototype, IteratorPrototype);

const RawIteratorPrototype = Object.create(IteratorPrototype, {
  [Symbol.toStringTag]: { value: 'SqlStorageCursor Raw Iterator' },
});
