/**
 * Values V8's serializer cannot write are refused with a `DataCloneError`
 * carrying V8's (or workerd's) message, and nothing is stored (DO-API.md §4.4, §15).
 */
import { test, expect } from './kv-fixtures.ts';

/** Source of a probe that tries to store each `[name, value]` of `cases`, reporting the error and whether anything was stored. */
function tryPut(cases: string): string {
  return `async (storage, ctx) => {
    const out = {};
    for (const [name, value] of ${cases}) {
      try {
        await storage.put(name, value);
        out[name] = 'stored';
      } catch (e) {
        out[name] = [e instanceof DOMException, e.name, e.message];
      }
    }
    out.stored = [...(await storage.list()).keys()];
    return out;
  }`;
}

test('storing a function is a DataCloneError that quotes the function', async ({ probe }) => {
  const r = await probe(
    tryPut(`[
      ['arrow', () => 1],
      ['nested', { handler: function hello() {} }],
      ['inMap', new Map([['f', async () => {}]])],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      arrow: [true, 'DataCloneError', '() => 1 could not be cloned.'],
      nested: [true, 'DataCloneError', 'function hello() {} could not be cloned.'],
      inMap: [true, 'DataCloneError', 'async () => {} could not be cloned.'],
      stored: [],
    },
  });
});

test('storing a symbol or a WeakMap is a DataCloneError', async ({ probe }) => {
  const r = await probe(
    tryPut(`[
      ['symbol', Symbol('s')],
      ['nestedSymbol', { s: Symbol.iterator }],
      ['weakMap', new WeakMap()],
      ['weakSet', [new WeakSet()]],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      symbol: [true, 'DataCloneError', 'Symbol(s) could not be cloned.'],
      nestedSymbol: [true, 'DataCloneError', 'Symbol(Symbol.iterator) could not be cloned.'],
      weakMap: [true, 'DataCloneError', '#<WeakMap> could not be cloned.'],
      weakSet: [true, 'DataCloneError', '#<WeakSet> could not be cloned.'],
      stored: [],
    },
  });
});

test('storing a DurableObjectId is a DataCloneError naming the type', async ({ probe }) => {
  const r = await probe(
    tryPut(`[
      ['id', ctx.id],
      ['nestedId', { owner: ctx.id }],
    ]`),
  );
  const refused = [
    true,
    'DataCloneError',
    'Could not serialize object of type "DurableObjectId". This type does not support serialization.',
  ];
  expect(r).toEqual({ ok: true, value: { id: refused, nestedId: refused, stored: [] } });
});
