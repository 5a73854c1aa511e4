/**
 * A pool made ahead by a spare worker, for the brand-new object it may be
 * given. A new object's start spends most of its storage time making its pool:
 * one OPFS file created and opened per slot, then its database created and
 * switched to WAL (docs/performance.md, step 22). A spare has nothing to do
 * between `warm` and `init`, so it makes all that in a staging directory of
 * its own, closes it, and, if its object turns out to be new, moves the files
 * into the object's directory, where the pool is then installed as usual.
 *
 * Invariants this file keeps:
 *  - The staged database holds nothing an object can see: the pragmas every
 *    database gets (`DATABASE_PRAGMAS`) and no table, so an object started on
 *    it is exactly a new object (`databaseSize`, `sqlite_master`, PITR's
 *    brand-new check).
 *  - Files are moved only into a directory that does not exist, and only
 *    under the object's lock (the caller holds it): never over an object's data.
 *    A move that fails part way leaves empty slots and an empty database,
 *    which the install takes as they are.
 *  - Every staging directory is named by a Web Lock its worker holds for its
 *    life; a directory whose lock is free belongs to a worker that ended
 *    (a closed or crashed tab) and any spare may remove it.
 *  - A directory cannot be moved (Chromium has `move` on files only): where
 *    files cannot be moved either, nothing is staged. Nor where the host says
 *    not to (WebKit caps the access handles an origin may hold; the host keeps
 *    that budget, host/access-handle-budget.ts).
 *  - Staging waits a little after `warm`: in a burst of new objects the spare
 *    is given its object first and stages nothing, instead of competing with
 *    that object's start for the same two cores and the same file system.
 */
import { OBJECT_POOL_CAPACITY, STAGED_POOL_ROOT, stagedPoolLockName } from '../names.ts';
import { DATABASE_FILE, DATABASE_PRAGMAS } from './sqlite-open.ts';
import type { Sqlite3, SqliteDb } from './sqlite-types.ts';

/** How long after `warm` a spare starts staging (see the last invariant above). */
const STAGE_AFTER_MS = 50;
/** Made in a staging directory once its pool is ready to be moved. */
const READY_FILE = 'ready';
/** sahpool keeps a pool's files in this directory under the pool's own (its on-disk layout). */
const POOL_FILES_DIR = '.opaque';

interface PoolUtil {
  OpfsSAHPoolDb: new (name: string) => SqliteDb;
  pauseVfs(): void;
}
type MovableFile = FileSystemFileHandle & { move(to: FileSystemDirectoryHandle): Promise<void> };

interface Staged {
  name: string;
  files: MovableFile[];
}

let staging: Promise<Staged | undefined> | undefined;
let taken = false;

/** In a spare: start making a pool ahead (once per worker). Never throws; a failure only means none is staged. */
export function stagePool(sqlite3: Promise<Sqlite3>): void {
  if (staging || !canStage()) return;
  staging = new Promise((resolve) => setTimeout(resolve, STAGE_AFTER_MS))
    .then(async () => (taken ? undefined : make(await sqlite3)))
    .catch(() => undefined);
}

/**
 * At the object's start, under its lock: move the staged pool into
 * `directory` if the object is new and a pool is staged and ready now (one
 * still being made is left: waiting for it could take longer than making the
 * object's own). Returns whether it did.
 */
export async function adoptStagedPool(directory: string): Promise<boolean> {
  if (!staging || taken) return false;
  taken = true;
  const staged = await Promise.race([staging, Promise.resolve(undefined)]);
  if (!staged) return false;
  try {
    const parts = directory.split('/').filter(Boolean);
    const leaf = parts.pop()!;
    const parent = await directoryAt(parts);
    const exists = await parent.getDirectoryHandle(leaf).then(
      () => true,
      (error: DOMException) => error?.name !== 'NotFoundError', // any other failure: leave it to the install
    );
    if (exists) return false;
    const files = await (await parent.getDirectoryHandle(leaf, { create: true })).getDirectoryHandle(POOL_FILES_DIR, { create: true });
    await Promise.all(staged.files.map((file) => file.move(files)));
  } catch {
    return false;
  }
  void stagingRoot().then((root) => root.removeEntry(staged.name, { recursive: true })).catch(() => {});
  return true;
}

function canStage(): boolean {
  const file = (globalThis as { FileSystemFileHandle?: { prototype: object } }).FileSystemFileHandle;
  return !!file && 'move' in file.prototype && !!navigator.locks;
}

async function make(sqlite3: Sqlite3): Promise<Staged | undefined> {
  const name = crypto.randomUUID();
  // Held until this worker ends: it tells sweeping spares the directory is in use.
  await new Promise<void>((held) => {
    void navigator.locks.request(stagedPoolLockName(name), () => {
      held();
      return new Promise<never>(() => {});
    });
  });
  if (taken) return undefined;
  const pool = (await sqlite3.installOpfsSAHPoolVfs({
    name: 'hearth-staging',
    directory: `${STAGED_POOL_ROOT}/${name}`,
    initialCapacity: OBJECT_POOL_CAPACITY,
    clearOnInit: false,
    preserveOnInitFailure: true,
  } as object)) as unknown as PoolUtil;
  const files: MovableFile[] = [];
  let directory: FileSystemDirectoryHandle;
  try {
    if (taken) return undefined; // given its object meanwhile: the sweep removes this directory after this worker ends
    const db = new pool.OpfsSAHPoolDb(DATABASE_FILE);
    try {
      db.exec(DATABASE_PRAGMAS);
    } finally {
      db.close();
    }
    directory = await (await stagingRoot()).getDirectoryHandle(name);
    const poolFiles = await directory.getDirectoryHandle(POOL_FILES_DIR);
    for await (const handle of entries(poolFiles)) if (handle.kind === 'file') files.push(handle as MovableFile);
  } finally {
    pool.pauseVfs(); // closes the files' access handles, so they can be moved (or removed by a sweep)
  }
  if (files.length !== OBJECT_POOL_CAPACITY) return undefined;
  // Says, to anyone looking at OPFS (the tests), that the pool is made and its files closed.
  await directory.getFileHandle(READY_FILE, { create: true });
  void sweep(name).catch(() => {});
  return { name, files };
}

function stagingRoot(): Promise<FileSystemDirectoryHandle> {
  return directoryAt(STAGED_POOL_ROOT.split('/').filter(Boolean));
}

/** The directory at `path` (its segments) under the OPFS root, made where missing. */
async function directoryAt(path: string[]): Promise<FileSystemDirectoryHandle> {
  let directory = await navigator.storage.getDirectory();
  for (const part of path) directory = await directory.getDirectoryHandle(part, { create: true });
  return directory;
}

function entries(directory: FileSystemDirectoryHandle): AsyncIterable<FileSystemHandle> {
  // Iteration is not in TypeScript's DOM types yet.
  return (directory as unknown as { values(): AsyncIterable<FileSystemHandle> }).values();
}

/** Remove the staging directories of workers that ended (their lock is free). */
async function sweep(own: string): Promise<void> {
  const root = await stagingRoot();
  const names: string[] = [];
  for await (const handle of entries(root)) if (handle.name !== own) names.push(handle.name);
  for (const name of names) {
    await navigator.locks
      .request(stagedPoolLockName(name), { ifAvailable: true }, (lock) => lock && root.removeEntry(name, { recursive: true }))
      .catch(() => {});
  }
}
