/**
 * The storage floor: raw `@sqlite.org/sqlite-wasm` on the `opfs-sahpool` VFS
 * in a dedicated worker, with the pragmas Hearth ships, and nothing of Hearth
 * on top. It times bulk inserts in one transaction (one prepared statement,
 * re-bound per row: the best case) and single-row autocommits (one commit
 * each), then deletes its pool. The page posts `{ inserts, commits }` and gets
 * back `{ insertMs, commitMs }`.
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';

interface Scope {
  onmessage: ((event: MessageEvent<{ inserts: number; commits: number }>) => void) | null;
  postMessage(message: unknown): void;
}
const scope = globalThis as unknown as Scope;

scope.onmessage = async (event) => {
  const { inserts, commits } = event.data;
  try {
    const sqlite3 = await (sqlite3InitModule as unknown as (o: object) => ReturnType<typeof sqlite3InitModule>)({ print: () => {}, printErr: () => {} });
    const pool = await sqlite3.installOpfsSAHPoolVfs({
      name: 'bench-floor',
      directory: `/hearth-bench/floor-${crypto.randomUUID()}`,
      initialCapacity: 4,
    } as object);
    const db = new pool.OpfsSAHPoolDb('/floor.sqlite3');
    db.exec('PRAGMA page_size=4096; PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;');
    db.exec('CREATE TABLE bulk (id INTEGER PRIMARY KEY, label TEXT NOT NULL, amount REAL NOT NULL)');

    const insert = db.prepare('INSERT INTO bulk (label, amount) VALUES (?, ?)');
    let t = performance.now();
    db.exec('BEGIN');
    for (let i = 0; i < inserts; i++) {
      insert.bind([`row ${i}`, i * 0.5]).step();
      insert.reset();
    }
    db.exec('COMMIT');
    const insertMs = performance.now() - t;

    t = performance.now();
    for (let i = 0; i < commits; i++) {
      insert.bind([`commit ${i}`, i]).step();
      insert.reset();
    }
    const commitMs = performance.now() - t;

    insert.finalize();
    db.close();
    await pool.removeVfs();
    scope.postMessage({ insertMs, commitMs });
  } catch (error) {
    scope.postMessage({ error: String((error as Error)?.stack ?? error) });
  }
};
