/**
 * The `txn` handle (DO-API.md §4.1; workerd `DurableObjectTransaction`):
 * `deleteAll()` always throws; after the closure it refuses every operation,
 * with one message once committed and another once rolled back.
 */
import { test, expect } from './kv-fixtures.ts';

const COMMITTED = (op: string) =>
  `Error: Cannot call ${op} on transaction that has already committed: did you move \`txn\` outside of the closure?`;
const ROLLED_BACK = (op: string) => `Error: Cannot ${op} on rolled back transaction`;

const USE = `const use = async (txn) => {
  const settle = (p) => p.then(() => 'ok', (e) => e.name + ': ' + e.message);
  const sync = (fn) => { try { fn(); return 'ok'; } catch (e) { return e.name + ': ' + e.message; } };
  return [
    await settle(txn.get('k')), await settle(txn.put('k', 1)), await settle(txn.delete('k')),
    await settle(txn.list()), await settle(txn.getAlarm()), sync(() => txn.rollback()),
  ];
};`;

test('after a commit every operation says the transaction already committed', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${USE}
    let kept;
    await storage.transaction(async (txn) => { kept = txn; });
    return use(kept);
  }`);
  expect(r).toEqual({
    ok: true,
    value: [COMMITTED('get()'), COMMITTED('put()'), COMMITTED('delete()'), COMMITTED('list()'), COMMITTED('getAlarm()'), COMMITTED('rollback()')],
  });
});

test('after a rollback every operation says the transaction was rolled back, and rollback() may be repeated', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${USE}
    let explicit, thrown;
    const inside = await storage.transaction(async (txn) => { explicit = txn; txn.rollback(); return use(txn); });
    try { await storage.transaction(async (txn) => { thrown = txn; throw new Error('x'); }); } catch {}
    return { inside, explicit: await use(explicit), thrown: await use(thrown) };
  }`);
  const rolledBack = [ROLLED_BACK('get()'), ROLLED_BACK('put()'), ROLLED_BACK('delete()'), ROLLED_BACK('list()'), ROLLED_BACK('getAlarm()'), 'ok'];
  expect(r).toEqual({ ok: true, value: { inside: rolledBack, explicit: rolledBack, thrown: rolledBack } });
});

test('deleteAll() throws inside a transaction, on the handle and on storage', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    await storage.put('k', 1);
    return storage.transaction(async (txn) => {
      let handle;
      try { txn.deleteAll(); handle = 'no error'; } catch (e) { handle = e.name + ': ' + e.message; }
      const direct = await storage.deleteAll().then(() => 'no error', (e) => e.name + ': ' + e.message);
      return { handle, direct, k: await txn.get('k') };
    });
  }`);
  const message = 'Error: Cannot call deleteAll() within a transaction';
  expect(r).toEqual({ ok: true, value: { handle: message, direct: message, k: 1 } });
});

test('the handle cannot be constructed by user code', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    let Ctor;
    await storage.transaction(async (txn) => { Ctor = txn.constructor; });
    try { new Ctor(); return 'constructed'; } catch (e) { return e.name + ': ' + e.message; }
  }`);
  expect(r).toEqual({ ok: true, value: 'TypeError: Illegal constructor' });
});
