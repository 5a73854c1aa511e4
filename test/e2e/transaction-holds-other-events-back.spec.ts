/**
 * `transaction()` runs inside `blockConcurrencyWhile` (DO-API.md §4.1): no
 * other event is delivered to the object until the closure settles, even
 * while it awaits a timer, so no other request can see or join its writes.
 */
import { test, expect } from './kv-fixtures.ts';

test('a request that arrives during a transaction runs after it: it neither sees nor joins the transaction', async ({ probe }) => {
  const r = await probe(`async (storage, ctx, self) => {
    const other = self.env.PROBE.get(ctx.id).fetch('https://probe.test/', {
      method: 'POST',
      body: 'async (storage) => { const log = storage.kv.get("log"); storage.kv.put("log", [...log, "other request"]); return log; }',
    });
    storage.kv.put('log', ['before']);
    await storage.transaction(async () => {
      storage.kv.put('log', [...storage.kv.get('log'), 'transaction started']);
      // Long enough for the other request to arrive, were it not held back.
      await new Promise((resolve) => setTimeout(resolve, 50));
      storage.kv.put('log', [...storage.kv.get('log'), 'transaction rolled back']);
      throw new Error('roll back');
    }).catch(() => {});
    const seen = (await (await other).json()).value;
    return { seenByOther: seen, final: storage.kv.get('log') };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      // Had it run during the transaction, it would have seen 'transaction started', and its own write
      // would have been rolled back with the transaction.
      seenByOther: ['before'],
      final: ['before', 'other request'],
    },
  });
});
