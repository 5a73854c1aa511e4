/**
 * Stored values, for people: `describe` shows a decoded structured value
 * readably (a Map as `Map(2) { "a" => 1 }`, a Date as its ISO time), and
 * `toLiteral` / `parseLiteral` turn it into JavaScript source and back, so
 * an edit keeps the value's types (a Map stays a Map, a Date a Date).
 *
 * `parseLiteral` evaluates what the developer typed, in the devtools page —
 * the same trust as typing into the browser's console.
 *
 * Pure: unit-tested in test/unit/devtools-value-format.test.ts.
 */

const MAX_ITEMS = 50;

function quote(s: string): string {
  return JSON.stringify(s);
}

function describeKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

/** JavaScript source for null, undefined, a string, number, bigint or boolean (`-0` and `NaN` kept); undefined for anything else. */
function primitiveSource(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return quote(value);
    case 'bigint':
      return `${value}n`;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
      return String(value);
  }
  return undefined;
}

export function describe(value: unknown, depth = 0, seen = new Set<object>()): string {
  const primitive = primitiveSource(value);
  if (primitive !== undefined) return primitive;
  if (typeof value === 'function') return `[Function ${(value as { name?: string }).name || 'anonymous'}]`;
  if (typeof value === 'symbol') return String(value);
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  if (depth > 6) return '…';
  seen.add(obj);
  try {
    const inner = (v: unknown) => describe(v, depth + 1, seen);
    const list = (items: string[], total: number) => (total > MAX_ITEMS ? [...items, `… ${total - MAX_ITEMS} more`] : items).join(', ');
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Date(Invalid Date)' : `Date(${obj.toISOString()})`;
    if (obj instanceof RegExp) return String(obj);
    if (obj instanceof Error) return `${obj.name}: ${obj.message}`;
    if (obj instanceof Map) {
      const items = [...obj].slice(0, MAX_ITEMS).map(([k, v]) => `${inner(k)} => ${inner(v)}`);
      return `Map(${obj.size}) {${items.length ? ` ${list(items, obj.size)} ` : ''}}`;
    }
    if (obj instanceof Set) {
      const items = [...obj].slice(0, MAX_ITEMS).map(inner);
      return `Set(${obj.size}) {${items.length ? ` ${list(items, obj.size)} ` : ''}}`;
    }
    if (obj instanceof ArrayBuffer) return `ArrayBuffer(${obj.byteLength})`;
    if (ArrayBuffer.isView(obj)) {
      const name = obj.constructor.name;
      const arr = obj instanceof DataView ? [] : [...(obj as unknown as ArrayLike<number | bigint> & Iterable<number | bigint>)];
      return `${name}(${arr.length}) [${list(arr.slice(0, MAX_ITEMS).map((n) => (typeof n === 'bigint' ? `${n}n` : String(n))), arr.length)}]`;
    }
    if (Array.isArray(obj)) return `[${list(obj.slice(0, MAX_ITEMS).map(inner), obj.length)}]`;
    const entries = Object.entries(obj);
    const items = entries.slice(0, MAX_ITEMS).map(([k, v]) => `${describeKey(k)}: ${inner(v)}`);
    return `{${items.length ? ` ${list(items, entries.length)} ` : ''}}`;
  } finally {
    seen.delete(obj);
  }
}

/** The kind of a value, for a column: `Map`, `Date`, `string`… */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  if (Array.isArray(value)) return 'Array';
  return (value as object).constructor?.name ?? 'Object';
}

/** JavaScript source that evaluates to `value` (cycles are cut to `undefined`). */
export function toLiteral(value: unknown, seen = new Set<object>()): string {
  const primitive = primitiveSource(value);
  if (primitive !== undefined) return primitive;
  if (typeof value === 'function' || typeof value === 'symbol') return 'undefined';
  const obj = value as object;
  if (seen.has(obj)) return 'undefined';
  seen.add(obj);
  try {
    const lit = (v: unknown) => toLiteral(v, seen);
    if (obj instanceof Date) return `new Date(${quote(Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString())})`;
    if (obj instanceof RegExp) return String(obj);
    if (obj instanceof Error) return `new ${['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError'].includes(obj.name) ? obj.name : 'Error'}(${quote(obj.message)})`;
    if (obj instanceof Map) return `new Map([${[...obj].map(([k, v]) => `[${lit(k)}, ${lit(v)}]`).join(', ')}])`;
    if (obj instanceof Set) return `new Set([${[...obj].map(lit).join(', ')}])`;
    if (obj instanceof ArrayBuffer) return `new Uint8Array([${[...new Uint8Array(obj)].join(', ')}]).buffer`;
    if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
      const items = [...(obj as unknown as Iterable<number | bigint>)].map((n) => (typeof n === 'bigint' ? `${n}n` : String(n)));
      return `new ${obj.constructor.name}([${items.join(', ')}])`;
    }
    if (Array.isArray(obj)) return `[${obj.map(lit).join(', ')}]`;
    return `{${Object.entries(obj).map(([k, v]) => `${quote(k)}: ${lit(v)}`).join(', ')}}`;
  } finally {
    seen.delete(obj);
  }
}

/** Evaluate a value typed as JavaScript (`new Map([["a", 1]])`, `{ "n": 1 }`, `"text"`). */
export function parseLiteral(source: string): unknown {
  return new Function(`"use strict"; return (${source}\n);`)();
}
