/**
 * Opening one object's SQLite database on OPFS. Runs only in an object worker
 * (it needs `FileSystemSyncAccessHandle`), and only after the worker holds the
 * object's exclusive Web Lock — see `object-lock.ts`.
 *
 * Invariants this file keeps (DESIGN.md §2):
 *  - One `opfs-sahpool` pool directory per object: `/hearth/v1/<namespaceKey>/<id>`.
 *  - `preserveOnInitFailure: true`, always: a failed install must never delete
 *    a pool that is merely busy (the default calls `removeVfs()` and wipes it).
 *  - `locking_mode=EXCLUSIVE` before `journal_mode=WAL` (WAL is silently
 *    ignored otherwise), `synchronous=NORMAL`: ~30× the commit rate of the
 *    defaults. One connection per object makes EXCLUSIVE natural.
 *    `hearth.durability: "full"` makes it `synchronous=FULL`: every commit
 *    also flushes the WAL to the device, so a commit survives an OS crash or
 *    power loss too, not only a tab or browser crash (README: Storage that stays).
 *  - `page_size=4096` first, as workerd's databases have (sqlite-wasm
 *    defaults to 8192): `databaseSize` and `PRAGMA page_size` read as on
 *    Cloudflare. It only takes effect on a new database; an existing one
 *    keeps its page size.
 *  - Before any user SQL, the connection is secured as workerd secures it
 *    (`sql-connection.ts`): defensive mode, the limits, the authorizer. Every
 *    PRAGMA here runs before that, so it needs no trust.
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { quotaExceeded, StorageCorruptError, StorageUnavailableError } from '../errors.ts';
import { keepSpareSyncCheckFile, letSyncCheckPassAtQuota, takeQuotaFault, watchStorageFaults } from './storage-faults.ts';
import { SqlConnection } from './sql-connection.ts';
import type { Sqlite3, SqliteDb } from './sqlite-types.ts';
import { OBJECT_POOL_CAPACITY } from '../names.ts';


let sqlite3Promise: Promise<Sqlite3> | undefined;

/** The object's database file in its pool. */
export const DATABASE_FILE = '/object.sqlite3';
/** What every database gets before anything else, and keeps in its file: 4096-byte pages, WAL (see the invariants). */
export const DATABASE_PRAGMAS = 'PRAGMA page_size=4096; PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL;';

interface SahPool {
  unlink(name: string): boolean;
  getFileNames(): string[];
  OpfsSAHPoolDb: new (name: string) => SqliteDb;
}
/** Each object database's pool, for the other files an object keeps beside it (its PITR history). */
const pools = new WeakMap<SqliteDb, SahPool>();

/**
 * Open another database file in the same object's pool directory (the
 * point-in-time recovery history), with the same durability settings. It is
 * not secured: only Hearth's own code ever reaches it.
 */
export function openSiblingDatabase(db: SqliteDb, name: string): SqliteDb {
  const pool = pools.get(db);
  if (!pool) throw new Error('openSiblingDatabase: not an object database');
  // Its database and WAL take the pool's other two files (OBJECT_POOL_CAPACITY, installed with the pool). Never
  // add any here: each is an OPFS file created and opened, ~6 ms of a new object's start (docs/performance.md, step 18).
  const sibling = new pool.OpfsSAHPoolDb(name);
  try {
    sibling.exec(`${DATABASE_PRAGMAS} PRAGMA synchronous=NORMAL;`);
  } catch (error) {
    dropSiblingDatabase(db, sibling, name); // a half-made database must not be taken for a history next time
    throw error;
  }
  return sibling;
}

/** Whether the object's pool holds a database file `name` (without opening or creating it). */
export function siblingDatabaseExists(db: SqliteDb, name: string): boolean {
  return pools.get(db)?.getFileNames().includes(name) ?? false;
}

/**
 * Close a sibling database and remove its files (the database and its WAL)
 * from the pool — freeing their space even when SQLite itself cannot write
 * any more (the origin is out of quota: a checkpoint needs a write too).
 */
export function dropSiblingDatabase(db: SqliteDb, sibling: SqliteDb, name: string): void {
  try {
    sibling.close();
  } catch {
    // Closing tries a checkpoint, which may fail for the very reason it is dropped.
  }
  const pool = pools.get(db);
  for (const file of [name, `${name}-wal`, `${name}-journal`]) pool?.unlink(file);
}

/**
 * Instantiate SQLite from a module the host compiled once, instead of compiling per worker. A failed
 * instantiation (a link error, or no address space left for another wasm memory) rejects, and the next call
 * tries again: Emscripten's `instantiateWasm` hook has no way to report one, and its promise would never settle.
 */
export function loadSqlite(wasmModule: WebAssembly.Module): Promise<Sqlite3> {
  // The published types declare no options, though `instantiateWasm` is supported (see the module's source).
  const init = sqlite3InitModule as unknown as (options: object) => Promise<Sqlite3>;
  sqlite3Promise ??= new Promise<Sqlite3>((resolve, reject) => {
    init({
      instantiateWasm(imports: WebAssembly.Imports, onSuccess: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
        WebAssembly.instantiate(wasmModule, imports).then((instance) => onSuccess(instance, wasmModule), reject);
        return {};
      },
      print: () => {},
      printErr: (...args: unknown[]) => console.warn('[sqlite]', ...args),
    }).then(resolve, reject);
  }).catch((error: unknown) => {
    sqlite3Promise = undefined;
    throw error;
  });
  return sqlite3Promise;
}

async function checkOpfs(): Promise<void> {
  const storage = (globalThis as { navigator?: Navigator }).navigator?.storage;
  if (!storage?.getDirectory) {
    throw new StorageUnavailableError(
      'Durable Object storage is unavailable: this browser context has no Origin Private File System (navigator.storage.getDirectory). Hearth never falls back to memory.',
    );
  }
  if (typeof (globalThis as { FileSystemSyncAccessHandle?: unknown }).FileSystemSyncAccessHandle === 'undefined') {
    throw new StorageUnavailableError(
      'Durable Object storage is unavailable: FileSystemSyncAccessHandle is missing (OPFS synchronous access needs a dedicated worker in a browser that supports it). Hearth never falls back to memory.',
    );
  }
  try {
    await storage.getDirectory();
  } catch (error) {
    throw new StorageUnavailableError(
      `Durable Object storage is unavailable: the Origin Private File System cannot be opened (${(error as Error).message}). Hearth never falls back to memory.`,
    );
  }
}

const RETRYABLE_OPEN = /NoModificationAllowedError|InvalidStateError|Access Handles cannot be created/i;

/**
 * Install the pool and open the database. After a tab crash the OPFS handles
 * come free 66–93 ms after the lock does, so a busy handle is retried briefly.
 */
export async function openObjectDatabase(
  sqlite3: Sqlite3,
  directory: string,
  durability: 'normal' | 'full' = 'normal',
  mark?: (step: string) => void,
): Promise<SqliteDb> {
  await checkOpfs();
  mark?.('opfs');
  watchStorageFaults();
  letSyncCheckPassAtQuota();
  let lastError: unknown;
  for (let attempt = 0; attempt < 12; attempt++) {
    try {
      const pool = await sqlite3.installOpfsSAHPoolVfs({
        name: 'hearth-pool',
        directory,
        initialCapacity: OBJECT_POOL_CAPACITY,
        clearOnInit: false,
        preserveOnInitFailure: true,
        forceReinitIfPreviouslyFailed: true,
        // Not in the published types yet; see the sahpool docs in the module.
      } as object);
      mark?.('pool');
      const db = new pool.OpfsSAHPoolDb(DATABASE_FILE);
      pools.set(db, pool as unknown as SahPool);
      mark?.('file');
      db.exec(`${DATABASE_PRAGMAS} PRAGMA synchronous=${durability === 'full' ? 'FULL' : 'NORMAL'}; PRAGMA foreign_keys=ON;`);
      mark?.('pragmas');
      SqlConnection.secure(sqlite3, db);
      keepSpareSyncCheckFile();
      return db;
    } catch (error) {
      lastError = error;
      if (!RETRYABLE_OPEN.test(String((error as Error)?.name) + ' ' + String((error as Error)?.message))) break;
      await new Promise((r) => setTimeout(r, 25 * (attempt + 1)));
    }
  }
  const message = (lastError as Error)?.message ?? String(lastError);
  const quota = takeQuotaFault('opening the database');
  if (quota || (lastError as Error)?.name === 'QuotaExceededError' || /QuotaExceeded/i.test(message)) throw quota ?? quotaExceeded('opening the database', message);
  if (/SQLITE_(CORRUPT|NOTADB)|malformed|not a database/i.test(message)) {
    throw new StorageCorruptError(
      `Durable Object storage is corrupt: the object's database at ${directory} is not a valid SQLite database (${message}). Hearth does not repair or replace it; the object cannot start until it is restored or deleted.`,
    );
  }
  throw new StorageUnavailableError(`Durable Object storage could not be opened: ${message}`);
}
