/**
 * Point-in-time recovery writes its history in batches, off the reply's path
 * (src/storage/point-in-time-recovery.ts). What must hold regardless:
 *  - one history entry per commit, even when the next write comes before the
 *    task that takes the last commit's changes;
 *  - a session that ends inside a batch (a crash: the batch is never written)
 *    leaves a history that refuses every bookmark from before, instead of
 *    restoring a state that never existed;
 *  - a bookmark whose sequence number a later history uses again is refused.
 * Real SQLite (sqlite-wasm's Node build, in memory), no browser feature involved.
 */
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportDatabase, memoryCopy } from '../../src/storage/database-image.ts';
import { ImplicitTransaction } from '../../src/storage/implicit-transaction.ts';
import { PointInTimeRecovery } from '../../src/storage/point-in-time-recovery.ts';
import type { Sqlite3, SqliteDb } from '../../src/storage/sqlite-types.ts';

const NOT_FOUND = 'The requested bookmark is outside the point-in-time recovery window or does not exist.';
const ID = 'ab'.repeat(32);
let sqlite3: Sqlite3;

beforeAll(async () => {
  sqlite3 = (await (sqlite3InitModule as unknown as (o: object) => Promise<Sqlite3>)({ print: () => {}, printErr: () => {} })) as Sqlite3;
});

const fresh = () => {
  const db = new sqlite3.oo1.DB(':memory:') as SqliteDb;
  db.exec('PRAGMA page_size = 4096');
  return db;
};
/** An object's two databases, in memory, with the pieces the runtime wires together. */
function open(db?: SqliteDb, history?: SqliteDb) {
  // Hearth's databases have 4096-byte pages (sqlite-open.ts); an image of any other size is refused.
  db ??= fresh();
  history ??= fresh();
  const txn = new ImplicitTransaction(db, (error) => {
    throw error;
  });
  const pitr = new PointInTimeRecovery(sqlite3, db, history, txn, ID);
  const write = (sql: string) => {
    txn.beginWrite();
    db.exec(sql);
    txn.commit();
  };
  const rows = () => db.selectValues('SELECT v FROM t ORDER BY v') as number[];
  return { db, history, txn, pitr, write, rows, entries: () => history.selectValue('SELECT count(*) FROM history WHERE image = 0') };
}
/**
 * The next session, on the files as they are now (copies: the session before
 * goes on only in memory, as a worker that died would not at all).
 */
const restart = (o: ReturnType<typeof open>) => open(memoryCopy(sqlite3, o.db), memoryCopy(sqlite3, o.history));
/** Ask `o` for a restore to `bookmark`, then start the next session on its files, as the runtime does: its rows after. */
const restoredTo = (o: ReturnType<typeof open>, bookmark: string) => {
  o.pitr.restoreOnNextSession(bookmark);
  const next = restart(o);
  next.pitr.applyPendingRestore(next.txn);
  return next.rows();
};
/** Let the batch's timer and the take-after-commit tasks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('point-in-time recovery history', () => {
  it('keeps one entry per commit even when the next write comes first', async () => {
    const o = open();
    o.write('CREATE TABLE t (v INTEGER)');
    o.write('INSERT INTO t VALUES (1)');
    // Synchronous: the task that takes commit 2's changes has not run before commit 3 writes.
    o.write('INSERT INTO t VALUES (2)');
    o.write('INSERT INTO t VALUES (3)');
    await settle();
    expect(o.entries()).toBe(3);
    // Restoring to "after commit 2" takes back exactly commit 3.
    const seqAfterTwo = o.history.selectValue('SELECT seq FROM history ORDER BY seq LIMIT 1 OFFSET 1') as number;
    const at = o.history.selectValue('SELECT at FROM history WHERE seq = ?', [seqAfterTwo]) as number;
    expect(restoredTo(o, o.pitr.forTime(at))).toEqual([1, 2]);
  });

  it('writes what waits before a bookmark is read, so the bookmark includes the last commit', () => {
    const o = open();
    o.write('CREATE TABLE t (v INTEGER)');
    o.write('INSERT INTO t VALUES (1)');
    const before = o.pitr.current();
    o.write('INSERT INTO t VALUES (2)');
    const after = o.pitr.current();
    expect(after > before).toBe(true);
    expect(o.entries()).toBe(2);
  });

  it('after a session ended inside a batch, refuses bookmarks from before instead of restoring a wrong state', async () => {
    const o = open();
    o.write('CREATE TABLE t (v INTEGER)');
    o.write('INSERT INTO t VALUES (1)');
    const early = o.pitr.current();
    o.write('INSERT INTO t VALUES (2)');
    // The worker dies here: commit 2 is in the database, its changeset in no history.
    const next = restart(o);
    expect(() => next.pitr.restoreOnNextSession(early)).toThrow(NOT_FOUND);
    // The history goes on from here: a later bookmark restores as ever.
    const fresh = next.pitr.current();
    next.write('INSERT INTO t VALUES (3)');
    await settle();
    expect(restoredTo(next, fresh)).toEqual([1, 2]);
  });

  it('a session that ended between batches keeps its whole history', async () => {
    const o = open();
    o.write('CREATE TABLE t (v INTEGER)');
    o.write('INSERT INTO t VALUES (1)');
    const early = o.pitr.current();
    o.write('INSERT INTO t VALUES (2)');
    await settle(); // the batch is written; then the worker dies without closing
    expect(restoredTo(restart(o), early)).toEqual([1]);
  });

  it('refuses a bookmark of a dropped history whose sequence number a new history uses again', async () => {
    const o = open();
    o.write('CREATE TABLE t (v INTEGER)');
    o.write('INSERT INTO t VALUES (1)');
    const old = o.pitr.current();
    // The history's files are gone (dropped for quota); the next session starts a new one beside the data.
    const next = open(memoryCopy(sqlite3, o.db));
    next.write('INSERT INTO t VALUES (2)');
    next.write('INSERT INTO t VALUES (3)');
    await settle();
    expect(() => next.pitr.restoreOnNextSession(old)).toThrow(NOT_FOUND);
    // "Before any change" cannot be reached either: the new history starts behind a barrier.
    expect(() => next.pitr.restoreOnNextSession(`00000000-00000000-00000000-${ID.slice(0, 32)}`)).toThrow(NOT_FOUND);
  });

  it("a whole-database replacement keeps the object's batch number, so the history before it survives a restart", async () => {
    const o = open();
    o.write('CREATE TABLE t (v INTEGER)');
    o.write('INSERT INTO t VALUES (1)');
    const early = o.pitr.current();
    // An image from elsewhere, whose header carries a batch number far ahead of this object's.
    const other = fresh();
    other.exec('CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (7); PRAGMA user_version = 999');
    o.pitr.importImage(o.txn, exportDatabase(sqlite3, other));
    expect(o.rows()).toEqual([7]);
    await settle();
    expect(restoredTo(restart(o), early)).toEqual([1]);
  });

  it('a brand-new object makes its history only once it has a batch to write, and one that only reads never does', async () => {
    const db = fresh();
    const txn = new ImplicitTransaction(db, (error) => {
      throw error;
    });
    let made = 0;
    const history = fresh();
    const pitr = new PointInTimeRecovery(sqlite3, db, () => (made++, history), txn, ID);
    expect(pitr.applyPendingRestore(txn)).toBe(false);
    db.selectValue('SELECT 1');
    await settle();
    expect(made).toBe(0);
    // Its first writes: the history is made after them, and holds them.
    txn.beginWrite();
    db.exec('CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)');
    txn.commit();
    expect(made).toBe(0);
    await settle();
    expect(made).toBe(1);
    expect(history.selectValue('SELECT count(*) FROM history')).toBe(1);
    // An object that already has data but no history makes one at once (and it cannot reach back before it).
    let remade = 0;
    const again = open(memoryCopy(sqlite3, db), undefined);
    const other = new PointInTimeRecovery(sqlite3, again.db, () => (remade++, fresh()), new ImplicitTransaction(again.db, () => {}), ID);
    expect(remade).toBe(1);
    expect(() => other.restoreOnNextSession(`00000000-00000000-00000000-${ID.slice(0, 32)}`)).toThrow(NOT_FOUND);
  });

  it('a commit whose changes cannot be recorded (a watched table altered) starts the history anew, and the object goes on', async () => {
    const o = open();
    o.write('CREATE TABLE t (v INTEGER, note TEXT)');
    o.write('INSERT INTO t (v) VALUES (1)');
    const early = o.pitr.current();
    // One commit that changes a row, then drops a column of its table: SQLite's session cannot describe it.
    o.write('INSERT INTO t (v) VALUES (2); ALTER TABLE t DROP COLUMN note; INSERT INTO t (v) VALUES (3)');
    await settle();
    expect(() => o.pitr.restoreOnNextSession(early)).toThrow(NOT_FOUND);
    const after = o.pitr.current();
    o.write('INSERT INTO t (v) VALUES (4)');
    await settle();
    expect(restoredTo(o, after)).toEqual([1, 2, 3]);
  });
});
