/**
 * A value nested deeper than Hearth's serializer goes (MAX_NESTING_DEPTH, 512
 * levels) is refused with a DataCloneError that names the limit — inside a
 * real object worker, whose stack is smaller than Node's — never with
 * `Maximum call stack size exceeded`; and the object keeps working.
 */
import { test, expect } from './kv-fixtures.ts';

test('a value nested 1,000 arrays deep is refused with a DataCloneError naming the limit; 512 levels are stored', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const nested = (levels) => { let v = []; for (let i = 1; i < levels; i++) v = [v]; return v; };
    const depthOf = (v) => { let d = 0; while (Array.isArray(v)) { v = v[0]; d++; } return d; };
    const out = {};
    for (const levels of [1000, 100000]) {
      try { await storage.put('deep' + levels, nested(levels)); out[levels] = 'stored'; }
      catch (e) { out[levels] = [e instanceof DOMException, e.name, e.message]; }
    }
    await storage.put('ok', nested(512));
    out.readBack = depthOf(await storage.get('ok'));
    out.keys = [...(await storage.list()).keys()];
    return out;
  }`);
  const refused = [true, 'DataCloneError', 'Value could not be serialized: objects and arrays are nested more than 512 levels deep.'];
  expect(r).toEqual({ ok: true, value: { 1000: refused, 100000: refused, readBack: 512, keys: ['ok'] } });
});
