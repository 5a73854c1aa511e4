/**
 * A put that is refused (a value that cannot be serialized, or is over a limit)
 * throws before it writes anything: acknowledged writes stay, the batch it was
 * part of is not half-written, and the object keeps serving.
 */
import { test, expect, BACKENDS } from './kv-fixtures.ts';

for (const backend of BACKENDS) {
  test(`a refused put leaves earlier writes intact and the object keeps serving (${backend})`, async ({ probe }) => {
    expect(await probe(`async (storage) => { await storage.put('kept', { n: 1 }); return 'written'; }`, backend)).toEqual({
      ok: true,
      value: 'written',
    });

    const refused = await probe(`async (storage) => storage.put('bad', () => 1)`, backend);
    expect(refused).toMatchObject({ ok: false, error: { name: 'DataCloneError' } });
    if (backend === 'KV_PROBE') {
      const tooBig = await probe(`async (storage) => storage.put('big', 'x'.repeat(200_000))`, backend);
      expect(tooBig).toMatchObject({ ok: false, error: { name: 'RangeError' } });
    }

    const after = await probe(
      `async (storage) => {
        await storage.put('after', 2);
        return { kept: await storage.get('kept'), entries: [...(await storage.list()).entries()] };
      }`,
      backend,
    );
    expect(after).toEqual({ ok: true, value: { kept: { n: 1 }, entries: [['after', 2], ['kept', { n: 1 }]] } });
  });
}

test('put(entries) with one refused value writes none of the entries', async ({ probe }) => {
  const batch = `async (storage) => {
    const out = [];
    const batches = [
      { x: 1, y: () => 1, z: 3 },
      { x: 1, y: { deep: [Symbol('s')] }, z: 3 },
      ...(BIG ? [{ x: 1, y: 'x'.repeat(200_000), z: 3 }, { x: 1, ['k'.repeat(2049)]: 2, z: 3 }] : []),
    ];
    for (const entries of batches) {
      try { await storage.put(entries); out.push('stored'); } catch (e) { out.push(e.name); }
    }
    out.push([...(await storage.list()).keys()]);
    return out;
  }`;
  expect(await probe(batch.replace('BIG', 'false'))).toEqual({ ok: true, value: ['DataCloneError', 'DataCloneError', []] });
  expect(await probe(batch.replace('BIG', 'true'), 'KV_PROBE')).toEqual({
    ok: true,
    value: ['DataCloneError', 'DataCloneError', 'RangeError', 'RangeError', []],
  });
});

test('a refused put that the object catches does not undo its other writes in the same request', async ({ probe }) => {
  const first = await probe(`async (storage) => {
    await storage.put('before', 1);
    let caught = 'nothing';
    try { await storage.put('bad', Symbol('s')); } catch (e) { caught = e.name; }
    await storage.put('after', 2);
    return caught;
  }`);
  expect(first).toEqual({ ok: true, value: 'DataCloneError' });
  const second = await probe(`async (storage) => [...(await storage.list()).entries()]`);
  expect(second).toEqual({ ok: true, value: [['after', 2], ['before', 1]] });
});
