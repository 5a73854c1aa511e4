import { describe, expect, it } from 'vitest';
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { ImplicitTransaction } from '../../src/storage/implicit-transaction.ts';

async function openMemoryDb() {
  const sqlite3 = await (sqlite3InitModule as unknown as () => Promise<any>)();
  const db = new sqlite3.oo1.DB(':memory:');
  db.exec('CREATE TABLE t (v)');
  return db;
}

/** Whether `promise` settles before the turn's commit (which runs in a later macrotask). */
async function settlesBeforeCommit(txn: ImplicitTransaction, promise: Promise<void>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await Promise.resolve();
  await Promise.resolve();
  const early = settled && txn.open;
  await new Promise((r) => setTimeout(r, 20));
  return early;
}

describe('output gate and allowUnconfirmed', () => {
  it('a confirmed write holds output until its transaction commits', async () => {
    const db = await openMemoryDb();
    const txn = new ImplicitTransaction(db, () => {});
    txn.beginWrite();
    db.exec('INSERT INTO t VALUES (1)');
    expect(await settlesBeforeCommit(txn, txn.whenDurable())).toBe(false);
  });

  it('a transaction of only allowUnconfirmed writes does not hold output, but sync() still waits for it', async () => {
    const db = await openMemoryDb();
    const txn = new ImplicitTransaction(db, () => {});
    txn.beginWrite(false);
    db.exec('INSERT INTO t VALUES (1)');
    expect(await settlesBeforeCommit(txn, txn.whenDurable())).toBe(true);
    txn.beginWrite(false);
    expect(await settlesBeforeCommit(txn, txn.whenCommitted())).toBe(false);
  });

  it('one confirmed write makes the whole transaction hold output', async () => {
    const db = await openMemoryDb();
    const txn = new ImplicitTransaction(db, () => {});
    txn.beginWrite(false);
    txn.beginWrite(true);
    expect(await settlesBeforeCommit(txn, txn.whenDurable())).toBe(false);
    // After that commit, the next unconfirmed-only transaction is unheld again.
    txn.beginWrite(false);
    expect(await settlesBeforeCommit(txn, txn.whenDurable())).toBe(true);
  });
});
