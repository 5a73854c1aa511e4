import { describe, expect, it } from 'vitest';
import * as v8 from 'node:v8';
import { deserialize, MAX_NESTING_DEPTH, serialize, serializedSize } from '../../src/storage/structured-serializer.ts';

// Node's `v8.serialize` is the oracle: same V8 ValueSerializer, version 15.
//
// Caveat when adding cases: V8 writes an integer as a double when the object
// field (or array) it sits in has ever held a double in this isolate, and
// object shapes are shared across the whole test file. So a property name used
// for integers here must never hold a non-integer anywhere in this file (and
// vice versa), or Node's bytes stop being deterministic.

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const roundTrip = <T>(value: T): T => deserialize(serialize(value)) as T;

/** V8's own bytes with ArrayBufferViews written natively ('V'), as browsers and workerd do. */
function v8Native(value: unknown): Uint8Array {
  const ser = new v8.Serializer();
  ser.writeHeader();
  ser.writeValue(value);
  return new Uint8Array(ser.releaseBuffer());
}

const bytesOf = (view: ArrayBufferView): number[] => [...new Uint8Array(view.buffer, view.byteOffset, view.byteLength)];

function nodeReads(bytes: Uint8Array): unknown {
  return v8.deserialize(Buffer.from(bytes));
}

/** Our bytes equal V8's, and both directions decode to an equal value. */
function expectV8Compatible(value: unknown): void {
  const ours = serialize(value);
  expect(hex(ours)).toBe(hex(v8.serialize(value)));
  expect(deserialize(ours)).toStrictEqual(value);
  expect(nodeReads(ours)).toStrictEqual(value);
}

function cloneErrorOf(fn: () => unknown): DOMException {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DOMException);
    expect((e as DOMException).name).toBe('DataCloneError');
    return e as DOMException;
  }
  throw new Error('expected a DataCloneError');
}

describe('header', () => {
  it('starts with FF 0F (version 15)', () => {
    expect(hex(serialize(null).subarray(0, 2))).toBe('ff0f');
    expect(hex(serialize(null))).toBe('ff0f30');
  });
});

describe('primitives', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['true', true],
    ['false', false],
    ['empty string', ''],
    ['ascii string', 'hello'],
    ['latin-1 string', 'caf\u00e9 \u00ff'],
  ])('%s matches V8 byte for byte', (_name, value) => {
    expectV8Compatible(value);
  });

  it.each([0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, 1000000, -1000000, 2 ** 30 - 1, -(2 ** 30)])(
    'Smi %d is a zigzag int32 identical to V8',
    (n) => {
      const bytes = serialize(n);
      expect(bytes[2]).toBe(0x49); // 'I'
      expectV8Compatible(n);
    },
  );

  it.each([0.5, -1.25, Math.PI, 2 ** 32, 2 ** 53, -(2 ** 40), 1e21, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity])(
    'non-Smi %d is a double identical to V8',
    (n) => {
      const bytes = serialize(n);
      expect(bytes[2]).toBe(0x4e); // 'N'
      expectV8Compatible(n);
    },
  );

  it('writes NaN and -0 as doubles and keeps them', () => {
    expect(hex(serialize(NaN))).toBe(hex(v8.serialize(NaN)));
    expect(hex(serialize(-0))).toBe(hex(v8.serialize(-0)));
    expect(hex(serialize(-0))).toBe('ff0f4e0000000000000080');
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(Number.isNaN(roundTrip(NaN))).toBe(true);
    expect(Object.is(nodeReads(serialize(-0)), -0)).toBe(true);
  });

  it('uses the 31-bit Smi range of pointer-compressed V8 (workerd, Chrome)', () => {
    // Node's builds have 32-bit Smis, so it writes these as 'I'; workerd writes 'N'.
    for (const n of [2 ** 30, 2 ** 31 - 1, -(2 ** 30) - 1, -(2 ** 31)]) {
      expect(serialize(n)[2]).toBe(0x4e);
      expect(roundTrip(n)).toBe(n);
      expect(nodeReads(serialize(n))).toBe(n);
    }
  });

  it.each([0n, 1n, -1n, 255n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, -(2n ** 64n), 2n ** 200n + 12345n, -(3n ** 300n)])(
    'BigInt %s matches V8',
    (n) => {
      expectV8Compatible(n);
    },
  );

  it('reads the exact bigint encoding V8 documents (sign bit | byte length << 1, then 64-bit digits)', () => {
    expect(hex(serialize(-1n))).toBe('ff0f5a110100000000000000');
    expect(deserialize(fromHex('ff0f5a110100000000000000'))).toBe(-1n);
  });
});

describe('strings', () => {
  it.each([
    ['two-byte', '\u0100'],
    ['CJK', '\u65e5\u672c\u8a9e'],
    ['emoji', 'smile \u{1f600} and \u{1f680}'],
    ['lone surrogates', '\ud800x\udc00'],
    ['mixed latin-1 then two-byte', '\u00e9'.repeat(40) + '\u0101'],
  ])('%s string matches V8', (_name, s) => {
    expectV8Compatible(s);
  });

  it.each([100, 5000, 100_000])('long strings of length %d match V8', (len) => {
    expectV8Compatible('abcdefghij'.repeat(len / 10));
    expectV8Compatible('\u00e9bcdefghij'.repeat(len / 10));
    expectV8Compatible('\u0100bcdefghij'.repeat(len / 10));
    expectV8Compatible('abcdefghi\u{1f600}'.repeat(len / 10));
  });

  it('one-byte strings that look like UTF-8 or a BOM stay Latin-1', () => {
    expectV8Compatible('\u00ef\u00bb\u00bf' + 'a'.repeat(100));
    expectV8Compatible('\u00c3\u00a9'.repeat(50));
    expectV8Compatible('x'.repeat(70) + '\u00ff');
  });

  it('pads two-byte strings to an even offset exactly like V8', () => {
    // Each case shifts where the string starts; V8 inserts '\0' when the data would be odd.
    const cases: unknown[] = [
      ['\u0100'],
      ['a', '\u0100'],
      ['ab', 'x', '\u0100\u0101'],
      { k: '\u0100' },
      { kk: '\u0100' },
      { '\u0100': 'v' },
      ['\u0100'.repeat(64)],
      ['a', '\u0100'.repeat(64)],
      new Map([['\u0100', '\u0101']]),
    ];
    let paddingSeen = false;
    for (const value of cases) {
      const ours = serialize(value);
      expect(hex(ours)).toBe(hex(v8.serialize(value)));
      expect(deserialize(ours)).toStrictEqual(value);
      if (/00 ?63/.test(hex(ours))) paddingSeen = true;
    }
    expect(paddingSeen).toBe(true);
  });
});

describe('objects', () => {
  it('plain objects match V8', () => {
    expectV8Compatible({});
    expectV8Compatible({ count: 5 });
    expectV8Compatible({ a: 1, b: 'two', c: null, d: undefined, e: true, nested: { deeper: { deepest: 'x' } } });
    expectV8Compatible({ ratio: 0.25, pi: 3.5 });
  });

  it('writes integer-like keys as numbers, like V8', () => {
    expectV8Compatible({ 1: 'one', 0: 'zero', name: 'n', '01': 'leading zero stays a string', '-1': 'negative stays a string' });
    // 2^32 - 2 is the largest array index (a double key); 2^32 - 1 is an ordinary string key.
    expectV8Compatible({ 4294967294: 'max index', 4294967295: 'not an index' });
  });

  it('reads many distinct and colliding property names correctly', () => {
    const wide: Record<string, string> = {};
    for (let i = 0; i < 5000; i++) wide[`key${i}`] = `v${i}`;
    for (let i = 0; i < 3; i++) expect(roundTrip(wide)).toStrictEqual(wide);
    // Same length, different bytes: must never be confused.
    const rows = Array.from({ length: 200 }, (_, i) => ({ [`k${String(i).padStart(3, '0')}`]: i }));
    expect(roundTrip(rows)).toStrictEqual(rows);
    expect(roundTrip({ ab: 'ab', ba: 'ba' })).toStrictEqual({ ab: 'ab', ba: 'ba' });
    const long = 'k'.repeat(40);
    expect(roundTrip({ [long]: 1, [long + 'x']: 2 })).toStrictEqual({ [long]: 1, [long + 'x']: 2 });
  });

  it('keeps insertion order of string keys after index keys', () => {
    const value = { zeta: 1, 2: 'two', alpha: 2, 1: 'one' };
    const out = roundTrip(value);
    expect(Object.keys(out)).toEqual(['1', '2', 'zeta', 'alpha']);
  });

  it('serializes class instances as plain objects and loses the prototype', () => {
    class Point {
      constructor(public px: number, public py: number) {}
      get sum(): number {
        return this.px + this.py;
      }
    }
    const p = new Point(1, 2);
    expect(hex(serialize(p))).toBe(hex(v8.serialize(p)));
    const out = roundTrip(p);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out).toStrictEqual({ px: 1, py: 2 });
  });

  it('brings Object.create(null) back with Object.prototype', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.k = 'v';
    expect(hex(serialize(bare))).toBe(hex(v8.serialize(bare)));
    const out = roundTrip(bare);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out).toEqual({ k: 'v' });
  });

  it('skips symbol-keyed and non-enumerable properties, and runs getters', () => {
    const value: Record<string | symbol, unknown> = { shown: 1, [Symbol('hidden')]: 2 };
    Object.defineProperty(value, 'secret', { value: 3, enumerable: false });
    Object.defineProperty(value, 'computed', { get: () => 'got', enumerable: true });
    expect(hex(serialize(value))).toBe(hex(v8.serialize(value)));
    expect(roundTrip(value)).toStrictEqual({ shown: 1, computed: 'got' });
  });

  it('keeps "__proto__" as an own data property instead of changing the prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": 1}, "plain": 2}') as Record<string, unknown>;
    expect(hex(serialize(value))).toBe(hex(v8.serialize(value)));
    const out = roundTrip(value);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns fresh objects on every deserialize', () => {
    const bytes = serialize({ list: [1, 2], inner: { z: 1 } });
    const a = deserialize(bytes) as { list: number[]; inner: object };
    const b = deserialize(bytes) as { list: number[]; inner: object };
    expect(a).toStrictEqual(b);
    expect(a).not.toBe(b);
    expect(a.list).not.toBe(b.list);
    expect(a.inner).not.toBe(b.inner);
  });
});

describe('arrays', () => {
  it('writes packed arrays densely, like V8', () => {
    expectV8Compatible([]);
    expectV8Compatible([1, 2, 3]);
    expectV8Compatible(['a', { b: 1 }, [null], undefined, true]);
    expect(serialize([1, 2, 3])[2]).toBe(0x41); // 'A'
  });

  it('writes every element of an all-number array holding a double as a double, like V8', () => {
    expectV8Compatible([1.5, 2, 3]);
    expectV8Compatible([-0, 1]);
    expectV8Compatible([NaN, 7]);
    // Mixed element kinds keep small integers as Smis.
    expectV8Compatible([1, 2.5, 'x']);
  });

  it('writes holey arrays sparsely, like V8', () => {
    // eslint-disable-next-line no-sparse-arrays
    const holey = [1, , 3];
    expect(serialize(holey)[2]).toBe(0x61); // 'a'
    expectV8Compatible(holey);
    const out = roundTrip(holey);
    expect(out.length).toBe(3);
    expect(1 in out).toBe(false);
  });

  it('round-trips very sparse arrays without materializing them', () => {
    const sparse: unknown[] = [];
    sparse[5] = 'five';
    sparse[100000] = 'far';
    expectV8Compatible(sparse);
    const huge: unknown[] = [];
    huge[2 ** 32 - 2] = 'last index';
    expectV8Compatible(huge);
    expect(roundTrip(huge).length).toBe(2 ** 32 - 1);
    const empty: unknown[] = [];
    empty.length = 10;
    expectV8Compatible(empty);
  });

  it('keeps extra named properties on dense and sparse arrays', () => {
    const dense = Object.assign(['x', 'y'], { label: 'tag' });
    expectV8Compatible(dense);
    // eslint-disable-next-line no-sparse-arrays
    const sparse = Object.assign(['x', , 'z'], { label: 'tag' });
    expectV8Compatible(sparse);
    const match = /b(?<rest>c)/.exec('abc')!;
    const out = roundTrip(match);
    expect(out.index).toBe(1);
    expect(out.input).toBe('abc');
    expect(out.groups).toEqual({ rest: 'c' });
  });

  it('reads the hole tag inside dense arrays', () => {
    // A dense array of length 3 with a hole in the middle: A 03 I(1) - I(3) $ 00 03
    const out = deserialize(fromHex('ff0f 41 03 4902 2d 4906 24 00 03')) as unknown[];
    expect(out.length).toBe(3);
    expect(out[0]).toBe(1);
    expect(1 in out).toBe(false);
    expect(out[2]).toBe(3);
  });

  it('writes a filled array that V8 tracks as holey densely (both decode the same)', () => {
    const filled = new Array<number>(3).fill(7);
    const ours = serialize(filled);
    expect(ours[2]).toBe(0x41); // V8 itself would write 'a' here
    expect(nodeReads(ours)).toStrictEqual(filled);
    expect(deserialize(v8.serialize(filled))).toStrictEqual(filled);
  });
});

describe('identity', () => {
  it('keeps cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(hex(serialize(a))).toBe(hex(v8.serialize(a)));
    const out = roundTrip(a);
    expect(out.self).toBe(out);
    const fromNode = deserialize(v8.serialize(a)) as Record<string, unknown>;
    expect(fromNode.self).toBe(fromNode);
  });

  it('keeps shared references shared', () => {
    const shared = { s: 1 };
    const list = [shared, shared];
    const value = { x: shared, y: shared, list, again: list };
    expect(hex(serialize(value))).toBe(hex(v8.serialize(value)));
    const out = roundTrip(value);
    expect(out.x).toBe(out.y);
    expect(out.list[0]).toBe(out.x);
    expect(out.list[1]).toBe(out.x);
    expect(out.again).toBe(out.list);
  });

  it('keeps cycles through arrays, maps and sets', () => {
    const arr: unknown[] = [];
    arr.push(arr);
    const m = new Map<unknown, unknown>();
    m.set(m, m);
    const s = new Set<unknown>();
    s.add(s);
    const value = { arr, m, s };
    expect(hex(serialize(value))).toBe(hex(v8.serialize(value)));
    const out = roundTrip(value);
    expect(out.arr[0]).toBe(out.arr);
    expect(out.m.get(out.m)).toBe(out.m);
    expect(out.s.has(out.s)).toBe(true);
  });
});

describe('builtins', () => {
  it('Date', () => {
    expectV8Compatible(new Date(0));
    expectV8Compatible(new Date(1700000000123));
    expect(hex(serialize(new Date(NaN)))).toBe(hex(v8.serialize(new Date(NaN))));
    expect(Number.isNaN(roundTrip(new Date(NaN)).getTime())).toBe(true);
    expect(roundTrip(new Date(5))).toBeInstanceOf(Date);
  });

  it('RegExp with every flag', () => {
    for (const re of [/a/, /a/g, /a/i, /a/m, /a/y, /a/u, /a/s, /a/d, /a\/b[/]/gimsuyd, new RegExp(''), new RegExp('[\\p{L}--[a-z]]', 'v')]) {
      expect(hex(serialize(re))).toBe(hex(v8.serialize(re)));
      const out = roundTrip(re);
      expect(out).toBeInstanceOf(RegExp);
      expect(out.source).toBe(re.source);
      expect(out.flags).toBe(re.flags);
    }
    const withState = /x/g;
    withState.lastIndex = 3;
    expect(roundTrip(withState).lastIndex).toBe(0);
  });

  it('Map and Set, nested', () => {
    expectV8Compatible(new Map());
    expectV8Compatible(new Set());
    const value = new Map<unknown, unknown>([
      ['k', new Set([1, 'two', new Map([[{ key: 'object key' }, [1, 2]]])])],
      [3, new Map([['inner', new Set([null, undefined])]])],
    ]);
    expectV8Compatible(value);
  });

  it('Map keys that are objects keep identity with other references', () => {
    const key = { id: 'k' };
    const value = { key, map: new Map([[key, 'v']]) };
    const out = roundTrip(value);
    expect(out.map.get(out.key)).toBe('v');
  });

  it('boxed primitives', () => {
    for (const boxed of [Object(true), Object(false), Object(42), Object(-0.5), Object('str'), Object('\u0100'), Object(5n)]) {
      expect(hex(serialize(boxed))).toBe(hex(v8.serialize(boxed)));
      const out = roundTrip(boxed) as { valueOf(): unknown };
      expect(typeof out).toBe('object');
      expect(out.valueOf()).toBe(boxed.valueOf());
    }
  });

  it('subclasses of builtins serialize as the builtin', () => {
    class MyMap extends Map<string, number> {}
    class MyDate extends Date {}
    const value = { m: new MyMap([['a', 1]]), d: new MyDate(10) };
    expect(hex(serialize(value))).toBe(hex(v8.serialize(value)));
    const out = roundTrip(value);
    expect(Object.getPrototypeOf(out.m)).toBe(Map.prototype);
    expect(Object.getPrototypeOf(out.d)).toBe(Date.prototype);
  });

  it('an object that merely inherits from a builtin prototype is a plain object', () => {
    const fake = Object.create(Date.prototype) as Record<string, unknown>;
    fake.field = 1;
    expect(hex(serialize(fake))).toBe(hex(v8.serialize(fake)));
  });
});

describe('ArrayBuffer and views', () => {
  it('ArrayBuffer matches V8', () => {
    expectV8Compatible(new ArrayBuffer(0));
    expectV8Compatible(new Uint8Array([1, 2, 3, 250]).buffer);
  });

  it('resizable ArrayBuffer matches V8', () => {
    // Resizable buffers are ES2024; the project's lib is ES2023.
    type Resizable = ArrayBuffer & { resizable: boolean; maxByteLength: number };
    const rab = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(4, {
      maxByteLength: 16,
    });
    new Uint8Array(rab).set([9, 8, 7, 6]);
    expect(hex(serialize(rab))).toBe(hex(v8.serialize(rab)));
    const out = roundTrip(rab);
    expect(out.resizable).toBe(true);
    expect(out.maxByteLength).toBe(16);
    expect([...new Uint8Array(out)]).toEqual([9, 8, 7, 6]);
  });

  const typed: Array<[string, ArrayBufferView]> = [
    ['Int8Array', new Int8Array([-1, 2, -3])],
    ['Uint8Array', new Uint8Array([1, 2, 255])],
    ['Uint8ClampedArray', new Uint8ClampedArray([0, 128, 255])],
    ['Int16Array', new Int16Array([-30000, 1])],
    ['Uint16Array', new Uint16Array([65535, 2])],
    ['Int32Array', new Int32Array([-2147483648, 3])],
    ['Uint32Array', new Uint32Array([4294967295, 4])],
    ['Float32Array', new Float32Array([1.5, -0])],
    ['Float64Array', new Float64Array([Math.PI, NaN])],
    ['BigInt64Array', new BigInt64Array([-(2n ** 63n), 5n])],
    ['BigUint64Array', new BigUint64Array([2n ** 64n - 1n])],
    ['DataView', new DataView(new Uint8Array([1, 2, 3, 4]).buffer)],
  ];
  const Float16 = (globalThis as Record<string, unknown>).Float16Array as (new (values: number[]) => ArrayBufferView) | undefined;
  if (Float16) typed.push(['Float16Array', new Float16([1.5, -2])]);

  it.each(typed)('%s over its whole buffer is byte-identical to V8 native views', (_name, view) => {
    const ours = serialize(view);
    expect(hex(ours)).toBe(hex(v8Native(view)));
    const out = deserialize(ours) as ArrayBufferView;
    expect(out.constructor).toBe(view.constructor);
    expect(out).toStrictEqual(view);
    expect(bytesOf(out)).toEqual(bytesOf(view));
    expect(bytesOf(nodeReads(ours) as ArrayBufferView)).toEqual(bytesOf(view));
  });

  it.each(typed)('%s written by Node as a host object is read back', (_name, view) => {
    const out = deserialize(v8.serialize(view)) as ArrayBufferView;
    expect(out.constructor).toBe(view.constructor);
    expect(out).toStrictEqual(view);
    expect(bytesOf(out)).toEqual(bytesOf(view));
  });

  it('a Node Buffer comes back as a Uint8Array', () => {
    const out = deserialize(v8.serialize(Buffer.from('hi'))) as Uint8Array;
    expect(out.constructor).toBe(Uint8Array);
    expect([...out]).toEqual([104, 105]);
    // Small Buffers live in Node's shared pool, which V8 writes whole, as it writes any view's buffer.
    const pooled = Buffer.from([7]);
    expect(pooled.buffer.byteLength).toBeGreaterThan(1);
    expect(hex(serialize(pooled))).toBe(hex(v8Native(pooled)));
    const back = roundTrip(pooled) as Uint8Array;
    expect([back.constructor, [...back], back.byteOffset]).toEqual([Uint8Array, [7], pooled.byteOffset]);
  });

  it('writes the view tag with subtype, offset, length and flags', () => {
    // B len=3 bytes, V subtype 'B' offset 0 length 3 flags 0
    expect(hex(serialize(new Uint8Array([1, 2, 3])))).toBe('ff0f' + '4203010203' + '5642000300');
    // DataView subtype '?'
    expect(hex(serialize(new DataView(new ArrayBuffer(2))))).toBe('ff0f' + '42020000' + '563f000200');
  });

  it('a subarray keeps its whole buffer and its offset, byte-identical to V8', () => {
    const whole = new Uint16Array([1, 2, 3, 4, 5, 6]);
    const sub = whole.subarray(2, 4);
    const ours = serialize(sub);
    expect(hex(ours)).toBe(hex(v8Native(sub)));
    // All twelve bytes of the buffer, then the view at byte offset 4, four bytes long.
    expect(hex(ours)).toBe('ff0f' + '420c010002000300040005000600' + '5657040400');
    const out = deserialize(ours) as Uint16Array;
    expect([...out]).toEqual([3, 4]);
    expect(out.byteOffset).toBe(4);
    expect([...new Uint16Array(out.buffer)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(nodeReads(ours)).toStrictEqual(sub);

    const dv = new DataView(new Uint8Array([9, 8, 7, 6, 5]).buffer, 1, 3);
    expect(hex(serialize(dv))).toBe(hex(v8Native(dv)));
    const dvOut = roundTrip(dv);
    expect(dvOut.byteOffset).toBe(1);
    expect(dvOut.byteLength).toBe(3);
    expect(dvOut.buffer.byteLength).toBe(5);
    expect(dvOut.getUint8(0)).toBe(8);
  });

  it('two subarrays of one buffer still share one buffer, byte-identical to V8', () => {
    const bytes = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const value = { a: bytes.subarray(0, 2), b: bytes.subarray(1, 3) };
    const ours = serialize(value);
    expect(hex(ours)).toBe(hex(v8Native(value)));
    const out = deserialize(ours) as typeof value;
    expect(out.a.buffer).toBe(out.b.buffer);
    expect([out.a.byteOffset, out.b.byteOffset]).toEqual([0, 1]);
    out.a[1] = 99;
    expect(out.b[0]).toBe(99);
  });

  it('views over a resizable buffer keep the buffer and their length tracking, byte-identical to V8', () => {
    type Resizable = ArrayBuffer & { resizable: boolean; maxByteLength: number; resize(n: number): void };
    const make = (length: number, max: number) =>
      new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Resizable)(length, { maxByteLength: max });
    const rab = make(4, 16);
    new Uint8Array(rab).set([1, 2, 3, 4]);
    const cases: ArrayBufferView[] = [
      new Uint8Array(rab), // tracks the length
      new Uint8Array(rab, 0, 4), // fixed, over all of it
      new Uint8Array(rab, 1, 2), // fixed, over part
      new Uint16Array(rab, 2), // tracks, from an offset
      new DataView(rab, 1), // tracks
      new DataView(rab, 1, 2), // fixed
    ];
    for (const view of cases) expect(hex(serialize(view))).toBe(hex(v8Native(view)));
    // Probing for length tracking leaves the buffer as it was.
    expect(rab.byteLength).toBe(4);
    expect([...new Uint8Array(rab)]).toEqual([1, 2, 3, 4]);

    const tracking = roundTrip(new Uint8Array(rab)) as Uint8Array;
    const back = tracking.buffer as Resizable;
    expect(back.resizable).toBe(true);
    back.resize(6);
    expect(tracking.length).toBe(6);
    const fixed = roundTrip(new Uint8Array(rab, 1, 2)) as Uint8Array;
    (fixed.buffer as Resizable).resize(8);
    expect([fixed.byteOffset, fixed.length]).toEqual([1, 2]);

    // At its maximum length the buffer cannot grow: shrinking it by an element tells, and the bytes come back.
    const full = make(6, 6);
    new Uint8Array(full).set([1, 2, 3, 4, 5, 6]);
    const atMax: ArrayBufferView[] = [
      new Uint8Array(full),
      new Uint8Array(full, 0, 6),
      new Uint16Array(full, 2),
      new Uint16Array(full, 2, 2),
      new DataView(full, 1),
      new DataView(full, 1, 5),
      new Uint8Array(full, 0, 2),
    ];
    for (const view of atMax) expect(hex(serialize(view))).toBe(hex(v8Native(view)));
    expect(full.byteLength).toBe(6);
    expect([...new Uint8Array(full)]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('views sharing a whole buffer keep sharing it, as in V8', () => {
    const buf = new Uint8Array([1, 2, 3, 4]).buffer;
    const value = { buf, a: new Uint8Array(buf), b: new DataView(buf) };
    const ours = serialize(value);
    expect(hex(ours)).toBe(hex(v8Native(value)));
    const out = deserialize(ours) as typeof value;
    expect(out.a.buffer).toBe(out.buf);
    expect(out.b.buffer).toBe(out.buf);
    const same = new Uint8Array([5]);
    const twice = roundTrip([same, same]);
    expect(twice[0]).toBe(twice[1]);
  });

  it('reads V8 views with an offset into a larger buffer', () => {
    const sub = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    const out = deserialize(v8Native(sub)) as Uint8Array;
    expect([...out]).toEqual([2, 3]);
    expect(out.byteOffset).toBe(1);
  });

  it('rejects detached and shared buffers', () => {
    const detached = new ArrayBuffer(4);
    const viewOfDetached = new Uint8Array(detached);
    structuredClone(detached, { transfer: [detached] });
    expect(cloneErrorOf(() => serialize(detached)).message).toBe('An ArrayBuffer is detached and could not be cloned.');
    expect(cloneErrorOf(() => serialize(viewOfDetached)).message).toBe(
      'An ArrayBuffer is detached and could not be cloned.',
    );
    const sab = new SharedArrayBuffer(4);
    expect(cloneErrorOf(() => serialize(sab)).message).toBe('#<SharedArrayBuffer> could not be cloned.');
    expect(cloneErrorOf(() => serialize(new Uint8Array(sab))).message).toBe('#<SharedArrayBuffer> could not be cloned.');
  });
});

describe('errors', () => {
  const types: Array<[ErrorConstructor, string]> = [
    [Error, ''],
    [EvalError, '45'],
    [RangeError, '52'],
    [ReferenceError, '46'],
    [SyntaxError, '53'],
    [TypeError, '54'],
    [URIError, '55'],
  ];

  it.each(types)('%o keeps its type, message and stack (V8 bytes)', (Ctor, protoTag) => {
    const err = new Ctor('went wrong');
    const ours = serialize(err);
    expect(hex(ours)).toBe(hex(v8.serialize(err)));
    expect(hex(ours).startsWith('ff0f72' + protoTag + '6d')).toBe(true);
    const out = deserialize(ours) as Error;
    expect(out).toBeInstanceOf(Ctor);
    expect(Object.getPrototypeOf(out)).toBe(Ctor.prototype);
    expect(out.message).toBe('went wrong');
    expect(out.stack).toBe(err.stack);
    expect(Object.keys(out)).toEqual([]);
    const fromNode = deserialize(v8.serialize(err)) as Error;
    expect(fromNode).toBeInstanceOf(Ctor);
    expect(fromNode.stack).toBe(err.stack);
  });

  it('writes message, stack, then cause (current V8 order)', () => {
    const err = new TypeError('m', { cause: 1 });
    err.stack = 'S';
    // r T m "m" s "S" c I(1) .
    expect(hex(serialize(err))).toBe('ff0f' + '72' + '54' + '6d22016d' + '73220153' + '634902' + '2e');
  });

  it.each(types)('%o keeps its cause', (Ctor) => {
    const cause = { reason: 'disk', code: 7 };
    const err = new Ctor('outer', { cause });
    const out = roundTrip(err);
    expect(out).toBeInstanceOf(Ctor);
    expect(out.cause).toStrictEqual(cause);
    expect(Object.getOwnPropertyDescriptor(out, 'cause')?.enumerable).toBe(false);
    const fromNode = nodeReads(serialize(err)) as Error;
    expect(fromNode.cause).toStrictEqual(cause);
    // Node's V8 writes the cause before the stack; we read that order too.
    expect((deserialize(v8.serialize(err)) as Error).cause).toStrictEqual(cause);
  });

  it('nested error causes and an error whose cause is itself', () => {
    const inner = new RangeError('inner');
    const outer = new Error('outer', { cause: inner });
    const out = roundTrip(outer);
    expect(out.cause).toBeInstanceOf(RangeError);
    expect((out.cause as Error).message).toBe('inner');

    const selfish = new Error('self');
    selfish.cause = selfish;
    const selfOut = roundTrip(selfish);
    expect(selfOut.cause).toBe(selfOut);
  });

  it('an error without message, and one without a stack', () => {
    const bare = new Error();
    expect(hex(serialize(bare))).toBe(hex(v8.serialize(bare)));
    expect(Object.hasOwn(roundTrip(bare), 'message')).toBe(false);
    const noStack = new Error('x');
    Object.defineProperty(noStack, 'stack', { value: undefined });
    expect(hex(serialize(noStack))).toBe('ff0f726d2201782e');
    expect(roundTrip(noStack).stack).toBeUndefined();
  });

  it('takes the prototype from `name` and keeps other own properties, as Cloudflare does', () => {
    class HttpError extends Error {
      status = 404;
    }
    const err = new HttpError('not found');
    const out = roundTrip(err);
    expect(Object.getPrototypeOf(out)).toBe(Error.prototype);
    expect(out.message).toBe('not found');
    expect((out as unknown as Record<string, unknown>).status).toBe(404);
    // Only errors with such properties leave V8's format (Hearth's `p` sub-tag).
    const plain = new RangeError('plain');
    expect(hex(serialize(plain))).toBe(hex(v8.serialize(plain)));
    const coded = Object.assign(new TypeError('coded'), { code: 'E1', detail: { n: 1 } });
    const back = roundTrip(coded) as TypeError & { code: string; detail: { n: number } };
    expect(back).toBeInstanceOf(TypeError);
    expect(back.code).toBe('E1');
    expect(back.detail).toEqual({ n: 1 });
    const renamed = new Error('r');
    renamed.name = 'TypeError';
    expect(roundTrip(renamed)).toBeInstanceOf(TypeError);
    const agg = new AggregateError([1], 'agg');
    expect(hex(serialize(agg))).toBe(hex(v8.serialize(agg)));
    expect(Object.getPrototypeOf(roundTrip(agg))).toBe(Error.prototype);
  });
});

describe('DOMException', () => {
  it('comes back as a DOMException with its name, message, code and stack', () => {
    const dom = new DOMException('dom message', 'DataCloneError');
    const out = roundTrip(dom);
    expect(out).toBeInstanceOf(DOMException);
    expect([out.name, out.message, out.code]).toEqual(['DataCloneError', 'dom message', 25]);
    expect(out.stack).toBe(dom.stack);
    const unnamed = roundTrip(new DOMException());
    expect([unnamed.name, unnamed.message, unnamed.code]).toEqual(['Error', '', 0]);
    const custom = roundTrip(new DOMException('m', 'MyName'));
    expect([custom.name, custom.code]).toEqual(['MyName', 0]);
  });

  it('is an error with Hearth\'s `d` sub-tag first, then V8\'s message and stack', () => {
    const dom = new DOMException('m', 'AbortError');
    dom.stack = 'S';
    // r d "AbortError" m "m" s "S" .
    expect(hex(serialize(dom))).toBe('ff0f' + '72' + '64220a41626f72744572726f72' + '6d22016d' + '73220153' + '2e');
  });

  it('keeps its DOMException name even when the name is an Error type, and nothing else', () => {
    const typed = new DOMException('m', 'TypeError');
    const out = roundTrip(typed);
    expect(out).toBeInstanceOf(DOMException);
    expect(out.name).toBe('TypeError');
    // workerd keeps only name, message and stack: no own properties, no subclass.
    const withProp = Object.assign(new DOMException('p', 'NotFoundError'), { extra: 1 });
    expect(Object.hasOwn(roundTrip(withProp), 'extra')).toBe(false);
    class MyDom extends DOMException {}
    const sub = roundTrip(new MyDom('s', 'AbortError'));
    expect(Object.getPrototypeOf(sub)).toBe(DOMException.prototype);
    expect(sub.code).toBe(20);
  });

  it('keeps identity and works as a cause', () => {
    const dom = new DOMException('m', 'AbortError');
    const twice = roundTrip([dom, dom]);
    expect(twice[0]).toBe(twice[1]);
    const err = roundTrip(new Error('outer', { cause: dom }));
    expect(err.cause).toBeInstanceOf(DOMException);
    expect((err.cause as DOMException).name).toBe('AbortError');
  });

  it('plain errors stay byte-identical to V8', () => {
    for (const err of [new Error('e'), new TypeError('t'), new RangeError()]) {
      expect(hex(serialize(err))).toBe(hex(v8.serialize(err)));
    }
  });

  it('a `d` anywhere but first is corrupt', () => {
    // r m "m" d "AbortError" .
    expect(() => deserialize(fromHex('ff0f 72 6d22016d 64220a41626f72744572726f72 2e'))).toThrow(TypeError);
  });
});

describe('Headers and Request', () => {
  it('a Headers comes back with its pairs, as `\\ "Headers"` and the pairs', () => {
    const headers = new Headers({ B: 'x', a: '1' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    headers.append('x', '1');
    headers.append('x', '2');
    const ours = serialize(headers);
    expect(hex(ours).startsWith('ff0f' + '5c' + '220748656164657273' + '41')).toBe(true);
    const out = deserialize(ours) as Headers;
    expect(out).toBeInstanceOf(Headers);
    expect([...out]).toEqual([...headers]);
    expect([...out]).toEqual([['a', '1'], ['b', 'x'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x', '1, 2']]);
    expect([...roundTrip(new Headers())]).toEqual([]);
  });

  it('a Request comes back with its url, method, headers and redirect mode', () => {
    const request = new Request('https://object.test/stored?q=1', { method: 'POST', headers: { a: '1' }, redirect: 'manual' });
    const out = roundTrip(request);
    expect(out).toBeInstanceOf(Request);
    expect([out.url, out.method, [...out.headers], out.redirect, out.body]).toEqual([
      'https://object.test/stored?q=1', 'POST', [['a', '1']], 'manual', null,
    ]);
    const plain = roundTrip(new Request('https://object.test/'));
    expect([plain.method, [...plain.headers], plain.redirect]).toEqual(['GET', [], 'follow']);
  });

  it('a Request with a body is refused, as workerd refuses it', () => {
    const withBody = new Request('https://object.test/', { method: 'POST', body: 'hello' });
    expect(cloneErrorOf(() => serialize({ r: withBody })).message).toBe('ReadableStream can only be serialized for RPC.');
  });

  it('keeps identity, and a subclass comes back as the platform class', () => {
    const headers = new Headers({ a: '1' });
    const out = roundTrip({ h: headers, again: headers, list: [headers] });
    expect(out.h).toBe(out.again);
    expect(out.list[0]).toBe(out.h);
    class MyHeaders extends Headers {}
    const sub = roundTrip(new MyHeaders({ b: '2' }));
    expect(Object.getPrototypeOf(sub)).toBe(Headers.prototype);
    expect([...sub]).toEqual([['b', '2']]);
  });

  it('an object that merely inherits from Headers.prototype is a plain object', () => {
    expect(roundTrip(Object.assign(Object.create(Headers.prototype), { x: 1 }))).toStrictEqual({ x: 1 });
  });

  it('an unknown host type name, or contents of the wrong shape, is corrupt', () => {
    // \ "Nope" then null
    expect(() => deserialize(fromHex('ff0f 5c 22044e6f7065 30'))).toThrow(TypeError);
    // \ "Headers" then a string instead of pairs
    expect(() => deserialize(fromHex('ff0f 5c 220748656164657273 220178'))).toThrow(TypeError);
  });
});

describe('DataCloneError', () => {
  it('functions, with V8 message text', () => {
    expect(cloneErrorOf(() => serialize(() => 1)).message).toBe('() => 1 could not be cloned.');
    // eslint-disable-next-line @typescript-eslint/no-empty-function
    expect(cloneErrorOf(() => serialize(function hello() {})).message).toBe('function hello() {} could not be cloned.');
    expect(cloneErrorOf(() => serialize({ nested: [() => 1] })).message).toBe('() => 1 could not be cloned.');
    class Klass {}
    expect(cloneErrorOf(() => serialize(Klass)).message).toBe('class Klass {} could not be cloned.');
    expect(() => v8.serialize(() => 1)).toThrow('() => 1 could not be cloned.');
  });

  it('symbols', () => {
    expect(cloneErrorOf(() => serialize(Symbol('x'))).message).toBe('Symbol(x) could not be cloned.');
    expect(cloneErrorOf(() => serialize(Symbol())).message).toBe('Symbol() could not be cloned.');
    expect(cloneErrorOf(() => serialize({ s: Symbol.for('y') })).message).toBe('Symbol(y) could not be cloned.');
    expect(() => v8.serialize(Symbol('x'))).toThrow('Symbol(x) could not be cloned.');
  });

  it.each([
    ['WeakMap', () => new WeakMap()],
    ['WeakSet', () => new WeakSet()],
    ['Promise', () => Promise.resolve(1)],
    ['WeakRef', () => new WeakRef({})],
    ['FinalizationRegistry', () => new FinalizationRegistry(() => undefined)],
  ])('%s as #<%s>', (name, make) => {
    const value = make();
    expect(cloneErrorOf(() => serialize(value)).message).toBe(`#<${name}> could not be cloned.`);
    expect(() => v8.serialize(value)).toThrow(`#<${name}> could not be cloned.`);
  });

  it('uses the subclass name like V8', () => {
    class Cache extends WeakMap {}
    expect(cloneErrorOf(() => serialize(new Cache())).message).toBe('#<Cache> could not be cloned.');
  });

  it('a symbol wrapper object', () => {
    expect(cloneErrorOf(() => serialize(Object(Symbol('q')))).message).toBe('[object Symbol] could not be cloned.');
  });

  it('objects marked with Symbol.for("hearth.unserializable")', () => {
    const marker = Symbol.for('hearth.unserializable');
    const own = { [marker]: 'DurableObjectId', id: 'abc' };
    const message = 'Could not serialize object of type "DurableObjectId". This type does not support serialization.';
    expect(cloneErrorOf(() => serialize(own)).message).toBe(message);
    class Stub {
      declare readonly [marker]: string;
    }
    Object.defineProperty(Stub.prototype, marker, { value: 'DurableObject' });
    expect(cloneErrorOf(() => serialize({ deep: [new Stub()] })).message).toBe(
      'Could not serialize object of type "DurableObject". This type does not support serialization.',
    );
    // A non-string marker means nothing.
    expect(roundTrip({ [marker]: 1, x: 1 })).toStrictEqual({ x: 1 });
  });

  it('objects whose prototype carries Symbol.for("hearth.unserializableMessage") are refused with that message', () => {
    const brand = Symbol.for('hearth.unserializableMessage');
    class StubBase {
      id = 'not reached';
      get [brand](): string {
        return 'ServiceStub cannot be serialized in this context.';
      }
    }
    // A stub is a Proxy whose get trap hides symbols: the brand is read from the prototype.
    const stub = new Proxy(new StubBase(), { get: (t, p) => (typeof p === 'symbol' ? undefined : Reflect.get(t, p)) });
    expect(cloneErrorOf(() => serialize(stub)).message).toBe('ServiceStub cannot be serialized in this context.');
    expect(cloneErrorOf(() => serialize({ nested: [stub] })).message).toBe('ServiceStub cannot be serialized in this context.');
    // Only a string brand counts, and only on the prototype chain.
    expect(roundTrip({ [brand]: 'own, ignored', x: 1 })).toStrictEqual({ x: 1 });
  });

  it('leaves the shared writer usable after a failure', () => {
    expect(() => serialize({ a: [1, 2, () => 1] })).toThrow();
    expectV8Compatible({ after: 'failure' });
  });
});

describe('reading', () => {
  it('reads everything Node writes', () => {
    const shared = { s: 'shared' };
    const value = {
      n: [0, -1, 2 ** 40, 0.5],
      s: ['', 'x', '\u0100\u{1f600}'],
      big: 123n,
      date: new Date(1),
      re: /r/g,
      map: new Map([[1, shared]]),
      set: new Set([shared]),
      buf: new Uint8Array([1, 2]).buffer,
      err: new RangeError('bad'),
      boxed: Object('b'),
    };
    const out = deserialize(v8.serialize(value)) as typeof value;
    expect(out).toStrictEqual(value);
    expect(out.map.get(1)).toBe([...out.set][0]);
  });

  it('reads version 13 data without a header', () => {
    const value = { a: [1, 'two', { three: 3 }], m: new Map([['k', 'v']]) };
    const withHeader = v8.serialize(value);
    expect(deserialize(new Uint8Array(withHeader.subarray(2)))).toStrictEqual(value);
    // Version 13 views carry no flags varint.
    const view = deserialize(fromHex('4203010203 56420102')) as Uint8Array;
    expect([...view]).toEqual([2, 3]);
    expect(deserialize(fromHex('ff0d 4203010203 56420102'))).toStrictEqual(new Uint8Array([2, 3]));
  });

  it('reads UTF-8 strings and Uint32 numbers from older writers', () => {
    expect(deserialize(fromHex('ff0d 5304c3a96f6b'))).toBe('\u00e9ok');
    expect(deserialize(fromHex('ff0f 55ffffffff0f'))).toBe(4294967295);
  });

  it('accepts an ArrayBuffer or a view at an odd offset', () => {
    const bytes = serialize({ text: '\u0100\u0101'.repeat(20) });
    expect(deserialize(bytes.slice().buffer as unknown as Uint8Array)).toEqual({ text: '\u0100\u0101'.repeat(20) });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(deserialize(shifted.subarray(1))).toEqual({ text: '\u0100\u0101'.repeat(20) });
  });
});

describe('corrupt input', () => {
  const expectTypeError = (bytes: Uint8Array): void => {
    expect(() => deserialize(bytes)).toThrow(TypeError);
  };

  it('empty input and a bare header', () => {
    expectTypeError(new Uint8Array(0));
    expectTypeError(fromHex('ff0f'));
  });

  it('a newer version than 15', () => {
    expect(() => deserialize(fromHex('ff10 30'))).toThrow(TypeError);
    expect(() => deserialize(fromHex('ff10 30'))).toThrow(/version/);
  });

  it('unknown tags, bad references, wrong counts', () => {
    expectTypeError(fromHex('ff0f 01'));
    expectTypeError(fromHex('ff0f 5e00')); // reference to an object that does not exist
    expectTypeError(fromHex('ff0f 6f 220161 4902 7b 02')); // one property, count says two
    expectTypeError(fromHex('ff0f 41 02 4902 4904 24 00 03')); // dense length mismatch
    expectTypeError(fromHex('ff0f 6f 6f7b00 4902 7b 01')); // object as a key
    expectTypeError(fromHex('ff0f 63 03 616200')); // odd two-byte length
    expectTypeError(fromHex('ff0f 41 ffffffff0f 24 00 00')); // absurd dense length
    expectTypeError(fromHex('ff0f 52 220161 40')); // regexp with the linear flag
    expectTypeError(fromHex('ff0f 4203010203 5664000400')); // Int32Array longer than its buffer
    expectTypeError(fromHex('ff0f 5c 3f 00')); // unknown host object
    expectTypeError(fromHex('ff0f 56 42 00 00 00')); // a view with no buffer before it
    expectTypeError(fromHex('ff0f 72 78 2e')); // unknown error sub-tag
  });

  it('every truncation of valid data', () => {
    const bytes = serialize({
      a: [1, 2.5, 'three', '\u0100'],
      m: new Map([[1, new Set([2n])]]),
      e: new Error('e', { cause: /x/g }),
      v: new Int16Array([1, 2]),
      d: new Date(3),
    });
    for (let len = 0; len < bytes.length; len++) {
      expectTypeError(bytes.subarray(0, len));
    }
  });

  it('random garbage only ever fails with TypeError', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const base = serialize({ a: [1, 'x', { b: null }], s: new Set([1]), e: new TypeError('t') });
    for (let i = 0; i < 2000; i++) {
      const bytes = base.slice();
      for (let j = 0; j < 3; j++) bytes[2 + (rand() % (bytes.length - 2))] = rand() & 0xff;
      try {
        deserialize(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(TypeError);
      }
    }
  });

  it('absurdly deep nesting is a TypeError, not a stack overflow escaping', () => {
    const bytes = new Uint8Array(2 + 400_000).fill(0x6f);
    bytes[0] = 0xff;
    bytes[1] = 0x0f;
    expectTypeError(bytes);
  });
});

describe('misc', () => {
  it('serializedSize equals the serialized byte length', () => {
    for (const value of [null, { count: 5 }, 'x'.repeat(1000), [1, 2, 3], new Map([[1, 2]]), new Uint8Array(10).subarray(2)]) {
      expect(serializedSize(value)).toBe(serialize(value).byteLength);
    }
  });

  it('a getter may serialize re-entrantly', () => {
    const value = {
      get inner(): Uint8Array {
        return serialize({ nested: 'yes' });
      },
      after: 'still fine',
    };
    const out = roundTrip(value) as unknown as { inner: Uint8Array; after: string };
    expect(deserialize(out.inner)).toEqual({ nested: 'yes' });
    expect(out.after).toBe('still fine');
  });

  it('large values grow the buffer and keep later small values exact', () => {
    const big = { blob: new Uint8Array(3_000_000).fill(1), list: Array.from({ length: 20000 }, (_, i) => i) };
    const out = roundTrip(big);
    expect(out.blob.length).toBe(3_000_000);
    expect(out.list[19999]).toBe(19999);
    expectV8Compatible({ count: 5 });
  });
});

describe('the fast path for small integers and short strings', () => {
  // Values on either side of each fast-path boundary, so both paths are compared with V8.
  const cases: unknown[] = [
    0, 1, -1, 63, -64, 64, 8191, -8192, 8192, 1048575, -1048576, 1048576, 0x3fffffff, -0x40000000,
    -0, 0.5, NaN, Infinity,
    '', 'a', 'value', 'é and ÿ', 'x'.repeat(32), 'x'.repeat(33), '€', 'emoji 🙂',
    true, false, null, undefined,
  ];

  it('writes exactly the bytes V8 writes, and reads them back', () => {
    for (const value of cases) expectV8Compatible(value);
  });

  it('reads what the general writer wrote for the same values, inside containers too', () => {
    for (const value of cases) expect(roundTrip([value, { value }])).toStrictEqual([value, { value }]);
  });

  it('leaves malformed and foreign-version input to the general reader, which rejects or reads it as before', () => {
    expect(() => deserialize(fromHex('ff0f 49 80'))).toThrow(TypeError); // truncated varint
    expect(deserialize(fromHex('ff0d 49 02'))).toBe(1); // version 13
    expect(() => deserialize(fromHex('ff0f 22 03 61 62'))).toThrow(TypeError); // string shorter than its length
  });
});

describe('nesting depth', () => {
  const nested = (levels: number): unknown => {
    let v: unknown = [];
    for (let i = 1; i < levels; i++) v = [v];
    return v;
  };

  it(`writes values nested ${MAX_NESTING_DEPTH} levels deep, as V8 does`, () => {
    expectV8Compatible(nested(MAX_NESTING_DEPTH));
  });

  it('refuses deeper values with a DataCloneError naming the limit, never a stack overflow', () => {
    for (const levels of [MAX_NESTING_DEPTH + 1, 1_001, 100_000]) {
      const error = cloneErrorOf(() => serialize(nested(levels)));
      expect(error.message).toBe(`Value could not be serialized: objects and arrays are nested more than ${MAX_NESTING_DEPTH} levels deep.`);
    }
    // The shared writer is intact afterwards.
    expect(deserialize(serialize({ a: [1] }))).toEqual({ a: [1] });
  });

});
