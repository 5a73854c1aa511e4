/**
 * An object's whole database as one `.sqlite` file: exported for the
 * devtools' download, and imported (validated) to replace the database.
 *
 * Import copies the image into the open connection with SQLite's backup API,
 * page by page, in one step: the connection keeps its VFS (opfs-sahpool),
 * its exclusive lock and WAL mode, and the copy is one transaction — it
 * lands whole or not at all. The caller restarts the object afterwards, so
 * no cache or prepared statement outlives the old content.
 *
 * The same pieces make snapshots (storage/database-snapshot.ts): a copy in
 * memory, wound back with the history if asked, serialized.
 *
 * Validation before anything is touched: the SQLite header, the page size
 * (a WAL database cannot change it), and `PRAGMA integrity_check` on the
 * image opened in memory.
 */
import type { Sqlite3, SqliteDb } from './sqlite-types.ts';

const HEADER = 'SQLite format 3\u0000';
/** Hearth's databases use 4096-byte pages (sqlite-open.ts). */
const PAGE_SIZE = 4096;

export class InvalidDatabaseImageError extends TypeError {
  override name = 'InvalidDatabaseImageError';
}

/**
 * Serializing the OPFS database directly fails here (SQLITE_NOMEM from
 * `sqlite3_serialize`, which reads pages through `sqlite_dbpage`), so the
 * database is first copied into memory with the backup API, and that copy
 * is serialized. The caller commits pending writes first.
 */
export function exportDatabase(sqlite3: Sqlite3, db: SqliteDb): Uint8Array {
  const memory = memoryCopy(sqlite3, db);
  try {
    return serializeMemory(sqlite3, memory);
  } finally {
    memory.close();
  }
}

/** Copy every page of `from` into `to` in one step (one transaction on `to`). */
export function copyDatabase(sqlite3: Sqlite3, to: SqliteDb, from: SqliteDb): void {
  const { capi } = sqlite3;
  const backup = capi.sqlite3_backup_init(to.pointer!, 'main', from.pointer!, 'main');
  if (!backup) throw new Error(`Copy failed: ${capi.sqlite3_errmsg(to.pointer!)}`);
  const stepped = capi.sqlite3_backup_step(backup, -1);
  const finished = capi.sqlite3_backup_finish(backup);
  if (stepped !== capi.SQLITE_DONE || finished !== 0) {
    throw new Error(`Copy failed: ${capi.sqlite3_errmsg(to.pointer!)} (code ${stepped}/${finished})`);
  }
}

export function importDatabase(sqlite3: Sqlite3, db: SqliteDb, image: Uint8Array): void {
  const memory = openImage(sqlite3, image);
  try {
    copyDatabase(sqlite3, db, memory);
  } finally {
    memory.close();
  }
}

/** A copy of `db` in memory (the caller closes it): where a snapshot is made without touching the object's file. */
export function memoryCopy(sqlite3: Sqlite3, db: SqliteDb): SqliteDb {
  const memory = new sqlite3.oo1.DB(':memory:');
  try {
    copyDatabase(sqlite3, memory, db);
    return memory;
  } catch (error) {
    memory.close();
    throw error;
  }
}

/** The bytes of an in-memory database (`memoryCopy`, `openImage`). */
export function serializeMemory(sqlite3: Sqlite3, memory: SqliteDb): Uint8Array {
  return sqlite3.capi.sqlite3_js_db_export(memory.pointer!);
}

/** An image opened in memory, validated (header, page size, integrity); the caller closes it. */
export function openImage(sqlite3: Sqlite3, image: Uint8Array): SqliteDb {
  if (image.byteLength < 100 || new TextDecoder().decode(image.subarray(0, 16)) !== HEADER) {
    throw new InvalidDatabaseImageError('Not an SQLite database file (its header is missing).');
  }
  const bytes = new Uint8Array(image);
  const pageSize = ((bytes[16]! << 8) | bytes[17]!) === 1 ? 65536 : (bytes[16]! << 8) | bytes[17]!;
  if (pageSize !== PAGE_SIZE) {
    throw new InvalidDatabaseImageError(`The database's page size is ${pageSize}; Hearth's databases use ${PAGE_SIZE}.`);
  }
  // An image of a WAL database says so in bytes 18–19; in memory it is read as a rollback-journal one.
  bytes[18] = 1;
  bytes[19] = 1;
  const { capi, wasm } = sqlite3;
  const memory = new sqlite3.oo1.DB(':memory:');
  try {
    const pointer = wasm.allocFromTypedArray(bytes);
    const rc = capi.sqlite3_deserialize(
      memory.pointer!,
      'main',
      pointer,
      bytes.byteLength,
      bytes.byteLength,
      capi.SQLITE_DESERIALIZE_FREEONCLOSE | capi.SQLITE_DESERIALIZE_RESIZEABLE,
    );
    if (rc !== 0) throw new InvalidDatabaseImageError(`The file could not be read as an SQLite database (code ${rc}).`);
    let check: unknown;
    try {
      check = memory.selectValue('PRAGMA integrity_check');
    } catch (error) {
      throw new InvalidDatabaseImageError(`The file is not a usable SQLite database: ${(error as Error).message}`);
    }
    if (check !== 'ok') throw new InvalidDatabaseImageError(`The database failed its integrity check: ${String(check)}`);
    return memory;
  } catch (error) {
    memory.close();
    throw error;
  }
}
