/**
 * The asynchronous KV API (`ctx.storage.get/put/delete/list/deleteAll`), stored
 * as Cloudflare stores it: `_cf_KV(key TEXT PRIMARY KEY, value BLOB) WITHOUT
 * ROWID`, values in V8's serialization format.
 *
 * Everything runs synchronously at call time and returns a settled promise, so
 * awaiting storage never lets another event in (the input gate holds by
 * construction), and writes land in the turn's implicit transaction.
 *
 * Ordering: SQLite compares TEXT with memcmp over UTF-8, so `ORDER BY key` is
 * Cloudflare's UTF-8 byte order.
 *
 * Limits follow the backend, as production does: KV-backed classes
 * (`new_classes`) get 2 KiB keys and 128 KiB values; SQLite-backed ones allow a
 * key and value of 2 MB together (the SQL row limit, `sql-limits.ts`). Both
 * allow 128 keys per call.
 *
 * Every statement here runs as trusted SQL (`sql-connection.ts`), stepping
 * included; values are serialized and deserialized outside, since
 * serializing can run user getters. SQLite failures are rethrown in
 * Cloudflare's format.
 */
import type { ImplicitTransaction } from './implicit-transaction.ts';
import { internalSqlError, runStatement, trusted } from './sql-connection.ts';
import { sqlLimit } from './sql-limits.ts';
import type { SqliteDb, SqliteStatement } from './sqlite-types.ts';
import { deserialize, serialize } from './structured-serializer.ts';
import { argumentError, isDictionary, type StorageInterface } from './webidl-arguments.ts';

export const MAX_KEYS_PER_CALL = 128;
export const MAX_KEY_BYTES = 2048;
export const MAX_VALUE_BYTES = 131072;
/** V8's header and tags: workerd enforces the value limit at 131072 + 34 bytes. */
const VALUE_LIMIT_SLACK = 34;
export const MAX_SQLITE_PAIR_BYTES = sqlLimit('LENGTH');

export interface KvLimits {
  backend: 'sqlite' | 'kv';
}

export interface ListOptions {
  start?: string;
  startAfter?: string;
  end?: string;
  prefix?: string;
  reverse?: boolean;
  limit?: number;
  allowConcurrency?: boolean;
  noCache?: boolean;
}

const encoder = new TextEncoder();

function utf8Length(s: string): number {
  // Fast path: ASCII strings are as long in UTF-8 as in UTF-16.
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) { ascii = false; break; }
  return ascii ? s.length : encoder.encode(s).length;
}

/** The smallest string greater than every string that starts with `prefix`, in code-point (= UTF-8 byte) order. */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix];
  while (points.length) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/** A lazily-read `list()` over `_cf_KV`, for the synchronous KV API (`sync-kv.ts`). */
export interface KvListCursor {
  /** The next pair, or undefined at the end (or once the next `openList()` closed it). */
  next(): [string, Uint8Array] | undefined;
}

export class KvStore {
  readonly #db: SqliteDb;
  readonly #txn: ImplicitTransaction;
  readonly #backend: 'sqlite' | 'kv';
  readonly #statements = new Map<string, SqliteStatement>();
  #tableExists = false;
  /** `txn.schemaGeneration` when `#tableExists` was last checked: a rollback may have undone the table's creation. */
  #checkedAt = -1;
  #openCursor: { stmt: SqliteStatement; done: boolean } | undefined;

  constructor(db: SqliteDb, txn: ImplicitTransaction, limits: KvLimits) {
    this.#db = db;
    this.#txn = txn;
    this.#backend = limits.backend;
  }

  /** Run Hearth's SQL trusted, with SQLite failures in Cloudflare's format. */
  #sql<T>(fn: () => T): T {
    try {
      return trusted(this.#db, fn);
    } catch (error) {
      throw internalSqlError(this.#db, error);
    }
  }

  #hasTable(): boolean {
    if (this.#checkedAt !== this.#txn.schemaGeneration) {
      this.#tableExists = this.#sql(() => hasTable(this.#db, '_cf_KV'));
      this.#checkedAt = this.#txn.schemaGeneration;
    }
    return this.#tableExists;
  }

  #stmt(sql: string): SqliteStatement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Prepared statements hold table references; drop them when the schema is wiped. */
  finalizeStatements(): void {
    this.#closeCursor();
    for (const stmt of this.#statements.values()) stmt.finalize();
    this.#statements.clear();
  }

  #ensureTable(): void {
    if (this.#hasTable()) return;
    this.#db.exec(CREATE_KV_TABLE);
    this.#tableExists = true;
  }

  /** Forget cached state after `deleteAll()` dropped the table. */
  resetAfterWipe(): void {
    this.finalizeStatements();
    this.#checkedAt = -1;
  }

  checkKey(key: unknown): string {
    const k = toKeyString(key);
    if (this.#backend === 'kv') {
      const size = utf8Length(k);
      if (size > MAX_KEY_BYTES) {
        throw new RangeError(`Keys cannot be larger than ${MAX_KEY_BYTES} bytes. A key of size ${size} was provided.`);
      }
    }
    return k;
  }

  checkKeys(keys: unknown[]): string[] {
    if (keys.length > MAX_KEYS_PER_CALL) {
      throw new RangeError(
        `Maximum number of key value pairs is ${MAX_KEYS_PER_CALL}. ${keys.length} pairs were provided.`,
      );
    }
    return keys.map((k) => this.checkKey(k));
  }

  encodeValue(key: string, value: unknown): Uint8Array {
    const bytes = serialize(value);
    if (this.#backend === 'kv') {
      if (bytes.byteLength > MAX_VALUE_BYTES + VALUE_LIMIT_SLACK) {
        throw new RangeError(
          `Values cannot be larger than ${MAX_VALUE_BYTES} bytes. A value of size ${bytes.byteLength} was provided.`,
        );
      }
    } else if (bytes.byteLength + utf8Length(key) > MAX_SQLITE_PAIR_BYTES) {
      throw new Error('string or blob too big: SQLITE_TOOBIG');
    }
    return bytes;
  }

  /** The stored bytes of `key`, or undefined. */
  getBytes(key: string): Uint8Array | undefined {
    return this.#sql(() => {
      if (!this.#hasTable()) return undefined;
      const stmt = this.#stmt('SELECT value FROM _cf_KV WHERE key = ?');
      try {
        stmt.bind(1, key);
        return stmt.step() ? (stmt.get(0) as Uint8Array) : undefined;
      } finally {
        stmt.reset(true);
      }
    });
  }

  getOne(key: string): unknown {
    this.#txn.monitor?.read('get');
    const bytes = this.getBytes(key);
    return bytes === undefined ? undefined : deserialize(bytes);
  }

  getMany(keys: string[]): Map<string, unknown> {
    this.#txn.monitor?.read('get');
    const result = new Map<string, unknown>();
    if (keys.length === 0) return result;
    // One lookup per key: a single `IN (…)` would need more than the 100 bound variables SQLite allows.
    const found: [string, Uint8Array][] = [];
    for (const key of new Set(keys)) {
      const bytes = this.getBytes(key);
      if (bytes !== undefined) found.push([key, bytes]);
    }
    found.sort(([a], [b]) => compareKeys(a, b));
    for (const [key, bytes] of found) result.set(key, deserialize(bytes));
    return result;
  }

  putOne(key: string, bytes: Uint8Array, confirmed = true): void {
    this.#txn.monitor?.write('put');
    this.#txn.beginWrite(confirmed);
    this.#sql(() => {
      this.#ensureTable();
      runStatement(this.#stmt('INSERT OR REPLACE INTO _cf_KV (key, value) VALUES (?, ?)').bind(1, key).bind(2, bytes));
    });
  }

  deleteOne(key: string, confirmed = true): boolean {
    this.#txn.monitor?.write('delete');
    if (!this.#hasTable()) return false;
    this.#txn.beginWrite(confirmed);
    return this.#sql(() => {
      runStatement(this.#stmt('DELETE FROM _cf_KV WHERE key = ?').bind(1, key));
      return this.#db.changes() > 0;
    });
  }

  list(options: ListOptions): Map<string, unknown> {
    this.#txn.monitor?.read('list');
    const result = new Map<string, unknown>();
    const rows = this.#sql(() => {
      const out: [string, Uint8Array][] = [];
      if (!this.#hasTable()) return out;
      const { sql, binds } = listQuery(options);
      const stmt = this.#stmt(sql);
      try {
        stmt.bind(binds);
        while (stmt.step()) out.push([stmt.get(0) as string, stmt.get(1) as Uint8Array]);
      } finally {
        stmt.reset(true);
      }
      return out;
    });
    for (const [key, bytes] of rows) result.set(key, deserialize(bytes));
    return result;
  }

  /**
   * A lazy `list()`. Its statement stays open between reads; only one such
   * cursor exists at a time, and opening the next one cancels the previous.
   */
  openList(options: ListOptions): KvListCursor {
    this.#txn.monitor?.read('list');
    this.#closeCursor();
    const state = this.#sql(() => {
      if (!this.#hasTable()) return undefined;
      const { sql, binds } = listQuery(options);
      const stmt = this.#db.prepare(sql);
      stmt.bind(binds);
      return { stmt, done: false };
    });
    this.#openCursor = state;
    return {
      next: () => {
        if (!state || state.done) return undefined;
        const row = this.#sql(() => {
          try {
            return state.stmt.step() ? ([state.stmt.get(0) as string, state.stmt.get(1) as Uint8Array] as [string, Uint8Array]) : undefined;
          } catch (error) {
            this.#closeCursor();
            throw error;
          }
        });
        if (!row) this.#closeCursor();
        return row;
      },
    };
  }

  #closeCursor(): void {
    const cursor = this.#openCursor;
    if (!cursor) return;
    this.#openCursor = undefined;
    cursor.done = true;
    try {
      cursor.stmt.finalize();
    } catch {
      // Finalizing reports the statement's last error, already thrown to whoever stepped it.
    }
  }
}

/** Compare keys as Cloudflare orders them: by UTF-8 bytes, which is code point order. */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** The SELECT behind `list(options)` and its bindings. */
function listQuery(options: ListOptions): { sql: string; binds: (string | number)[] } {
  const where: string[] = [];
  const binds: (string | number)[] = [];
  if (options.start !== undefined) {
    where.push('key >= ?');
    binds.push(options.start);
  }
  if (options.startAfter !== undefined) {
    where.push('key > ?');
    binds.push(options.startAfter);
  }
  if (options.end !== undefined) {
    where.push('key < ?');
    binds.push(options.end);
  }
  if (options.prefix !== undefined && options.prefix !== '') {
    where.push('key >= ?');
    binds.push(options.prefix);
    const upper = prefixUpperBound(options.prefix);
    if (upper !== undefined) {
      where.push('key < ?');
      binds.push(upper);
    }
  }
  // The limit is bound, not spliced in: one cached statement per shape of options, not per limit value.
  let sql = 'SELECT key, value FROM _cf_KV';
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  sql += options.reverse ? ' ORDER BY key DESC LIMIT ?' : ' ORDER BY key LIMIT ?';
  binds.push(options.limit ?? -1);
  return { sql, binds };
}

/** The KV table, as workerd makes it (also written into a restored snapshot's image: point-in-time-recovery.ts). */
export const CREATE_KV_TABLE = 'CREATE TABLE IF NOT EXISTS _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID';

export function hasTable(db: SqliteDb, name: string): boolean {
  return db.selectValue("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]) !== undefined;
}

/** JavaScript's ToString, as workerd's `kj::String` parameters apply it (a Symbol throws a TypeError). */
export function toKeyString(value: unknown): string {
  return typeof value === 'string' ? value : `${value as string}`;
}

/**
 * WebIDL `long`, as jsg converts workerd's `int` parameters: ToNumber, NaN and
 * the infinities become 0, anything else is truncated and must fit in 32 bits.
 */
function toInt32(value: unknown): number {
  if (typeof value === 'number' && (value | 0) === value) return value;
  const number = +(value as number); // ToNumber: throws a TypeError for a BigInt or a Symbol, as V8 does.
  if (!Number.isFinite(number)) return 0;
  if (number > 2147483647 || number < -2147483648) {
    throw new TypeError('Value out of range. Must be between -2147483648 and 2147483647 (inclusive).');
  }
  return Math.trunc(number);
}

/**
 * Validate and normalise `list()` options with Cloudflare's messages and
 * conversions (workerd `DurableObjectStorageOperations::list`): strings are
 * coerced, `limit` is an int that must be positive after conversion. `api`
 * names the caller's interface in the error for options that are not a
 * dictionary (a function is one: its properties are read).
 */
export function checkListOptions(options: unknown, api: StorageInterface): ListOptions {
  if (!isDictionary(options)) throw argumentError(api, 'list', 1, 'ListOptions');
  if (options === undefined || options === null) return {};
  const o = options as Record<keyof ListOptions, unknown>;
  const out: ListOptions = {};
  if (o.start !== undefined) out.start = toKeyString(o.start);
  if (o.startAfter !== undefined) out.startAfter = toKeyString(o.startAfter);
  if (o.end !== undefined) out.end = toKeyString(o.end);
  if (o.prefix !== undefined) out.prefix = toKeyString(o.prefix);
  if (o.reverse !== undefined) out.reverse = Boolean(o.reverse);
  if (o.limit !== undefined) out.limit = toInt32(o.limit);
  if (out.start !== undefined && out.startAfter !== undefined) {
    throw new TypeError('list() cannot be called with both start and startAfter values.');
  }
  if (out.limit !== undefined && !(out.limit > 0)) throw new TypeError('List limit must be positive.');
  return out;
}
