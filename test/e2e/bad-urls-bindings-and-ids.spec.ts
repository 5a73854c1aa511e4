import { test, expect } from './fixtures.ts';

test('stub.fetch rejects relative and non-http URLs with Cloudflare\'s errors', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const stub = window.hearth.stub('COUNTER', 'u');
    return {
      relative: await window.hearth.settle(stub.fetch('/relative')),
      ftp: await window.hearth.settle(stub.fetch('ftp://example.com/x')),
      ok: (await stub.fetch('http://example.com/increment')).status,
    };
  });
  expect(result.relative.error).toMatchObject({ name: 'TypeError', message: 'Invalid URL: /relative' });
  expect(result.ftp.error).toMatchObject({ name: 'TypeError', message: 'Fetch API cannot load: ftp://example.com/x' });
  expect(result.ok).toBe(200);
});

test('an unknown binding is a clear error naming the declared ones', async ({ app }) => {
  const result = await app.evaluate(() => window.hearth.settle(Promise.resolve().then(() => window.hearth.runtime.env.NOPE)));
  expect(result.ok).toBe(false);
  expect(result.error.message).toContain('env.NOPE is not a binding');
  expect(result.error.message).toContain('COUNTER');
});

test('malformed ids, ids from another namespace and bad options fail with Cloudflare\'s messages', async ({ app }) => {
  const result = await app.evaluate(() => {
    const { COUNTER, LEDGER } = window.hearth.runtime.env;
    const attempt = (fn: () => unknown) => {
      try {
        fn();
        return { ok: true };
      } catch (error) {
        const e = error as Error;
        return { ok: false, name: e.name, message: e.message };
      }
    };
    const foreign = LEDGER.idFromName('x');
    return {
      short: attempt(() => COUNTER.idFromString('abc')),
      nonHex: attempt(() => COUNTER.idFromString('g'.repeat(64))),
      foreignString: attempt(() => COUNTER.idFromString(foreign.toString())),
      foreignGet: attempt(() => COUNTER.get(foreign)),
      notAnId: attempt(() => COUNTER.get('abc' as never)),
      routingMode: attempt(() => COUNTER.get(COUNTER.idFromName('x'), { routingMode: 'x' })),
      jurisdictionMismatch: attempt(() => COUNTER.jurisdiction('eu').get(COUNTER.idFromName('x'))),
      jurisdictionOk: attempt(() => COUNTER.get(COUNTER.jurisdiction('eu').idFromName('x'))),
    };
  });
  expect(result.short).toEqual({ ok: false, name: 'TypeError', message: 'Invalid Durable Object ID: must be 64 hex digits' });
  expect(result.nonHex).toEqual({ ok: false, name: 'TypeError', message: 'Invalid Durable Object ID: must be 64 hex digits' });
  expect(result.foreignString).toEqual({ ok: false, name: 'TypeError', message: 'Durable Object ID is not valid for this namespace.' });
  expect(result.foreignGet).toEqual({ ok: false, name: 'TypeError', message: 'Durable Object ID is not valid for this namespace.' });
  expect(result.notAnId.ok).toBe(false);
  expect(result.routingMode).toEqual({ ok: false, name: 'RangeError', message: 'unknown routingMode: x' });
  expect(result.jurisdictionMismatch).toEqual({
    ok: false,
    name: 'TypeError',
    message: 'get called on jurisdictional subnamespace with an ID from a different jurisdiction',
  });
  expect(result.jurisdictionOk).toEqual({ ok: true });
});
