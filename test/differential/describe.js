/**
 * Turns any value a Durable Object API can produce into plain JSON that says
 * exactly what the value was: its type, prototype, contents, and which parts
 * are the same object. Both runtimes run this same code on their own results,
 * so comparing the two JSON trees compares the values field by field.
 *
 * Plain JavaScript on purpose: workerd loads it unbundled, next to classes.js.
 *
 * Rules that keep the comparison honest:
 *  - functions (and RPC stubs, which are callable) are never inspected: reading
 *    a property of a stub would itself be an RPC call;
 *  - a value seen before is described as `{ ref: <path of first sighting> }`,
 *    so cycles and shared references are compared as identities;
 *  - numbers JSON cannot carry (NaN, -0, ±Infinity) and strings it would
 *    mangle (lone surrogates) get explicit tags.
 */

/** @param {unknown} value */
export function describe(value) {
  return describeAt(value, new Map(), '$');
}

/** The parts of an error both runtimes promise to keep, plus every own property (stack excepted). */
export function describeError(error) {
  return describeAt(error, new Map(), '$');
}

function protoName(value) {
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return null;
  if (proto === Object.prototype) return 'Object';
  const ctor = proto.constructor;
  return typeof ctor === 'function' ? ctor.name : '?';
}

function describeNumber(n) {
  if (Number.isNaN(n)) return { number: 'NaN' };
  if (Object.is(n, -0)) return { number: '-0' };
  if (n === Infinity) return { number: 'Infinity' };
  if (n === -Infinity) return { number: '-Infinity' };
  return n;
}

function describeString(s) {
  // JSON.stringify would write lone surrogates as escapes that a parser may not give back intact.
  return s.isWellFormed() ? s : { utf16: Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)) };
}

const TYPED_ARRAYS = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

function isError(value) {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]' ||
    (typeof DOMException !== 'undefined' && value instanceof DOMException);
}

function describeAt(value, seen, path) {
  switch (typeof value) {
    case 'undefined':
      return { undefined: true };
    case 'boolean':
      return value;
    case 'number':
      return describeNumber(value);
    case 'string':
      return describeString(value);
    case 'bigint':
      return { bigint: String(value) };
    case 'symbol':
      return { symbol: String(value) };
    case 'function':
      return { function: true };
  }
  if (value === null) return null;
  if (seen.has(value)) return { ref: seen.get(value) };
  seen.set(value, path);
  const at = (v, key) => describeAt(v, seen, `${path}.${key}`);

  if (isError(value)) {
    const isDOMException = typeof DOMException !== 'undefined' && value instanceof DOMException;
    const props = {};
    for (const key of Object.getOwnPropertyNames(value).sort()) {
      if (key === 'stack' || key === 'message') continue;
      // workerd defines a DOMException's name and code as own properties, V8 in
      // the browser as prototype getters: an engine detail. Both are compared
      // below through the getters instead.
      if (isDOMException && (key === 'name' || key === 'code')) continue;
      props[key] = at(value[key], key);
    }
    return {
      error: protoName(value),
      name: value.name,
      message: describeString(String(value.message)),
      isError: value instanceof Error,
      isDOMException,
      ...(isDOMException ? { code: value.code } : {}),
      props,
    };
  }
  if (Array.isArray(value)) {
    const items = [];
    for (let i = 0; i < value.length; i++) items.push(i in value ? at(value[i], i) : { hole: true });
    const extra = Object.keys(value).filter((k) => !/^(0|[1-9]\d*)$/.test(k));
    if (extra.length === 0 && protoName(value) === 'Array') return items;
    return { array: items, proto: protoName(value), extra: Object.fromEntries(extra.map((k) => [k, at(value[k], k)])) };
  }
  if (typeof Headers !== 'undefined' && value instanceof Headers) return { Headers: [...value] };
  if (typeof Request !== 'undefined' && value instanceof Request) {
    return { Request: { method: value.method, url: value.url, headers: [...value.headers] } };
  }
  if (value instanceof Date) return { Date: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString() };
  if (value instanceof RegExp) return { RegExp: value.source, flags: value.flags, lastIndex: value.lastIndex };
  if (value instanceof Map) {
    return { Map: [...value].map(([k, v], i) => [at(k, `key${i}`), at(v, `value${i}`)]) };
  }
  if (value instanceof Set) return { Set: [...value].map((v, i) => at(v, i)) };
  if (value instanceof ArrayBuffer) return { ArrayBuffer: [...new Uint8Array(value)] };
  if (ArrayBuffer.isView(value)) {
    const kind = value instanceof DataView ? 'DataView' : TYPED_ARRAYS.find((t) => value instanceof globalThis[t]) ?? '?';
    const bytes = [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)];
    return { view: kind, bytes, byteOffset: value.byteOffset, bufferByteLength: value.buffer.byteLength };
  }
  for (const [Box, kind] of [[Number, 'Number'], [String, 'String'], [Boolean, 'Boolean'], [BigInt, 'BigInt']]) {
    if (Object.prototype.toString.call(value) === `[object ${kind}]`) {
      return { boxed: kind, value: at(Box.prototype.valueOf.call(value), 'value') };
    }
  }
  const entries = {};
  for (const key of Object.keys(value)) entries[key] = at(value[key], key);
  const proto = protoName(value);
  return proto === 'Object' ? entries : { object: proto, entries };
}

/**
 * Run `fn` and describe how it ended: `{ ok: true, value }` or `{ ok: false, error }`.
 * A synchronous throw and a rejection look the same, as they do to `await`.
 */
export async function attempt(fn) {
  try {
    return { ok: true, value: describe(await fn()) };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/** Like `attempt`, for calls that must not be awaited (synchronous APIs): a returned promise is reported as such. */
export function attemptSync(fn) {
  try {
    const value = fn();
    return value instanceof Promise ? { ok: true, promise: true } : { ok: true, value: describe(value) };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}
