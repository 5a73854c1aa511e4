import { describe, expect, it } from 'vitest';
import sqlite3InitModule from '@sqlite.org/sqlite-wasm';
import { GateObserver } from '../../src/object/gate-observer.ts';
import { OutputGate } from '../../src/object/output-gate.ts';
import { ImplicitTransaction } from '../../src/storage/implicit-transaction.ts';
import type { GateEvent } from '../../src/protocol.ts';

async function setup() {
  const sqlite3 = await (sqlite3InitModule as unknown as () => Promise<any>)();
  const db = new sqlite3.oo1.DB(':memory:');
  db.exec('CREATE TABLE t (v)');
  const broken: Error[] = [];
  const txn = new ImplicitTransaction(db, (error) => broken.push(error));
  const observer = new GateObserver();
  observer.attachStorage(txn);
  const events: GateEvent['kind'][] = [];
  observer.subscribe((event) => events.push(event.kind));
  return { db, txn, gate: new OutputGate(txn, observer), events, broken };
}

/** Settled before the end of the turn, i.e. before the macrotask the implicit commit would otherwise wait for. */
async function settlesInThisTurn(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return settled;
}

describe('the output gate and a call sent alone', () => {
  it('commits the open transaction at once, and the reply passes in the same turn', async () => {
    const { db, txn, gate, events } = await setup();
    txn.beginWrite();
    db.exec('INSERT INTO t VALUES (1)');
    const passed = gate.pass('reply', 1, true);
    expect(txn.open).toBe(false);
    expect(await settlesInThisTurn(passed)).toBe(true);
    // The devtools still see the reply held for the commit, and released after it.
    expect(events).toEqual(['output-held', 'commit-started', 'commit-finished', 'output-released']);
  });

  it('without it the reply waits for the commit at the end of the turn', async () => {
    const { db, txn, gate } = await setup();
    txn.beginWrite();
    db.exec('INSERT INTO t VALUES (1)');
    const passed = gate.pass('reply', 1);
    expect(txn.open).toBe(true);
    expect(await settlesInThisTurn(passed)).toBe(false);
    await passed;
    expect(txn.open).toBe(false);
  });

  it('commits nothing that holds no output: unconfirmed writes wait for the end of the turn', async () => {
    const { db, txn, gate } = await setup();
    txn.beginWrite(false);
    db.exec('INSERT INTO t VALUES (1)');
    await gate.pass('reply', 1, true);
    expect(txn.open).toBe(true);
  });

  it('a commit that fails there rejects the reply with the reset, as at the end of the turn', async () => {
    const { db, txn, gate, broken } = await setup();
    db.exec('PRAGMA foreign_keys = ON; CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    txn.beginWrite();
    db.exec('INSERT INTO child VALUES (7)');
    const passed = gate.pass('reply', 1, true);
    expect(txn.open).toBe(false);
    await expect(passed).rejects.toMatchObject({ durableObjectReset: true });
    expect(broken).toHaveLength(1);
    expect(db.selectValue('SELECT count(*) FROM child')).toBe(0);
  });
});
