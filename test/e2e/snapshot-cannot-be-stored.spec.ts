/**
 * A `DurableObjectSnapshot` can be passed over RPC but not stored (DO-API
 * §5.7): `put()` refuses it as it refuses any host object it cannot serialize
 * (DO-API §4.4), nested or not, and nothing is written.
 */
import { test, expect } from './fixtures.ts';
import { inAlarmist } from './alarm-fixtures.ts';

test('put() of a snapshot fails with a DataCloneError and writes nothing', async ({ app }) => {
  test.setTimeout(60_000);
  const outcome = await inAlarmist(app, 'unstorable', `async (storage) => {
    await storage.put('before', 1);
    const snapshot = await storage.snapshot();
    const attempt = async (fn) => { try { await fn(); return 'stored'; } catch (e) { return e.name + ': ' + e.message + ' (code ' + e.code + ')'; } };
    return {
      plain: await attempt(() => storage.put('s', snapshot)),
      nested: await attempt(() => storage.put({ ok: 1, inside: { list: [snapshot] } })),
      syncKv: await attempt(() => storage.kv.put('s', snapshot)),
      keys: [...(await storage.list()).keys()],
    };
  }`);
  const refusal = 'DataCloneError: Could not serialize object of type "DurableObjectSnapshot". This type does not support serialization. (code 25)';
  expect(outcome).toEqual({ plain: refusal, nested: refusal, syncKv: refusal, keys: ['before'] });
});
