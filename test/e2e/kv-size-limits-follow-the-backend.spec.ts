/**
 * Size and count limits follow the backend, as production does (DO-API.md
 * §4.3): KV-backed classes (`new_classes`) get 2 KiB keys and 128 KiB values
 * with workerd's exact messages (`io/actor-storage.c++`); SQLite-backed classes
 * only cap key + value at 2 MB. Both allow 128 keys per call.
 */
import { test, expect } from './kv-fixtures.ts';

/** Probe-side helper source: `attempt(fn)` → 'ok' or 'Name: message'. */
const ATTEMPT = `const attempt = async (fn) => { try { await fn(); return 'ok'; } catch (e) { return e.name + ': ' + e.message; } };`;

test('a KV-backed object accepts a 2048-byte key and refuses a longer one, counting UTF-8 bytes', async ({ probe }) => {
  const r = await probe(
    `async (storage) => {
      ${ATTEMPT}
      const k2048 = 'k'.repeat(2048), k2049 = 'k'.repeat(2049), e2050 = 'é'.repeat(1025);
      return {
        put2048: await attempt(() => storage.put(k2048, 1)),
        get2048: await storage.get(k2048),
        put2049: await attempt(() => storage.put(k2049, 1)),
        putMultibyte: await attempt(() => storage.put(e2050, 1)),
        putEntries: await attempt(() => storage.put({ ok: 1, [k2049]: 1 })),
        get2049: await attempt(() => storage.get(k2049)),
        delete2049: await attempt(() => storage.delete(k2049)),
        stored: [...(await storage.list()).keys()].map((k) => k.length),
      };
    }`,
    'KV_PROBE',
  );
  const tooLong = (n: number) => `RangeError: Keys cannot be larger than 2048 bytes. A key of size ${n} was provided.`;
  expect(r).toEqual({
    ok: true,
    value: {
      put2048: 'ok',
      get2048: 1,
      put2049: tooLong(2049),
      putMultibyte: tooLong(2050),
      putEntries: tooLong(2049),
      get2049: tooLong(2049),
      delete2049: tooLong(2049),
      stored: [2048],
    },
  });
});

test('a KV-backed object accepts a 128 KiB value and refuses one over 131072 serialized bytes', async ({ probe }) => {
  // V8 writes a string of n one-byte characters as FF 0F (header), 22 (tag), varint(n), then the
  // bytes: 6 bytes of overhead once n needs a 3-byte varint. workerd allows 34 bytes of slack:
  // up to 131106 serialized bytes are accepted.
  const r = await probe(
    `async (storage) => {
      ${ATTEMPT}
      return {
        bytes128KiB: await attempt(() => storage.put('bytes', new Uint8Array(131072).fill(7))),
        readBack: await storage.get('bytes').then((v) => [v?.constructor?.name, v?.byteLength, v?.[131071]]),
        stringAtSlack: await attempt(() => storage.put('s1', 'x'.repeat(131100))),
        stringOverSlack: await attempt(() => storage.put('s2', 'x'.repeat(131101))),
        bytesOver: await attempt(() => storage.put('b2', new Uint8Array(200000))),
        inEntries: await attempt(() => storage.put({ fine: 1, big: 'x'.repeat(131101) })),
        stored: [...(await storage.list()).keys()],
      };
    }`,
    'KV_PROBE',
  );
  expect(r).toMatchObject({
    ok: true,
    value: {
      bytes128KiB: 'ok',
      readBack: ['Uint8Array', 131072, 7],
      stringAtSlack: 'ok',
      stringOverSlack: 'RangeError: Values cannot be larger than 131072 bytes. A value of size 131107 was provided.',
      inEntries: 'RangeError: Values cannot be larger than 131072 bytes. A value of size 131107 was provided.',
      stored: ['bytes', 's1'],
    },
  });
  expect(r.value.bytesOver).toMatch(/^RangeError: Values cannot be larger than 131072 bytes\. A value of size 2000\d\d was provided\.$/);
});

test('get, put and delete take at most 128 keys per call', async ({ probe }) => {
  const r = await probe(
    `async (storage) => {
      ${ATTEMPT}
      const keys = (n) => Array.from({ length: n }, (_, i) => 'k' + String(i).padStart(3, '0'));
      const entries = (n) => Object.fromEntries(keys(n).map((k) => [k, 1]));
      return {
        put128: await attempt(() => storage.put(entries(128))),
        get128: (await storage.get(keys(128))).size,
        delete128: await storage.delete(keys(128)),
        put129: await attempt(() => storage.put(entries(129))),
        get129: await attempt(() => storage.get(keys(129))),
        delete129: await attempt(() => storage.delete(keys(129))),
        stored: (await storage.list()).size,
      };
    }`,
    'KV_PROBE',
  );
  const tooMany = 'RangeError: Maximum number of key value pairs is 128. 129 pairs were provided.';
  expect(r).toEqual({
    ok: true,
    value: { put128: 'ok', get128: 128, delete128: 128, put129: tooMany, get129: tooMany, delete129: tooMany, stored: 0 },
  });
});

test('a SQLite-backed object accepts a 3000-byte key and a 500 KB value', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const key = 'k'.repeat(3000);
    const value = new Uint8Array(500_000).fill(3);
    return {
      put: await attempt(() => storage.put(key, value)),
      bigString: await attempt(() => storage.put('s', 'x'.repeat(500_000))),
      readBack: await storage.get(key).then((v) => [v?.constructor?.name, v?.byteLength, v?.[499_999]]),
      listed: [...(await storage.list()).keys()].map((k) => k.length),
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: { put: 'ok', bigString: 'ok', readBack: ['Uint8Array', 500_000, 3], listed: [3000, 1] },
  });
});
