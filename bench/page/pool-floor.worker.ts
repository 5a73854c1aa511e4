/**
 * The cold start's storage floor (npm run bench:profile --pools): how long the
 * storage steps of a brand-new object take with raw sqlite-wasm, and how long
 * they would take if the object's pool had been installed ahead (the files
 * and an empty database already there). Per round, in a fresh directory:
 *   rtt          one OPFS call (getDirectoryHandle of an existing directory):
 *                one round trip to the browser process, the unit everything below is made of
 *   newPool      installOpfsSAHPoolVfs on a new directory with an object's capacity (OBJECT_POOL_CAPACITY:
 *                its database and WAL, and its point-in-time history's) + open the database + Hearth's pragmas
 *   preinstalled the same on that directory again after releasing it: every file and the
 *                database exist, as a pre-installed pool would have them
 *   staged       a pool installed ahead elsewhere (its database made, `_cf_KV` created), then, timed: the object's
 *                directory made and the pool's files moved into it one by one (`FileSystemFileHandle.move`;
 *                Chromium 156 has no `move` for a directory), installed and opened there: what a spare could do
 *                for a brand-new object
 * The page posts `{ rounds }` and gets back `{ rtt, newPool, preinstalled, staged }` (ms per round).
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { OBJECT_POOL_CAPACITY } from '../../src/names.ts';

interface Scope {
  onmessage: ((event: MessageEvent<{ rounds: number }>) => void) | null;
  postMessage(message: unknown): void;
}
const scope = globalThis as unknown as Scope;
const PRAGMAS = 'PRAGMA page_size=4096; PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;';

scope.onmessage = async (event) => {
  const { rounds } = event.data;
  try {
    const sqlite3 = await (sqlite3InitModule as unknown as (o: object) => ReturnType<typeof sqlite3InitModule>)({ print: () => {}, printErr: () => {} });
    const root = await navigator.storage.getDirectory();
    await root.getDirectoryHandle('hearth-bench', { create: true });
    const out = { rtt: [] as number[], newPool: [] as number[], preinstalled: [] as number[], staged: [] as number[] };
    const install: Install = (name, directory) =>
      sqlite3.installOpfsSAHPoolVfs({ name, directory, initialCapacity: OBJECT_POOL_CAPACITY, clearOnInit: false } as object) as ReturnType<Install>;
    /** Install the pool at `directory`, open the object's database as Hearth does, record the time; closed again. */
    const openTimed = async (name: string, directory: string, times: number[]) => {
      const t = performance.now();
      const pool = await install(name, directory);
      const db = new pool.OpfsSAHPoolDb('/object.sqlite3');
      db.exec(PRAGMAS);
      times.push(performance.now() - t);
      db.close();
      return pool;
    };
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      await root.getDirectoryHandle('hearth-bench');
      out.rtt.push(performance.now() - t);

      const directory = `/hearth-bench/pools/${crypto.randomUUID()}`;
      (await openTimed(`pool-new-${i}`, directory, out.newPool)).pauseVfs();
      await (await openTimed(`pool-again-${i}`, directory, out.preinstalled)).removeVfs();
      out.staged.push(await stagedAndMoved(install, i));
    }
    scope.postMessage(out);
  } catch (error) {
    scope.postMessage({ error: String((error as Error)?.stack ?? error) });
  }
};

type Install = (name: string, directory: string) => Promise<{
  OpfsSAHPoolDb: new (file: string) => { exec(sql: string): void; selectValue(sql: string): unknown; close(): void };
  pauseVfs(): void;
  removeVfs(): Promise<unknown>;
}>;

/** The `staged` variant: ms from the object's directory not existing to its staged database open there. */
async function stagedAndMoved(install: Install, round: number): Promise<number> {
  const staging = crypto.randomUUID();
  const staged = await install(`pool-stage-${round}`, `/hearth-bench/staging/${staging}`);
  const made = new staged.OpfsSAHPoolDb('/object.sqlite3');
  made.exec(PRAGMAS);
  made.exec('CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID');
  made.close();
  staged.pauseVfs(); // releases its access handles
  const bench = await (await navigator.storage.getDirectory()).getDirectoryHandle('hearth-bench');
  // sahpool keeps a pool's files in `.opaque` under its directory, each naming its database file in a header.
  const stagedFiles = await (await (await bench.getDirectoryHandle('staging')).getDirectoryHandle(staging)).getDirectoryHandle('.opaque');
  const files: (FileSystemFileHandle & { move(to: FileSystemDirectoryHandle): Promise<void> })[] = [];
  for await (const handle of (stagedFiles as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) files.push(handle as never);

  const t = performance.now();
  const namespace = await bench.getDirectoryHandle('moved', { create: true });
  const id = crypto.randomUUID();
  const isNew = await namespace.getDirectoryHandle(id).then(() => false, () => true); // what a start would check
  if (!isNew) throw new Error('the staged round found its directory');
  const opaque = await (await namespace.getDirectoryHandle(id, { create: true })).getDirectoryHandle('.opaque', { create: true });
  await Promise.all(files.map((file) => file.move(opaque)));
  const pool = await install(`pool-moved-${round}`, `/hearth-bench/moved/${id}`);
  const db = new pool.OpfsSAHPoolDb('/object.sqlite3');
  db.exec(PRAGMAS);
  const ms = performance.now() - t;
  if (db.selectValue('SELECT count(*) FROM sqlite_schema') !== 1) throw new Error('the moved database lost its table');
  db.close();
  await pool.removeVfs();
  return ms;
}
