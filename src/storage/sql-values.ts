/**
 * Values across the SQL boundary, converted exactly as workerd converts them
 * (DO-API.md §5.2; `api/sql.c++`).
 *
 * Bindings (JS → SQLite): a binding is `ArrayBuffer | ArrayBufferView | string
 * | number | null | undefined` to workerd, and anything else is coerced the
 * way its Web IDL layer coerces it:
 *
 * | JS value                    | binds as                                   |
 * |-----------------------------|--------------------------------------------|
 * | number                      | REAL, even `1` (column affinity may make it INTEGER) |
 * | string                      | TEXT                                       |
 * | ArrayBuffer, typed array, DataView | BLOB (the view's own bytes)         |
 * | null, undefined             | NULL                                       |
 * | boolean                     | TEXT `'true'` / `'false'`                  |
 * | other objects               | TEXT `String(value)`, e.g. `'[object Object]'` |
 * | bigint                      | TypeError: Cannot convert a BigInt value to a number |
 *
 * Results (SQLite → JS): INTEGER and REAL → number (integers past 2^53 lose
 * precision), TEXT → string, BLOB → a fresh ArrayBuffer, NULL → null.
 */
import type { Capi, RawSqlite, Wasm } from './sql-connection.ts';

export type SqlStorageValue = ArrayBuffer | string | number | null;
export type Binding = number | string | Uint8Array | null;

export function toBinding(value: unknown): Binding {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
    case 'string':
      return value;
    case 'bigint':
      throw new TypeError('Cannot convert a BigInt value to a number');
  }
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  // ToString, as Web IDL coerces to a string: calls toString()/Symbol.toPrimitive; a Symbol throws a TypeError.
  return `${value as string}`;
}

/** Bind `value` to parameter `index` (1-based). Returns SQLite's result code. */
export function bindValue(raw: RawSqlite, capi: Capi, wasm: Wasm, pStmt: number, index: number, value: Binding): number {
  if (value === null) return raw.sqlite3_bind_null(pStmt, index);
  if (typeof value === 'number') return raw.sqlite3_bind_double(pStmt, index, value);
  if (typeof value === 'string') {
    // SQLite frees the copy (SQLITE_WASM_DEALLOC), even when binding fails.
    const [pText, nBytes] = wasm.allocCString(value, true);
    return capi.sqlite3_bind_text(pStmt, index, pText, nBytes, capi.SQLITE_WASM_DEALLOC);
  }
  return capi.sqlite3_bind_blob(pStmt, index, value, value.byteLength, capi.SQLITE_WASM_DEALLOC);
}

const SQLITE_INTEGER = 1;
const SQLITE_FLOAT = 2;
const SQLITE_TEXT = 3;
const SQLITE_BLOB = 4;

const decoder = new TextDecoder();

/** Column `i` of the current row. */
export function readValue(raw: RawSqlite, wasm: Wasm, pStmt: number, i: number): SqlStorageValue {
  switch (raw.sqlite3_column_type(pStmt, i)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
      // An INTEGER becomes the nearest double, as workerd's static_cast<double>(int64_t).
      return raw.sqlite3_column_double(pStmt, i);
    case SQLITE_TEXT: {
      const p = raw.sqlite3_column_text(pStmt, i);
      const n = raw.sqlite3_column_bytes(pStmt, i);
      return n === 0 ? '' : decoder.decode(wasm.heap8u().subarray(p, p + n));
    }
    case SQLITE_BLOB: {
      const p = raw.sqlite3_column_blob(pStmt, i);
      const n = raw.sqlite3_column_bytes(pStmt, i);
      return n === 0 ? new ArrayBuffer(0) : wasm.heap8u().slice(p, p + n).buffer;
    }
    default:
      return null;
  }
}

/** Every column of the current row, in order. */
export function readRow(raw: RawSqlite, wasm: Wasm, pStmt: number, columns: number): SqlStorageValue[] {
  const row = new Array<SqlStorageValue>(columns);
  for (let i = 0; i < columns; i++) row[i] = readValue(raw, wasm, pStmt, i);
  return row;
}

/**
 * A row object keyed by column name. With duplicate names the last column
 * wins, and keeps the first one's position, as V8's `Object::Set` does. A
 * column named `__proto__` becomes an own property, not the prototype.
 */
export function toRowObject(names: readonly string[], values: readonly SqlStorageValue[]): Record<string, SqlStorageValue> {
  const row: Record<string, SqlStorageValue> = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (name === '__proto__') {
      Object.defineProperty(row, name, { value: values[i], writable: true, enumerable: true, configurable: true });
    } else {
      row[name] = values[i]!;
    }
  }
  return row;
}
