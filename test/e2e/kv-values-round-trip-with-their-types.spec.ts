/**
 * Values go through V8's serialization format, so everything structured-
 * clonable comes back as the same kind of value (DO-API.md §4.4, §15).
 *
 * Each value is stored and read back on its own, so one unsupported type shows
 * up as one wrong entry in the diff rather than failing the whole case.
 */
import { test, expect } from './kv-fixtures.ts';

/** Source of a probe that round-trips each `[name, value, describe]` built by `cases` and reports `describe(readBack)`. */
function roundTrip(cases: string): string {
  return `async (storage) => {
    const out = {};
    for (const [name, value, describe] of ${cases}) {
      try {
        await storage.put(name, value);
        out[name] = describe(await storage.get(name));
      } catch (e) {
        out[name] = 'threw ' + e.name + ': ' + e.message;
      }
    }
    return out;
  }`;
}

test('Date, Map, Set, RegExp and BigInt values come back as themselves', async ({ probe }) => {
  const r = await probe(
    roundTrip(`[
      ['date', new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), (v) => [v instanceof Date, v instanceof Date ? v.toISOString() : v]],
      ['invalidDate', new Date(NaN), (v) => [v instanceof Date, v instanceof Date ? String(v.getTime()) : v]],
      ['map', new Map([['k', 1], [2, { two: true }]]), (v) => [v instanceof Map, v instanceof Map ? [...v.entries()] : v]],
      ['set', new Set(['x', 3, 'x']), (v) => [v instanceof Set, v instanceof Set ? [...v] : v]],
      ['regexp', /a+b/giu, (v) => [v instanceof RegExp, v instanceof RegExp ? [v.source, v.flags] : v]],
      ['bigint', 12345678901234567890123n, (v) => [typeof v, String(v)]],
      ['negativeBigint', -5n, (v) => [typeof v, String(v)]],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      date: [true, '2026-01-02T03:04:05.006Z'],
      invalidDate: [true, 'NaN'],
      map: [true, [['k', 1], [2, { two: true }]]],
      set: [true, ['x', 3]],
      regexp: [true, ['a+b', 'giu']],
      bigint: ['bigint', '12345678901234567890123'],
      negativeBigint: ['bigint', '-5'],
    },
  });
});

test('binary values keep their types, and a subarray comes back over its whole buffer at its offset', async ({ probe }) => {
  const r = await probe(
    roundTrip(`[
      ['uint8', new Uint8Array([1, 2, 3]), (v) => [v?.constructor?.name, [...v], v.byteOffset, v.buffer.byteLength]],
      ['subarray', new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]).subarray(2, 5), (v) => [v?.constructor?.name, [...v], v.byteOffset, v.buffer.byteLength]],
      ['arrayBuffer', new Uint8Array([9, 8, 7]).buffer, (v) => [v?.constructor?.name, [...new Uint8Array(v)]]],
      ['dataView', new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2), (v) => [v?.constructor?.name, v.byteLength, v.getUint8(0), v.getUint8(1), v.byteOffset, v.buffer.byteLength]],
      ['float64', new Float64Array([1.5, -0, NaN]), (v) => [v?.constructor?.name, [...v].map(String), Object.is(v[1], -0)]],
      ['int16', new Int16Array([-2, 300]), (v) => [v?.constructor?.name, [...v]]],
      ['bigInt64', new BigInt64Array([-1n, 2n ** 62n]), (v) => [v?.constructor?.name, [...v].map(String)]],
      ['empty', new Uint8Array(0), (v) => [v?.constructor?.name, v.length]],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      uint8: ['Uint8Array', [1, 2, 3], 0, 3],
      subarray: ['Uint8Array', [2, 3, 4], 2, 8],
      arrayBuffer: ['ArrayBuffer', [9, 8, 7]],
      dataView: ['DataView', 2, 2, 3, 1, 4],
      float64: ['Float64Array', ['1.5', '0', 'NaN'], true],
      int16: ['Int16Array', [-2, 300]],
      bigInt64: ['BigInt64Array', ['-1', '4611686018427387904']],
      empty: ['Uint8Array', 0],
    },
  });
});

test('views of one buffer still share it after a round trip, as V8 writes them', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const bytes = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await storage.put('views', { a: bytes.subarray(0, 2), b: bytes.subarray(1, 3), whole: bytes.buffer });
    const v = await storage.get('views');
    v.a[1] = 99;
    return { shared: v.a.buffer === v.b.buffer && v.b.buffer === v.whole, offsets: [v.a.byteOffset, v.b.byteOffset], seenThroughB: v.b[0] };
  }`);
  expect(r).toEqual({ ok: true, value: { shared: true, offsets: [0, 1], seenThroughB: 99 } });
});

test('a DOMException comes back as a DOMException with its name, message and code', async ({ probe }) => {
  const r = await probe(
    roundTrip(`[
      ['dataClone', new DOMException('dom message', 'DataCloneError'),
        (v) => [v instanceof DOMException, v.name, v.message, v.code]],
      ['default', new DOMException(),
        (v) => [v instanceof DOMException, v.name, v.message, v.code]],
      ['asCause', new Error('outer', { cause: new DOMException('aborted', 'AbortError') }),
        (v) => [v.cause instanceof DOMException, v.cause.name, v.cause.code]],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      dataClone: [true, 'DataCloneError', 'dom message', 25],
      default: [true, 'Error', '', 0],
      asCause: [true, 'AbortError', 20],
    },
  });
});

test('a Headers and a body-less Request come back with their contents; a Request with a body is refused', async ({ probe }) => {
  const r = await probe(
    roundTrip(`[
      ['headers', new Headers({ a: '1', B: 'x' }),
        (v) => [v instanceof Headers, [...v]]],
      ['request', new Request('https://object.test/stored', { method: 'POST', headers: { a: '1' }, redirect: 'manual' }),
        (v) => [v instanceof Request, v.method, v.url, [...v.headers], v.redirect, v.body]],
      ['withBody', new Request('https://object.test/', { method: 'POST', body: 'hello' }), (v) => v],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      headers: [true, [['a', '1'], ['b', 'x']]],
      request: [true, 'POST', 'https://object.test/stored', [['a', '1']], 'manual', null],
      withBody: 'threw DataCloneError: ReadableStream can only be serialized for RPC.',
    },
  });
});

test('null, NaN, -0, the infinities and other primitives survive exactly', async ({ probe }) => {
  const r = await probe(
    roundTrip(`[
      ['null', null, (v) => v === null],
      ['nan', NaN, (v) => Number.isNaN(v)],
      ['negativeZero', -0, (v) => Object.is(v, -0)],
      ['infinity', Infinity, (v) => v === Infinity],
      ['negativeInfinity', -Infinity, (v) => v === -Infinity],
      ['maxValue', Number.MAX_VALUE, (v) => v === Number.MAX_VALUE],
      ['int', -123456789, (v) => v === -123456789],
      ['false', false, (v) => v === false],
      ['emptyString', '', (v) => v === ''],
      ['unicode', 'é 😀 \\u0000 \\uFFFF', (v) => v === 'é 😀 \\u0000 \\uFFFF'],
      ['undefinedInside', { u: undefined, a: [undefined] }, (v) => 'u' in v && v.u === undefined && v.a.length === 1 && 0 in v.a],
      ['boxed', [new String('s'), new Number(1), new Boolean(false)], (v) => v.map((b) => typeof b + ':' + b.constructor.name + ':' + b.valueOf())],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      null: true,
      nan: true,
      negativeZero: true,
      infinity: true,
      negativeInfinity: true,
      maxValue: true,
      int: true,
      false: true,
      emptyString: true,
      unicode: true,
      undefinedInside: true,
      boxed: ['object:String:s', 'object:Number:1', 'object:Boolean:false'],
    },
  });
});

test('sparse arrays keep their holes, and shared or cyclic references keep their identity', async ({ probe }) => {
  const r = await probe(
    roundTrip(`[
      ['sparse', (() => { const a = [1, , 3]; a[10] = 'x'; return a; })(),
        (v) => [v.length, 1 in v, 10 in v, v[10], Object.keys(v)]],
      ['cycle', (() => { const o = { name: 'o' }; o.self = o; return o; })(),
        (v) => [v.self === v, v.name]],
      ['shared', (() => { const s = { s: 1 }; return { x: s, y: s, list: [s] }; })(),
        (v) => [v.x === v.y, v.list[0] === v.x, v.x.s]],
      ['cyclicMap', (() => { const m = new Map(); m.set('me', m); return m; })(),
        (v) => [v instanceof Map && v.get('me') === v]],
      ['cyclicArray', (() => { const a = [0]; a.push(a); return a; })(),
        (v) => [v[1] === v, v[0]]],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      sparse: [11, false, true, 'x', ['0', '2', '10']],
      cycle: [true, 'o'],
      shared: [true, true, 1],
      cyclicMap: [true],
      cyclicArray: [true, 0],
    },
  });
});

test('errors keep their class and message; an Error subclass comes back as Error', async ({ probe }) => {
  const r = await probe(
    roundTrip(`[
      ['error', new Error('boom'),
        (v) => [v instanceof Error, Object.getPrototypeOf(v) === Error.prototype, v.message]],
      ['typeError', new TypeError('bad type'),
        (v) => [v instanceof TypeError, v.name, v.message]],
      ['rangeError', new RangeError('out of range'),
        (v) => [v instanceof RangeError, v.name, v.message]],
      ['subclass', (() => { class MyError extends Error {} return new MyError('mine'); })(),
        (v) => [v instanceof Error, Object.getPrototypeOf(v) === Error.prototype, v.message]],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      error: [true, true, 'boom'],
      typeError: [true, 'TypeError', 'bad type'],
      rangeError: [true, 'RangeError', 'out of range'],
      subclass: [true, true, 'mine'],
    },
  });
});

test('an error keeps its own properties, as workerd was observed to keep them', async ({ probe }) => {
  // DO-API.md §15: "Errors keep message and own properties".
  const r = await probe(
    roundTrip(`[
      ['error', Object.assign(new Error('boom'), { code: 42, detail: { retry: true } }),
        (v) => [v.message, v.code, v.detail]],
    ]`),
  );
  expect(r).toEqual({ ok: true, value: { error: ['boom', 42, { retry: true }] } });
});

test('class instances and null-prototype objects come back as plain objects with their own data', async ({ probe }) => {
  const r = await probe(
    roundTrip(`[
      ['instance', (() => {
          class Point { constructor() { this.x = 1; this.y = 2; } get sum() { return this.x + this.y; } }
          return new Point();
        })(),
        (v) => [Object.getPrototypeOf(v) === Object.prototype, Object.keys(v), v.x, v.y, 'sum' in v]],
      ['nullPrototype', Object.assign(Object.create(null), { k: 'v' }),
        (v) => [Object.getPrototypeOf(v) === Object.prototype, Object.keys(v), v.k]],
      ['nested', { inner: Object.assign(Object.create(null), { deep: new (class Foo { constructor() { this.a = 1; } })() }) },
        (v) => [Object.getPrototypeOf(v.inner) === Object.prototype, Object.getPrototypeOf(v.inner.deep) === Object.prototype, v.inner.deep.a]],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      instance: [true, ['x', 'y'], 1, 2, false],
      nullPrototype: [true, ['k'], 'v'],
      nested: [true, true, 1],
    },
  });
});
