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
 * The page posts `{ rounds }` and gets back `{ rtt, newPool, preinstalled }` (ms per round).
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
    const out = { rtt: [] as number[], newPool: [] as number[], preinstalled: [] as number[] };
    const install = (name: string, directory: string) =>
      sqlite3.installOpfsSAHPoolVfs({ name, directory, initialCapacity: OBJECT_POOL_CAPACITY, clearOnInit: false } as object) as Promise<{
        OpfsSAHPoolDb: new (file: string) => { exec(sql: string): void; close(): void };
        pauseVfs(): void;
        removeVfs(): Promise<unknown>;
      }>;
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
    }
    scope.postMessage(out);
  } catch (error) {
    scope.postMessage({ error: String((error as Error)?.stack ?? error) });
  }
};
