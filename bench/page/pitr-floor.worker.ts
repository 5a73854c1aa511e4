/**
 * What point-in-time recovery's capture costs a commit (npm run bench:profile --pitr), with raw sqlite-wasm
 * on `opfs-sahpool` and Hearth's pragmas, nothing of Hearth on top. One commit is what a `put` makes: BEGIN,
 * an `INSERT OR REPLACE` into a `_cf_KV`-shaped table, COMMIT. Per round, each variant runs `commits` commits
 * in turn (interleaved, so load moves every variant alike):
 *   plain          the commit alone
 *   counted        + `PRAGMA user_version = n` in it (what the first commit of a PITR batch adds)
 *   sessionKept    one session over all of them: the session's per-row bookkeeping only
 *   session        a session created before each commit and its changeset taken at COMMIT (capture, no write)
 *   history        + that changeset inserted into the history database, one history commit per commit
 *   historyBatched + the history written once per 16 commits, in one history transaction
 * The page posts `{ rounds, commits }` and gets back `{ [variant]: µs per commit, one per round }`.
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';

interface Scope {
  onmessage: ((event: MessageEvent<{ rounds: number; commits: number }>) => void) | null;
  postMessage(message: unknown): void;
}
const scope = globalThis as unknown as Scope;
const PRAGMAS = 'PRAGMA page_size=4096; PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;';

interface Db {
  pointer: number;
  exec(sql: string | { sql: string; bind: unknown[] }): void;
  prepare(sql: string): { bind(values: unknown[]): { step(): boolean }; reset(): void; finalize(): void };
  close(): void;
}

scope.onmessage = async (event) => {
  const { rounds, commits } = event.data;
  try {
    const sqlite3 = await (sqlite3InitModule as unknown as (o: object) => ReturnType<typeof sqlite3InitModule>)({ print: () => {}, printErr: () => {} });
    type Call = (...args: number[]) => number;
    const capi = sqlite3.capi as unknown as Record<'sqlite3session_create' | 'sqlite3session_object_config' | 'sqlite3session_attach' | 'sqlite3session_changeset' | 'sqlite3session_delete' | 'sqlite3_free', Call>;
    const wasm = sqlite3.wasm as unknown as {
      pstack: { pointer: number; restore(p: number): void; allocPtr(): number; alloc(n: number): number };
      peekPtr(p: number): number;
      peek32(p: number): number;
      poke32(p: number, v: number): void;
      heap8u(): Uint8Array;
    };
    const pool = (await sqlite3.installOpfsSAHPoolVfs({
      name: 'bench-pitr',
      directory: `/hearth-bench/pitr-${crypto.randomUUID()}`,
      initialCapacity: 4,
    } as object)) as unknown as { OpfsSAHPoolDb: new (file: string) => Db; removeVfs(): Promise<unknown> };
    const db = new pool.OpfsSAHPoolDb('/object.sqlite3');
    db.exec(PRAGMAS);
    db.exec('CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID');
    const history = new pool.OpfsSAHPoolDb('/history.sqlite3');
    history.exec(PRAGMAS);
    history.exec('CREATE TABLE history (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, changes BLOB NOT NULL)');
    const put = db.prepare('INSERT OR REPLACE INTO _cf_KV (key, value) VALUES (?, ?)');
    const record = history.prepare('INSERT INTO history (at, changes) VALUES (?, ?)');
    const value = new Uint8Array([0xff, 0x0f, 0x49, 0x54]);

    const startSession = (): number => {
      const stack = wasm.pstack.pointer;
      try {
        const out = wasm.pstack.allocPtr();
        capi.sqlite3session_create(db.pointer, 'main' as unknown as number, out);
        const session = wasm.peekPtr(out);
        const flag = wasm.pstack.alloc(4);
        wasm.poke32(flag, 1);
        capi.sqlite3session_object_config(session, 2, flag);
        capi.sqlite3session_attach(session, 0);
        return session;
      } finally {
        wasm.pstack.restore(stack);
      }
    };
    const changeset = (session: number): Uint8Array => {
      const stack = wasm.pstack.pointer;
      try {
        const nOut = wasm.pstack.alloc(4);
        const pOut = wasm.pstack.allocPtr();
        capi.sqlite3session_changeset(session, nOut, pOut);
        const n = wasm.peek32(nOut);
        const p = wasm.peekPtr(pOut);
        const bytes = wasm.heap8u().slice(p, p + n);
        capi.sqlite3_free(p);
        return bytes;
      } finally {
        wasm.pstack.restore(stack);
      }
    };
    let key = 0;
    const commit = () => {
      db.exec('BEGIN');
      put.bind([`key-${key++ % 1000}`, value]).step();
      put.reset();
    };
    let pending: Uint8Array[] = [];
    const variants: Record<string, () => void> = {
      plain() {
        for (let i = 0; i < commits; i++) {
          commit();
          db.exec('COMMIT');
        }
      },
      counted() {
        for (let i = 0; i < commits; i++) {
          commit();
          db.exec(`PRAGMA user_version = ${key}`);
          db.exec('COMMIT');
        }
      },
      sessionKept() {
        const session = startSession();
        for (let i = 0; i < commits; i++) {
          commit();
          db.exec('COMMIT');
        }
        capi.sqlite3session_delete(session);
      },
      sessionNoChangeset() {
        for (let i = 0; i < commits; i++) {
          const session = startSession();
          commit();
          db.exec('COMMIT');
          capi.sqlite3session_delete(session);
        }
      },
      session() {
        for (let i = 0; i < commits; i++) {
          const session = startSession();
          commit();
          changeset(session);
          db.exec('COMMIT');
          capi.sqlite3session_delete(session);
        }
      },
      history() {
        for (let i = 0; i < commits; i++) {
          const session = startSession();
          commit();
          const changes = changeset(session);
          record.bind([Date.now(), changes]).step();
          record.reset();
          db.exec('COMMIT');
          capi.sqlite3session_delete(session);
        }
      },
      historyBatched() {
        for (let i = 0; i < commits; i++) {
          const session = startSession();
          commit();
          pending.push(changeset(session));
          db.exec('COMMIT');
          capi.sqlite3session_delete(session);
          if (pending.length === 16 || i === commits - 1) {
            history.exec('BEGIN');
            for (const changes of pending) record.bind([Date.now(), changes]).step(), record.reset();
            history.exec('COMMIT');
            pending = [];
          }
        }
      },
    };
    const out: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
    for (const run of Object.values(variants)) run(); // warm-up: statement caches, the WALs' first pages
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of Object.entries(variants)) {
        const t = performance.now();
        run();
        out[name]!.push(((performance.now() - t) * 1000) / commits);
      }
    }
    put.finalize();
    record.finalize();
    history.close();
    db.close();
    await pool.removeVfs();
    scope.postMessage(out);
  } catch (error) {
    scope.postMessage({ error: String((error as Error)?.stack ?? error) });
  }
};
