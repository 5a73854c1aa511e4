/**
 * Structured clone to bytes, in V8's ValueSerializer wire format (version 15,
 * with the `FF 0F` header).
 *
 * Why this format: it is exactly what workerd stores as a Durable Object KV
 * value (`_cf_KV.value`). Writing the same bytes means the value-size limit is
 * measured on the same bytes Cloudflare measures, and data can move between
 * Hearth and workerd (or anything else speaking V8's format) without a
 * conversion step. The module is pure TypeScript so it runs in the browser,
 * where V8's serializer is not reachable, and in Node.
 *
 * What V8 decides from heap internals that JavaScript cannot see is
 * approximated the way a fresh workerd isolate would see typical values:
 *
 * - Numbers: integers in the Smi range are written as `I` (zigzag varint),
 *   everything else as `N` (double). The Smi range is the 31-bit one
 *   (-2^30 … 2^30-1) because workerd, like Chrome, builds V8 with pointer
 *   compression; Node's official builds have 32-bit Smis, so for integers in
 *   [2^30, 2^31) Node writes `I` where we (and workerd) write `N`. V8 also
 *   writes `N` for an integer stored in a field or array that once held a
 *   double; that history is invisible here, and the value decodes the same.
 * - Arrays: V8 writes "packed" arrays densely (`A`) and everything else
 *   sparsely (`a`). An array without holes is taken as packed; an array that
 *   V8 tracks as holey although every slot is filled (`new Array(n).fill(x)`)
 *   is written densely here. An all-number array holding any non-Smi number
 *   is written with every element as `N`, as V8 does for double arrays. (V8
 *   has never written holey arrays densely with hole markers; `-` only shows
 *   up when an array loses elements mid-serialization. The reader accepts it.)
 * - Strings: one-byte (`"`, Latin-1) when every code unit is ≤ 0xFF, else
 *   two-byte (`c`) with V8's alignment padding.
 *
 * Typed arrays and DataViews are written exactly as V8 writes them: their
 * whole buffer (a back-reference if already written), then the view with its
 * offset, length and flags. So a subarray comes back over the whole buffer at
 * its offset, and views of one buffer still share it, as in workerd (checked
 * against its 2026-07-30 build; DO-API §15's "a subarray comes back trimmed"
 * does not hold there). Whether a view over a resizable buffer tracks the
 * buffer's length is invisible to JavaScript: `isLengthTracking` finds out.
 *
 * Deliberate departures from V8/workerd:
 *
 * - Errors: written with V8's own `r` format (prototype from `name`,
 *   message, stack, cause — in the order current V8 writes them). workerd
 *   with `enhanced_error_serialization` instead writes errors as a host
 *   object carrying the name and own properties; that format is not produced
 *   or read. Two Hearth sub-tags carry what V8's format has no place for,
 *   each written only when needed, so every other error stays byte-identical
 *   to V8:
 *     - `p` (ERR_OWN_PROPERTIES): the error's other own enumerable
 *       properties (e.g. `code`), as one plain object, as Cloudflare keeps them;
 *     - `d` (ERR_DOM_EXCEPTION): the error is a DOMException; its name follows
 *       as a string, written first (before `m` and `s`), so the reader builds a
 *       DOMException of that name (and so of that `code`). A DOMException has
 *       no prototype sub-tag, no cause and no `p`: workerd keeps only its name,
 *       message and stack.
 *   The reader also accepts the older message/cause/stack order and an error
 *   whose cause refers back to the error itself.
 * - Host objects (`\`): V8 leaves their contents to the embedder. Hearth
 *   writes the two web-platform types workerd stores as `\`, then the type
 *   name as a one-byte string, then the contents as ordinary values:
 *     - `\ "Headers"`, then a dense array of its `[name, value]` pairs (as
 *       iterating it gives them: lower-cased, sorted, set-cookie apart);
 *     - `\ "Request"`, then its url, method, headers (pairs, as above) and
 *       redirect mode. A Request with a body is refused, as workerd refuses
 *       it (its body is a stream).
 *   The host object takes an object id before its contents, as in V8. workerd
 *   writes these types in a host format of its own (numbered tags, raw
 *   fields), which is neither written nor read here: its numbers overlap the
 *   indices Node uses for typed arrays (below). Other web-platform objects
 *   (Blob, URL, Response, …) are not recognised and are written as plain
 *   objects, where workerd stores or refuses them.
 * - Proxies cannot be recognised from JavaScript, so a Proxy is serialized
 *   through its traps rather than rejected. Likewise `arguments` objects and
 *   module namespaces are serialized as plain objects rather than rejected.
 *   Keys are listed before values are read, so a property deleted by an
 *   earlier getter is written as undefined where V8 would skip it.
 * - SharedArrayBuffers are rejected (`DataCloneError`): there is no process
 *   to share them with in stored data.
 * - The reader additionally understands the host-object encoding Node's
 *   `v8.serialize` uses for typed arrays and Buffers (`\`, then an index
 *   below 0x22, the tag of the type name above), so data written by Node
 *   (older Miniflare stores, tests) can be read. Other host objects are
 *   rejected as corrupt.
 *
 * Hearth's own objects that must not be stored say so with a brand, read on
 * the value or its prototype chain:
 * - `UNSERIALIZABLE` → a type name, refused with V8's
 *   `Could not serialize object of type "<name>". This type does not support
 *   serialization.` (ids, namespaces; RPC honours it too);
 * - `UNSERIALIZABLE_MESSAGE` → the whole message of the
 *   DataCloneError (stubs: "ServiceStub cannot be serialized in this
 *   context."). It is read from the prototype, not through the value, because
 *   a stub is a Proxy whose traps answer every property name.
 * Both symbols are defined in brands.ts.
 */
import { UNSERIALIZABLE, UNSERIALIZABLE_MESSAGE } from '../brands.ts';
import { dataCloneError } from '../errors.ts';

const LATEST_VERSION = 15;
const SMI_MAX = 0x3fffffff;
const SMI_MIN = -0x40000000;

// Serialization tags (V8 src/objects/value-serializer.cc).
const TAG_VERSION = 0xff;
const TAG_PADDING = 0x00;
const TAG_VERIFY_OBJECT_COUNT = 0x3f; // ?
const TAG_HOLE = 0x2d; // -
const TAG_UNDEFINED = 0x5f; // _
const TAG_NULL = 0x30; // 0
const TAG_TRUE = 0x54; // T
const TAG_FALSE = 0x46; // F
const TAG_INT32 = 0x49; // I
const TAG_UINT32 = 0x55; // U
const TAG_DOUBLE = 0x4e; // N
const TAG_BIGINT = 0x5a; // Z
const TAG_UTF8_STRING = 0x53; // S
const TAG_ONE_BYTE_STRING = 0x22; // "
const TAG_TWO_BYTE_STRING = 0x63; // c
const TAG_OBJECT_REFERENCE = 0x5e; // ^
const TAG_BEGIN_OBJECT = 0x6f; // o
const TAG_END_OBJECT = 0x7b; // {
const TAG_BEGIN_SPARSE_ARRAY = 0x61; // a
const TAG_END_SPARSE_ARRAY = 0x40; // @
const TAG_BEGIN_DENSE_ARRAY = 0x41; // A
const TAG_END_DENSE_ARRAY = 0x24; // $
const TAG_DATE = 0x44; // D
const TAG_TRUE_OBJECT = 0x79; // y
const TAG_FALSE_OBJECT = 0x78; // x
const TAG_NUMBER_OBJECT = 0x6e; // n
const TAG_BIGINT_OBJECT = 0x7a; // z
const TAG_STRING_OBJECT = 0x73; // s
const TAG_REGEXP = 0x52; // R
const TAG_BEGIN_MAP = 0x3b; // ;
const TAG_END_MAP = 0x3a; // :
const TAG_BEGIN_SET = 0x27; // '
const TAG_END_SET = 0x2c; // ,
const TAG_ARRAY_BUFFER = 0x42; // B
const TAG_RESIZABLE_ARRAY_BUFFER = 0x7e; // ~
const TAG_ARRAY_BUFFER_VIEW = 0x56; // V
const TAG_HOST_OBJECT = 0x5c; // \
const TAG_ERROR = 0x72; // r

// Error sub-tags.
const ERR_EVAL = 0x45; // E
const ERR_RANGE = 0x52; // R
const ERR_REFERENCE = 0x46; // F
const ERR_SYNTAX = 0x53; // S
const ERR_TYPE = 0x54; // T
const ERR_URI = 0x55; // U
const ERR_MESSAGE = 0x6d; // m
const ERR_CAUSE = 0x63; // c
const ERR_STACK = 0x73; // s
const ERR_END = 0x2e; // .
/**
 * Hearth's own sub-tag: the error's other own enumerable properties, as one
 * plain object. V8's format has no place for them, yet Cloudflare keeps them
 * (`enhanced_error_serialization`, which workerd writes in a host-object
 * format of its own). Written only when such properties exist, so every other
 * error stays byte-compatible with V8.
 */
const ERR_OWN_PROPERTIES = 0x70; // p
/** Hearth's own sub-tag: the error is a DOMException with the name that follows (see the header). */
const ERR_DOM_EXCEPTION = 0x64; // d

// Hearth's host objects: `\`, then one of these names as a one-byte string (see the header).
const HOST_HEADERS = 'Headers';
const HOST_REQUEST = 'Request';
const REQUEST_BODY_REFUSED = 'ReadableStream can only be serialized for RPC.';

// ArrayBufferView sub-tags.
const VIEW_DATA_VIEW = 0x3f; // ?
const VIEW_FLAG_LENGTH_TRACKING = 1;
const VIEW_FLAG_BACKED_BY_RAB = 2;

type Getter = (this: unknown) => unknown;
type AnyFn = (this: unknown, ...args: unknown[]) => unknown;
type ViewCtor = new (buffer: ArrayBuffer, byteOffset?: number, length?: number) => ArrayBufferView;

// Intrinsics are captured once: brand checks must not be fooled by user
// overrides, and reads must not go through subclass accessors.
const ObjectProto = Object.prototype;
const getProto = Object.getPrototypeOf;
const objectKeys = Object.keys;
const defineProp = Object.defineProperty;
const getOwnDesc = Object.getOwnPropertyDescriptor;
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const objectToString = ObjectProto.toString;
const functionToString = Function.prototype.toString;
const globals = globalThis as unknown as Record<string, unknown>;

function getter(proto: object | undefined, key: PropertyKey): Getter | undefined {
  if (!proto) return undefined;
  return getOwnDesc(proto, key)?.get as Getter | undefined;
}
function method(proto: object | undefined, key: string): AnyFn | undefined {
  if (!proto) return undefined;
  const value = getOwnDesc(proto, key)?.value as unknown;
  return typeof value === 'function' ? (value as AnyFn) : undefined;
}

const TypedArrayProto = getProto(Uint8Array.prototype) as object;
const typedArrayName = getter(TypedArrayProto, Symbol.toStringTag)!;
const typedArrayBuffer = getter(TypedArrayProto, 'buffer')!;
const typedArrayByteOffset = getter(TypedArrayProto, 'byteOffset')!;
const typedArrayByteLength = getter(TypedArrayProto, 'byteLength')!;
const dataViewBuffer = getter(DataView.prototype, 'buffer')!;
const dataViewByteOffset = getter(DataView.prototype, 'byteOffset')!;
const dataViewByteLength = getter(DataView.prototype, 'byteLength')!;
const arrayBufferByteLength = getter(ArrayBuffer.prototype, 'byteLength')!;
const arrayBufferResizable = getter(ArrayBuffer.prototype, 'resizable');
const arrayBufferMaxByteLength = getter(ArrayBuffer.prototype, 'maxByteLength');
const arrayBufferDetached = getter(ArrayBuffer.prototype, 'detached');
const SharedArrayBufferCtor = globals.SharedArrayBuffer as { prototype: object } | undefined;
const sharedArrayBufferByteLength = getter(SharedArrayBufferCtor?.prototype, 'byteLength');
const dateGetTime = Date.prototype.getTime as AnyFn;
const regExpSource = getter(RegExp.prototype, 'source')!;
const mapForEach = Map.prototype.forEach as AnyFn;
const mapSet = Map.prototype.set as AnyFn;
const setForEach = Set.prototype.forEach as AnyFn;
const setAdd = Set.prototype.add as AnyFn;
const booleanValueOf = Boolean.prototype.valueOf as AnyFn;
const numberValueOf = Number.prototype.valueOf as AnyFn;
const stringValueOf = String.prototype.valueOf as AnyFn;
const bigintValueOf = BigInt.prototype.valueOf as AnyFn;
const symbolValueOf = Symbol.prototype.valueOf as AnyFn;
const WeakRefCtor = globals.WeakRef as { prototype: object } | undefined;
const FinalizationRegistryCtor = globals.FinalizationRegistry as { prototype: object } | undefined;
const weakMapHas = WeakMap.prototype.has as AnyFn;
const weakSetHas = WeakSet.prototype.has as AnyFn;
const weakRefDeref = method(WeakRefCtor?.prototype, 'deref');
const finalizationRegistryUnregister = method(FinalizationRegistryCtor?.prototype, 'unregister');
const errorIsError = (Error as unknown as { isError?: (value: unknown) => boolean }).isError;
const Float16ArrayCtor = globals.Float16Array as (ViewCtor & { prototype: object }) | undefined;
const arrayBufferResize = method(ArrayBuffer.prototype, 'resize');
const DOMExceptionCtor = globals.DOMException as (typeof DOMException) | undefined;
const domExceptionName = getter(DOMExceptionCtor?.prototype, 'name');
const domExceptionMessage = getter(DOMExceptionCtor?.prototype, 'message');
const HeadersCtor = globals.Headers as (typeof Headers) | undefined;
const headersEntries = method(HeadersCtor?.prototype, 'entries') as ((this: unknown) => Iterable<[string, string]>) | undefined;
const headersHas = method(HeadersCtor?.prototype, 'has');
const RequestCtor = globals.Request as (typeof Request) | undefined;
const requestUrl = getter(RequestCtor?.prototype, 'url');
const requestMethod = getter(RequestCtor?.prototype, 'method');
const requestHeaders = getter(RequestCtor?.prototype, 'headers');
const requestRedirect = getter(RequestCtor?.prototype, 'redirect');
const requestBody = getter(RequestCtor?.prototype, 'body');

// V8's JSRegExp flag bits, in wire order.
const REGEXP_FLAGS: ReadonlyArray<readonly [bit: number, flag: string, get: Getter | undefined]> = [
  [1, 'g', getter(RegExp.prototype, 'global')],
  [2, 'i', getter(RegExp.prototype, 'ignoreCase')],
  [4, 'm', getter(RegExp.prototype, 'multiline')],
  [8, 'y', getter(RegExp.prototype, 'sticky')],
  [16, 'u', getter(RegExp.prototype, 'unicode')],
  [32, 's', getter(RegExp.prototype, 'dotAll')],
  [128, 'd', getter(RegExp.prototype, 'hasIndices')],
  [256, 'v', getter(RegExp.prototype, 'unicodeSets')],
];
const REGEXP_LINEAR = 64;
const REGEXP_KNOWN_BITS = 511;

const VIEW_TAG_BY_NAME: Record<string, number> = {
  Int8Array: 0x62, // b
  Uint8Array: 0x42, // B
  Uint8ClampedArray: 0x43, // C
  Int16Array: 0x77, // w
  Uint16Array: 0x57, // W
  Int32Array: 0x64, // d
  Uint32Array: 0x44, // D
  Float16Array: 0x68, // h
  Float32Array: 0x66, // f
  Float64Array: 0x46, // F
  BigInt64Array: 0x71, // q
  BigUint64Array: 0x51, // Q
};
const VIEW_CTOR_BY_TAG = new Map<number, ViewCtor>([
  [0x62, Int8Array],
  [0x42, Uint8Array],
  [0x43, Uint8ClampedArray],
  [0x77, Int16Array],
  [0x57, Uint16Array],
  [0x64, Int32Array],
  [0x44, Uint32Array],
  [0x66, Float32Array],
  [0x46, Float64Array],
  [0x71, BigInt64Array as unknown as ViewCtor],
  [0x51, BigUint64Array as unknown as ViewCtor],
]);
if (Float16ArrayCtor) VIEW_CTOR_BY_TAG.set(0x68, Float16ArrayCtor);

// Node's DefaultSerializer host-object indices for ArrayBufferViews (lib/v8.js).
const NODE_HOST_VIEW_CTORS: ReadonlyArray<ViewCtor | typeof DataView | undefined> = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  DataView,
  Uint8Array, // Buffer
  BigInt64Array as unknown as ViewCtor,
  BigUint64Array as unknown as ViewCtor,
  Float16ArrayCtor,
];

// Object kinds, decided once per object.
const K_PLAIN = 0;
const K_DATE = 1;
const K_REGEXP = 2;
const K_MAP = 3;
const K_SET = 4;
const K_ARRAY_BUFFER = 5;
const K_SHARED_ARRAY_BUFFER = 6;
const K_VIEW = 7;
const K_ERROR = 8;
const K_BOOLEAN = 9;
const K_NUMBER = 10;
const K_STRING = 11;
const K_BIGINT = 12;
const K_SYMBOL = 13;
const K_UNCLONEABLE = 14;
const K_DOM_EXCEPTION = 15;
const K_HEADERS = 16;
const K_REQUEST = 17;

const KIND_BY_PROTO = new Map<object, number>([
  [Date.prototype, K_DATE],
  [RegExp.prototype, K_REGEXP],
  [Map.prototype, K_MAP],
  [Set.prototype, K_SET],
  [ArrayBuffer.prototype, K_ARRAY_BUFFER],
  [DataView.prototype, K_VIEW],
  [Error.prototype, K_ERROR],
  [EvalError.prototype, K_ERROR],
  [RangeError.prototype, K_ERROR],
  [ReferenceError.prototype, K_ERROR],
  [SyntaxError.prototype, K_ERROR],
  [TypeError.prototype, K_ERROR],
  [URIError.prototype, K_ERROR],
  [Boolean.prototype, K_BOOLEAN],
  [Number.prototype, K_NUMBER],
  [String.prototype, K_STRING],
  [BigInt.prototype, K_BIGINT],
  [Symbol.prototype, K_SYMBOL],
  [WeakMap.prototype, K_UNCLONEABLE],
  [WeakSet.prototype, K_UNCLONEABLE],
  [Promise.prototype, K_UNCLONEABLE],
]);
for (const ctor of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array]) {
  KIND_BY_PROTO.set(ctor.prototype, K_VIEW);
}
if (Float16ArrayCtor) KIND_BY_PROTO.set(Float16ArrayCtor.prototype, K_VIEW);
if (SharedArrayBufferCtor) KIND_BY_PROTO.set(SharedArrayBufferCtor.prototype, K_SHARED_ARRAY_BUFFER);
if (WeakRefCtor) KIND_BY_PROTO.set(WeakRefCtor.prototype, K_UNCLONEABLE);
if (FinalizationRegistryCtor) KIND_BY_PROTO.set(FinalizationRegistryCtor.prototype, K_UNCLONEABLE);
if (DOMExceptionCtor) KIND_BY_PROTO.set(DOMExceptionCtor.prototype, K_DOM_EXCEPTION);
if (HeadersCtor) KIND_BY_PROTO.set(HeadersCtor.prototype, K_HEADERS);
if (RequestCtor) KIND_BY_PROTO.set(RequestCtor.prototype, K_REQUEST);

// For objects whose prototype is not a builtin one (subclasses, other realms):
// Object.prototype.toString reports the builtin's internal brand unless a
// Symbol.toStringTag overrides it, so it is a cheap first guess.
const KIND_BY_TAG: Record<string, number> = {
  '[object Date]': K_DATE,
  '[object RegExp]': K_REGEXP,
  '[object Map]': K_MAP,
  '[object Set]': K_SET,
  '[object ArrayBuffer]': K_ARRAY_BUFFER,
  '[object SharedArrayBuffer]': K_SHARED_ARRAY_BUFFER,
  '[object Error]': K_ERROR,
  '[object Boolean]': K_BOOLEAN,
  '[object Number]': K_NUMBER,
  '[object String]': K_STRING,
  '[object BigInt]': K_BIGINT,
  '[object Symbol]': K_SYMBOL,
  '[object WeakMap]': K_UNCLONEABLE,
  '[object WeakSet]': K_UNCLONEABLE,
  '[object WeakRef]': K_UNCLONEABLE,
  '[object FinalizationRegistry]': K_UNCLONEABLE,
  '[object Promise]': K_UNCLONEABLE,
  '[object DOMException]': K_DOM_EXCEPTION,
  '[object Headers]': K_HEADERS,
  '[object Request]': K_REQUEST,
};
// When a subclass overrides Symbol.toStringTag the tag says nothing; fall back to the prototype chain.
const KIND_BY_INSTANCEOF: ReadonlyArray<readonly [ctor: Function, kind: number]> = [
  [Date, K_DATE],
  [RegExp, K_REGEXP],
  [Map, K_MAP],
  [Set, K_SET],
  [ArrayBuffer, K_ARRAY_BUFFER],
  // Before Error: a DOMException is an Error too.
  ...(DOMExceptionCtor ? [[DOMExceptionCtor as unknown as Function, K_DOM_EXCEPTION] as const] : []),
  [Error, K_ERROR],
  [Boolean, K_BOOLEAN],
  [Number, K_NUMBER],
  [String, K_STRING],
  [WeakMap, K_UNCLONEABLE],
  [WeakSet, K_UNCLONEABLE],
  [Promise, K_UNCLONEABLE],
  ...(WeakRefCtor ? [[WeakRefCtor as unknown as Function, K_UNCLONEABLE] as const] : []),
  ...(FinalizationRegistryCtor ? [[FinalizationRegistryCtor as unknown as Function, K_UNCLONEABLE] as const] : []),
  ...(HeadersCtor ? [[HeadersCtor as unknown as Function, K_HEADERS] as const] : []),
  ...(RequestCtor ? [[RequestCtor as unknown as Function, K_REQUEST] as const] : []),
];

function succeeds(fn: AnyFn | Getter | undefined, target: unknown, arg?: unknown): boolean {
  if (!fn) return false;
  try {
    fn.call(target, arg);
    return true;
  } catch {
    return false;
  }
}

function isErrorObject(value: object): boolean {
  if (errorIsError) return errorIsError(value);
  // Without Error.isError there is no exact brand check; real errors report
  // "[object Error]" unless they override the tag (DOMException does).
  return objectToString.call(value) === '[object Error]' || value instanceof Error;
}

function isSharedArrayBuffer(value: unknown): boolean {
  return succeeds(sharedArrayBufferByteLength, value);
}

/** Does `value` really carry the internal slots of `kind`? */
function hasBrand(value: object, kind: number): boolean {
  switch (kind) {
    case K_DATE: return succeeds(dateGetTime, value);
    case K_REGEXP: return succeeds(regExpSource, value) && value !== RegExp.prototype;
    case K_MAP: return succeeds(mapForEach, value, noop);
    case K_SET: return succeeds(setForEach, value, noop);
    case K_ARRAY_BUFFER: return succeeds(arrayBufferByteLength, value);
    case K_SHARED_ARRAY_BUFFER: return isSharedArrayBuffer(value);
    case K_VIEW: return isView(value);
    case K_ERROR: return isErrorObject(value);
    case K_BOOLEAN: return succeeds(booleanValueOf, value);
    case K_NUMBER: return succeeds(numberValueOf, value);
    case K_STRING: return succeeds(stringValueOf, value);
    case K_BIGINT: return succeeds(bigintValueOf, value);
    case K_SYMBOL: return succeeds(symbolValueOf, value);
    case K_UNCLONEABLE:
      return succeeds(weakMapHas, value, {}) || succeeds(weakSetHas, value, {}) || succeeds(weakRefDeref, value) ||
        succeeds(finalizationRegistryUnregister, value, {}) || value instanceof Promise ||
        objectToString.call(value) === '[object Promise]';
    // Where the platform's accessors do no brand check (none is known), `instanceof` has to do.
    case K_DOM_EXCEPTION: return domExceptionName ? succeeds(domExceptionName, value) : value instanceof DOMExceptionCtor!;
    case K_HEADERS: return succeeds(headersHas, value, 'x'); // entries() may check only once iterated
    case K_REQUEST: return succeeds(requestUrl, value);
    default: return true;
  }
}

function noop(): void {}

function classify(value: object, proto: object): number {
  const byProto = KIND_BY_PROTO.get(proto);
  if (byProto !== undefined && hasBrand(value, byProto)) return byProto;
  if (isView(value)) return K_VIEW;
  const tag = objectToString.call(value);
  if (tag === '[object Object]') return K_PLAIN;
  const byTag = KIND_BY_TAG[tag];
  if (byTag !== undefined && hasBrand(value, byTag)) return byTag;
  for (const [ctor, kind] of KIND_BY_INSTANCEOF) {
    if (value instanceof ctor && hasBrand(value, kind)) return kind;
  }
  if (errorIsError?.(value)) return K_ERROR;
  return K_PLAIN;
}

function cloneError(message: string): DOMException {
  return dataCloneError(message);
}

/** V8 names an object in its DataCloneError message as `#<Constructor>`. */
function describeObject(value: object): string {
  let name: unknown;
  try {
    const ctor = (value as { constructor?: unknown }).constructor;
    if (typeof ctor === 'function') name = (ctor as { name?: unknown }).name;
  } catch {
    // A throwing accessor must not mask the DataCloneError.
  }
  if (typeof name !== 'string' || name === '') name = 'Object';
  return `#<${name as string}>`;
}

function describeFunction(fn: Function): string {
  try {
    return functionToString.call(fn);
  } catch {
    return String(fn);
  }
}

function isSmi(n: number): boolean {
  return (n | 0) === n && n >= SMI_MIN && n <= SMI_MAX && (n !== 0 || 1 / n > 0);
}

function varintLength(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** The array index a property key names, or -1 (V8 writes index keys as numbers). */
function arrayIndexOf(key: string): number {
  const n = +key;
  return n >>> 0 === n && n !== 0xffffffff && String(n) === key ? n : -1;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const INITIAL_CAPACITY = 4096;
const RETAINED_CAPACITY = 1 << 20;

/**
 * How deeply objects and arrays may nest in one value. The writer recurses
 * (three frames per level), and a dedicated worker's stack ran out between
 * 800 and 1,000 levels in Chromium; past the stack, V8 would say only
 * `Maximum call stack size exceeded`. workerd itself writes ~3,000 levels and
 * then fails with exactly that message. So Hearth stops at a fixed, named
 * limit with room to spare for the caller's own stack (an intended
 * difference, docs/intended-differences.md), and turns a real stack overflow
 * below it (a caller already deep in recursion) into the same clear error.
 */
export const MAX_NESTING_DEPTH = 512;
const TOO_DEEP_MESSAGE = `Value could not be serialized: objects and arrays are nested more than ${MAX_NESTING_DEPTH} levels deep.`;

function isStackOverflow(e: unknown): boolean {
  return (e instanceof RangeError && /call stack/i.test(e.message)) || (e as Error | null)?.name === 'InternalError';
}

class Writer {
  buf = new Uint8Array(INITIAL_CAPACITY);
  dv = new DataView(this.buf.buffer);
  pos = 0;
  busy = false;
  /** The first object gets id 0 and is kept out of the map, so single-object values never touch it. */
  first: object | undefined = undefined;
  ids = new Map<object, number>();
  nextId = 0;
  /** Objects open on the way down (see MAX_NESTING_DEPTH). */
  depth = 0;

  reset(): void {
    this.pos = 0;
    this.depth = 0;
    this.first = undefined;
    if (this.nextId > 1) this.ids.clear();
    this.nextId = 0;
    if (this.buf.length > RETAINED_CAPACITY) {
      this.buf = new Uint8Array(INITIAL_CAPACITY);
      this.dv = new DataView(this.buf.buffer);
    }
  }

  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  grow(n: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n + 64));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = b;
  }

  varint(v: number): void {
    if (this.pos + 5 > this.buf.length) this.grow(5);
    const buf = this.buf;
    let p = this.pos;
    while (v >= 0x80) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
  }

  double(d: number): void {
    if (this.pos + 8 > this.buf.length) this.grow(8);
    this.dv.setFloat64(this.pos, d, true);
    this.pos += 8;
  }

  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  idOf(o: object): number | undefined {
    if (o === this.first) return 0;
    return this.nextId > 1 ? this.ids.get(o) : undefined;
  }

  assignId(o: object): void {
    if (this.nextId === 0) this.first = o;
    else this.ids.set(o, this.nextId);
    this.nextId++;
  }

  value(v: unknown): void {
    switch (typeof v) {
      case 'number': return this.number(v);
      case 'string': return this.string(v);
      case 'boolean': return this.byte(v ? TAG_TRUE : TAG_FALSE);
      case 'undefined': return this.byte(TAG_UNDEFINED);
      case 'object':
        if (v === null) return this.byte(TAG_NULL);
        // Counted here rather than in object(): no extra frame per level. A throw resets the writer.
        if (++this.depth > MAX_NESTING_DEPTH) throw cloneError(TOO_DEEP_MESSAGE);
        this.object(v);
        this.depth--;
        return;
      case 'bigint':
        this.byte(TAG_BIGINT);
        return this.bigintBody(v);
      case 'function': {
        const typeName = (v as unknown as Record<symbol, unknown>)[UNSERIALIZABLE];
        if (typeof typeName === 'string') throw unserializable(typeName);
        throw cloneError(`${describeFunction(v)} could not be cloned.`);
      }
      case 'symbol': throw cloneError(`${String(v)} could not be cloned.`);
    }
  }

  number(n: number): void {
    if ((n | 0) === n && n >= SMI_MIN && n <= SMI_MAX && (n !== 0 || 1 / n > 0)) {
      if (this.pos + 6 > this.buf.length) this.grow(6);
      this.buf[this.pos++] = TAG_INT32;
      this.varint(((n << 1) ^ (n >> 31)) >>> 0);
    } else {
      if (this.pos + 9 > this.buf.length) this.grow(9);
      this.buf[this.pos++] = TAG_DOUBLE;
      this.dv.setFloat64(this.pos, n, true);
      this.pos += 8;
    }
  }

  string(s: string): void {
    const len = s.length;
    // Room for padding, tag, a 5-byte length and the two-byte worst case.
    this.ensure(7 + len * 2);
    const buf = this.buf;
    const lenBytes = varintLength(len);
    const start = this.pos + 1 + lenBytes;
    let i = 0;
    if (len > 32) {
      // Native UTF-8 encoding is much faster, and for pure ASCII it is the
      // Latin-1 encoding; one byte per character read proves the string was ASCII.
      const { read, written } = utf8Encoder.encodeInto(s, buf.subarray(start, start + len));
      if (read === len && written === len) i = len;
    }
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c > 0xff) break;
      buf[start + i] = c;
    }
    if (i === len) {
      buf[this.pos++] = TAG_ONE_BYTE_STRING;
      this.varint(len);
      this.pos += len;
      return;
    }
    // Two-byte: V8 pads so the character data starts at an even offset.
    const byteLength = len * 2;
    if ((this.pos + 1 + varintLength(byteLength)) & 1) buf[this.pos++] = TAG_PADDING;
    buf[this.pos++] = TAG_TWO_BYTE_STRING;
    this.varint(byteLength);
    let p = this.pos;
    for (let j = 0; j < len; j++) {
      const c = s.charCodeAt(j);
      buf[p++] = c & 0xff;
      buf[p++] = c >>> 8;
    }
    this.pos = p;
  }

  key(k: string): void {
    const c = k.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39) {
      const index = arrayIndexOf(k);
      if (index >= 0) {
        if (index <= SMI_MAX) this.number(index);
        else {
          this.byte(TAG_DOUBLE);
          this.double(index);
        }
        return;
      }
    }
    this.string(k);
  }

  bigintBody(v: bigint): void {
    const negative = v < 0n;
    const magnitude = negative ? -v : v;
    const sign = negative ? 1 : 0;
    if (magnitude === 0n) return this.varint(0);
    if (magnitude <= 0xffffffffffffffffn) {
      // One 64-bit digit: bitfield is sign | (byteLength << 1).
      this.varint(16 | sign);
      this.ensure(8);
      this.dv.setBigUint64(this.pos, magnitude, true);
      this.pos += 8;
      return;
    }
    const hex = magnitude.toString(16);
    const byteLength = Math.ceil(hex.length / 16) * 8;
    this.varint(byteLength * 2 + sign);
    this.ensure(byteLength);
    const buf = this.buf;
    let p = this.pos;
    for (let end = hex.length, i = 0; i < byteLength; i++, end -= 2) {
      buf[p++] = end <= 0 ? 0 : parseInt(hex.slice(Math.max(0, end - 2), end), 16);
    }
    this.pos = p;
  }

  object(o: object): void {
    const id = this.idOf(o);
    if (id !== undefined) {
      this.byte(TAG_OBJECT_REFERENCE);
      return this.varint(id);
    }
    const typeName = (o as Record<symbol, unknown>)[UNSERIALIZABLE];
    if (typeof typeName === 'string') throw unserializable(typeName);
    const proto = getProto(o) as object | null;
    if (proto === ObjectProto || proto === null) {
      this.assignId(o);
      return this.plainObject(o as Record<string, unknown>);
    }
    if (isArray(o)) {
      this.assignId(o);
      return this.array(o as unknown[]);
    }
    const message = (proto as Record<symbol, unknown>)[UNSERIALIZABLE_MESSAGE];
    if (typeof message === 'string') throw cloneError(message);
    const kind = classify(o, proto);
    if (kind === K_VIEW) return this.view(o as ArrayBufferView);
    if (kind === K_UNCLONEABLE) throw cloneError(`${describeObject(o)} could not be cloned.`);
    if (kind === K_SHARED_ARRAY_BUFFER) throw cloneError('#<SharedArrayBuffer> could not be cloned.');
    if (kind === K_SYMBOL) throw cloneError('[object Symbol] could not be cloned.');
    if (kind === K_REQUEST && requestBody!.call(o) !== null) throw cloneError(REQUEST_BODY_REFUSED);
    this.assignId(o);
    switch (kind) {
      case K_PLAIN: return this.plainObject(o as Record<string, unknown>);
      case K_DATE:
        this.byte(TAG_DATE);
        return this.double(dateGetTime.call(o) as number);
      case K_REGEXP: return this.regExp(o as RegExp);
      case K_MAP: return this.map(o);
      case K_SET: return this.set(o);
      case K_ARRAY_BUFFER: return this.arrayBuffer(o as ArrayBuffer);
      case K_ERROR: return this.error(o as Error);
      case K_DOM_EXCEPTION: return this.domException(o);
      case K_HEADERS:
        this.byte(TAG_HOST_OBJECT);
        this.string(HOST_HEADERS);
        return this.value(headerPairs(o));
      case K_REQUEST:
        this.byte(TAG_HOST_OBJECT);
        this.string(HOST_REQUEST);
        this.string(requestUrl!.call(o) as string);
        this.string(requestMethod!.call(o) as string);
        this.value(headerPairs(requestHeaders!.call(o) as object));
        return this.string(requestRedirect!.call(o) as string);
      case K_BOOLEAN: return this.byte(booleanValueOf.call(o) ? TAG_TRUE_OBJECT : TAG_FALSE_OBJECT);
      case K_NUMBER:
        this.byte(TAG_NUMBER_OBJECT);
        return this.double(numberValueOf.call(o) as number);
      case K_STRING:
        this.byte(TAG_STRING_OBJECT);
        return this.string(stringValueOf.call(o) as string);
      case K_BIGINT:
        this.byte(TAG_BIGINT_OBJECT);
        return this.bigintBody(bigintValueOf.call(o) as bigint);
    }
  }

  plainObject(o: Record<string, unknown>): void {
    this.byte(TAG_BEGIN_OBJECT);
    const keys = objectKeys(o);
    const n = keys.length;
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      this.key(k);
      this.value(o[k]);
    }
    this.byte(TAG_END_OBJECT);
    this.varint(n);
  }

  array(a: unknown[]): void {
    const len = a.length;
    const keys = objectKeys(a);
    const nKeys = keys.length;
    // Index keys come first and ascending, so the array has no holes exactly
    // when its first `len` keys end with `len - 1`.
    const packed = nKeys >= len && (len === 0 || keys[len - 1] === String(len - 1));
    if (!packed) {
      this.byte(TAG_BEGIN_SPARSE_ARRAY);
      this.varint(len);
      for (let i = 0; i < nKeys; i++) {
        const k = keys[i]!;
        this.key(k);
        this.value((a as unknown as Record<string, unknown>)[k]);
      }
      this.byte(TAG_END_SPARSE_ARRAY);
      this.varint(nKeys);
      this.varint(len);
      return;
    }
    this.byte(TAG_BEGIN_DENSE_ARRAY);
    this.varint(len);
    let allNumbers = true;
    let anyNonSmi = false;
    for (let i = 0; i < len; i++) {
      const v = a[i];
      if (typeof v !== 'number') {
        allNumbers = false;
        break;
      }
      if (!anyNonSmi && !isSmi(v)) anyNonSmi = true;
    }
    if (allNumbers && anyNonSmi) {
      // V8 keeps such an array as unboxed doubles and writes every element as one.
      this.ensure(len * 9);
      const buf = this.buf;
      const dv = this.dv;
      let p = this.pos;
      for (let i = 0; i < len; i++) {
        buf[p] = TAG_DOUBLE;
        dv.setFloat64(p + 1, a[i] as number, true);
        p += 9;
      }
      this.pos = p;
    } else {
      for (let i = 0; i < len; i++) this.value(a[i]);
    }
    for (let i = len; i < nKeys; i++) {
      const k = keys[i]!;
      this.string(k);
      this.value((a as unknown as Record<string, unknown>)[k]);
    }
    this.byte(TAG_END_DENSE_ARRAY);
    this.varint(nKeys - len);
    this.varint(len);
  }

  regExp(re: RegExp): void {
    this.byte(TAG_REGEXP);
    this.string(regExpSource.call(re) as string);
    let flags = 0;
    for (const [bit, , get] of REGEXP_FLAGS) {
      if (get && get.call(re)) flags |= bit;
    }
    this.varint(flags);
  }

  map(m: object): void {
    // Entries are copied first, as V8 does, so writing them cannot be disturbed by getters mutating the map.
    const entries: unknown[] = [];
    mapForEach.call(m, (v: unknown, k: unknown) => {
      entries.push(k, v);
    });
    this.byte(TAG_BEGIN_MAP);
    for (let i = 0; i < entries.length; i++) this.value(entries[i]);
    this.byte(TAG_END_MAP);
    this.varint(entries.length);
  }

  set(s: object): void {
    const entries: unknown[] = [];
    setForEach.call(s, (v: unknown) => {
      entries.push(v);
    });
    this.byte(TAG_BEGIN_SET);
    for (let i = 0; i < entries.length; i++) this.value(entries[i]);
    this.byte(TAG_END_SET);
    this.varint(entries.length);
  }

  arrayBuffer(ab: ArrayBuffer): void {
    const byteLength = arrayBufferByteLength.call(ab) as number;
    if (byteLength === 0 && isDetached(ab)) throw cloneError('An ArrayBuffer is detached and could not be cloned.');
    if (arrayBufferResizable?.call(ab) === true) {
      this.byte(TAG_RESIZABLE_ARRAY_BUFFER);
      this.varint(byteLength);
      this.varint(arrayBufferMaxByteLength!.call(ab) as number);
    } else {
      this.byte(TAG_ARRAY_BUFFER);
      this.varint(byteLength);
    }
    this.bytes(new Uint8Array(ab, 0, byteLength));
  }

  view(view: ArrayBufferView): void {
    const name = typedArrayName.call(view) as string | undefined;
    let subtag: number;
    let buffer: ArrayBuffer;
    let byteOffset: number;
    let byteLength: Getter;
    if (name === undefined) {
      subtag = VIEW_DATA_VIEW;
      buffer = dataViewBuffer.call(view) as ArrayBuffer;
      byteOffset = dataViewByteOffset.call(view) as number;
      byteLength = dataViewByteLength;
    } else {
      const tag = VIEW_TAG_BY_NAME[name];
      if (tag === undefined) throw cloneError(`${describeObject(view)} could not be cloned.`);
      subtag = tag;
      buffer = typedArrayBuffer.call(view) as ArrayBuffer;
      byteOffset = typedArrayByteOffset.call(view) as number;
      byteLength = typedArrayByteLength;
    }
    try {
      arrayBufferByteLength.call(buffer);
    } catch {
      throw cloneError('#<SharedArrayBuffer> could not be cloned.');
    }
    // As V8: the whole buffer first (or a reference to it; a detached one throws here), then the view over it.
    this.object(buffer);
    let flags = 0;
    let length = byteLength.call(view) as number;
    if (arrayBufferResizable?.call(buffer) === true) {
      flags = VIEW_FLAG_BACKED_BY_RAB;
      const elementSize = subtag === VIEW_DATA_VIEW ? 1 : (VIEW_CTOR_BY_TAG.get(subtag) as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      if (isLengthTracking(view, byteLength, buffer, byteOffset, elementSize)) {
        flags |= VIEW_FLAG_LENGTH_TRACKING;
        length = 0; // V8 keeps no length for a length-tracking view, and writes 0
      }
    }
    this.assignId(view);
    this.byte(TAG_ARRAY_BUFFER_VIEW);
    this.byte(subtag);
    this.varint(byteOffset);
    this.varint(length);
    this.varint(flags);
  }

  /** `r d <name> m <message> [s <stack>] .`: see ERR_DOM_EXCEPTION. */
  domException(e: object): void {
    this.byte(TAG_ERROR);
    this.byte(ERR_DOM_EXCEPTION);
    this.string(domExceptionName ? (domExceptionName.call(e) as string) : String((e as DOMException).name));
    this.byte(ERR_MESSAGE);
    this.string(domExceptionMessage ? (domExceptionMessage.call(e) as string) : String((e as DOMException).message));
    const stack = (e as Error).stack as unknown;
    if (typeof stack === 'string') {
      this.byte(ERR_STACK);
      this.string(stack);
    }
    this.byte(ERR_END);
  }

  error(e: Error): void {
    const messageDesc = getOwnDesc(e, 'message');
    const causeDesc = getOwnDesc(e, 'cause');
    this.byte(TAG_ERROR);
    switch (String(e.name)) {
      case 'EvalError': this.byte(ERR_EVAL); break;
      case 'RangeError': this.byte(ERR_RANGE); break;
      case 'ReferenceError': this.byte(ERR_REFERENCE); break;
      case 'SyntaxError': this.byte(ERR_SYNTAX); break;
      case 'TypeError': this.byte(ERR_TYPE); break;
      case 'URIError': this.byte(ERR_URI); break;
    }
    if (messageDesc && 'value' in messageDesc) {
      this.byte(ERR_MESSAGE);
      this.string(String(messageDesc.value));
    }
    const stack = e.stack as unknown;
    if (typeof stack === 'string') {
      this.byte(ERR_STACK);
      this.string(stack);
    }
    // Cause last, as current V8 writes it, so a reader can create the error before a cause that refers back to it.
    if (causeDesc && 'value' in causeDesc) {
      this.byte(ERR_CAUSE);
      this.value(causeDesc.value);
    }
    const extra = Object.keys(e).filter((k) => k !== 'message' && k !== 'stack' && k !== 'cause');
    if (extra.length > 0) {
      const props: Record<string, unknown> = {};
      for (const k of extra) props[k] = (e as unknown as Record<string, unknown>)[k];
      this.byte(ERR_OWN_PROPERTIES);
      this.value(props);
    }
    this.byte(ERR_END);
  }
}

function unserializable(typeName: string): DOMException {
  return cloneError(`Could not serialize object of type "${typeName}". This type does not support serialization.`);
}

/** A Headers' pairs, as iterating it gives them (through the intrinsic, not the object's own methods). */
function headerPairs(headers: object): [string, string][] {
  return [...headersEntries!.call(headers)];
}

/**
 * Does a view over a resizable buffer track the buffer's length (made without
 * a length)? JavaScript cannot ask, but resizing the buffer shows it, and the
 * buffer is put back exactly as it was:
 *  - growing by one element: a tracking view grows, a fixed one does not;
 *    shrinking back keeps every byte;
 *  - at its maximum length, shrinking by one element instead (only a view
 *    reaching the end can track; a fixed one falls out of bounds and reports
 *    no bytes); the bytes cut off are saved and written back. A view of one
 *    element cannot tell, and is taken as tracking; an empty view at the
 *    end is taken as fixed.
 */
function isLengthTracking(view: ArrayBufferView, byteLength: Getter, buffer: ArrayBuffer, byteOffset: number, elementSize: number): boolean {
  if (!arrayBufferResize) return false;
  const bufferLength = arrayBufferByteLength.call(buffer) as number;
  const before = byteLength.call(view) as number;
  const lengthNow = (): number => {
    try {
      return byteLength.call(view) as number;
    } catch {
      return 0; // an out-of-bounds DataView throws
    }
  };
  if (bufferLength + elementSize <= (arrayBufferMaxByteLength!.call(buffer) as number)) {
    arrayBufferResize.call(buffer, bufferLength + elementSize);
    try {
      return lengthNow() !== before;
    } finally {
      arrayBufferResize.call(buffer, bufferLength);
    }
  }
  if (byteOffset + before !== bufferLength || before < elementSize) return false;
  const cut = new Uint8Array(buffer, bufferLength - elementSize, elementSize).slice();
  arrayBufferResize.call(buffer, bufferLength - elementSize);
  try {
    const after = lengthNow();
    return after === before - elementSize;
  } finally {
    arrayBufferResize.call(buffer, bufferLength);
    new Uint8Array(buffer, bufferLength - elementSize, elementSize).set(cut);
  }
}

function isDetached(ab: ArrayBuffer): boolean {
  if (arrayBufferDetached) return arrayBufferDetached.call(ab) === true;
  try {
    new Uint8Array(ab);
    return false;
  } catch {
    return true;
  }
}

const sharedWriter = new Writer();

function runWriter<T>(value: unknown, finish: (w: Writer) => T): T {
  // A getter may serialize re-entrantly; it gets a writer of its own.
  const w = sharedWriter.busy ? new Writer() : sharedWriter;
  w.busy = true;
  try {
    w.buf[0] = TAG_VERSION;
    w.buf[1] = LATEST_VERSION;
    w.pos = 2;
    w.value(value);
    return finish(w);
  } catch (e) {
    if (isStackOverflow(e)) throw cloneError(TOO_DEEP_MESSAGE);
    throw e;
  } finally {
    w.reset();
    w.busy = false;
  }
}

// A pooled slab would be cheaper than a fresh ArrayBuffer per value, but
// callers hand `bytes.buffer` to storage APIs, so the result owns its memory.
function takeBytes(w: Writer): Uint8Array {
  return w.buf.slice(0, w.pos);
}
function takeSize(w: Writer): number {
  return w.pos;
}

/** Serialize with structured-clone semantics. Throws DOMException('…', 'DataCloneError') for what cannot be cloned. */
export function serialize(value: unknown): Uint8Array {
  return serializePrimitive(value) ?? runWriter(value, takeBytes);
}

/** Longest string the fast path takes; longer ones go through the writer's native UTF-8 scan. */
const FAST_STRING_MAX = 32;

/**
 * The fast path: the values most `put`s store (small integers, booleans,
 * null, undefined, short Latin-1 strings) written straight into a right-sized
 * array, skipping the writer's re-entrancy guard, reset and copy-out. The
 * bytes are exactly the writer's (the unit tests compare both with V8's);
 * anything else returns undefined and takes the general path.
 */
function serializePrimitive(value: unknown): Uint8Array | undefined {
  switch (typeof value) {
    case 'number': {
      if (!isSmi(value)) return undefined;
      let z = ((value << 1) ^ (value >> 31)) >>> 0;
      const out = new Uint8Array(3 + varintLength(z));
      out[0] = TAG_VERSION;
      out[1] = LATEST_VERSION;
      out[2] = TAG_INT32;
      let p = 3;
      while (z >= 0x80) {
        out[p++] = (z & 0x7f) | 0x80;
        z >>>= 7;
      }
      out[p] = z;
      return out;
    }
    case 'string': {
      const len = value.length;
      if (len > FAST_STRING_MAX) return undefined;
      // len ≤ 32 < 0x80: the length is one varint byte.
      const out = new Uint8Array(4 + len);
      for (let i = 0; i < len; i++) {
        const c = value.charCodeAt(i);
        if (c > 0xff) return undefined; // two-byte strings need V8's padding rules: general path
        out[4 + i] = c;
      }
      out[0] = TAG_VERSION;
      out[1] = LATEST_VERSION;
      out[2] = TAG_ONE_BYTE_STRING;
      out[3] = len;
      return out;
    }
    case 'boolean':
      return Uint8Array.of(TAG_VERSION, LATEST_VERSION, value ? TAG_TRUE : TAG_FALSE);
    case 'undefined':
      return Uint8Array.of(TAG_VERSION, LATEST_VERSION, TAG_UNDEFINED);
    case 'object':
      return value === null ? Uint8Array.of(TAG_VERSION, LATEST_VERSION, TAG_NULL) : undefined;
    default:
      return undefined;
  }
}

/**
 * The reading side of the fast path: a whole value that is one small integer
 * (at most 21 bits of varint), in the current version. Returns NOT_FAST for
 * everything else (including anything malformed, which the general reader
 * then rejects with its own error).
 */
const NOT_FAST = Symbol('not fast');
function deserializePrimitive(bytes: Uint8Array): unknown {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== TAG_VERSION || bytes[1] !== LATEST_VERSION) return NOT_FAST;
  const tag = bytes[2];
  if (tag === TAG_INT32 && n <= 6) {
    let u = 0;
    for (let p = 3, shift = 0; p < n; p++, shift += 7) {
      const b = bytes[p]!;
      if ((b & 0x80) === 0) {
        if (p !== n - 1) return NOT_FAST;
        u = (u | (b << shift)) >>> 0;
        return (u >>> 1) ^ -(u & 1);
      }
      u |= (b & 0x7f) << shift;
    }
    return NOT_FAST;
  }
  // Strings are not taken here: the reader's key cache already reads short ones faster than a copy would.
  return NOT_FAST;
}

/** The byte length `serialize(value)` would return, without copying the bytes out. */
export function serializedSize(value: unknown): number {
  return runWriter(value, takeSize);
}

// ---------------------------------------------------------------------------
// Reading

const DESERIALIZATION_ERROR = 'Unable to deserialize cloned data.';
const VERSION_ERROR = 'Unable to deserialize cloned data due to invalid or unsupported version.';

function corrupt(): TypeError {
  return new TypeError(DESERIALIZATION_ERROR);
}

const ERROR_CTOR_BY_TAG = new Map<number, ErrorConstructor>([
  [ERR_EVAL, EvalError],
  [ERR_RANGE, RangeError],
  [ERR_REFERENCE, ReferenceError],
  [ERR_SYNTAX, SyntaxError],
  [ERR_TYPE, TypeError],
  [ERR_URI, URIError],
]);
const ErrorWithLimit = Error as unknown as { stackTraceLimit?: number };
const supportsResizable = typeof arrayBufferResizable === 'function';

function defineHidden(target: object, key: string, value: unknown): void {
  defineProp(target, key, { value, writable: true, enumerable: false, configurable: true });
}

function setProperty(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  // Own data property, like V8's DefineOwnProperty: assigning "__proto__" would change the prototype instead.
  if (key === '__proto__') defineProp(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

const EMPTY = new Uint8Array(0);
const scratchFloat = new Float64Array(1);
const scratchBytes = new Uint8Array(scratchFloat.buffer);
const KEY_CACHE_MAX_LENGTH = 32;
const KEY_CACHE_MASK = 1023;
const keyCache: Array<string | undefined> = new Array<string | undefined>(KEY_CACHE_MASK + 1).fill(undefined);


class Reader {
  u8: Uint8Array = EMPTY;
  dv: DataView | undefined = undefined;
  pos = 0;
  end = 0;
  version = LATEST_VERSION;
  objs: unknown[] = [];
  nextId = 0;
  busy = false;

  reset(): void {
    this.u8 = EMPTY;
    this.dv = undefined;
    if (this.nextId > 0) this.objs = [];
    this.nextId = 0;
  }

  dataView(): DataView {
    return (this.dv ??= new DataView(this.u8.buffer, this.u8.byteOffset, this.u8.byteLength));
  }

  varint(): number {
    const u8 = this.u8;
    let p = this.pos;
    if (p >= this.end) throw corrupt();
    let b = u8[p++]!;
    if (b < 0x80) {
      this.pos = p;
      return b;
    }
    let result = b & 0x7f;
    // V8 reads at most five bytes for a 32-bit varint and drops the excess bits.
    for (let shift = 7; shift < 35; shift += 7) {
      if (p >= this.end) throw corrupt();
      b = u8[p++]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    this.pos = p;
    return result >>> 0;
  }

  /** Next tag, skipping padding, without consuming it (-1 at the end). */
  peekTag(): number {
    const u8 = this.u8;
    let p = this.pos;
    while (p < this.end) {
      const t = u8[p]!;
      if (t !== TAG_PADDING) return t;
      p++;
    }
    return -1;
  }

  /** Consume the tag `peekTag` just returned. */
  consumeTag(): void {
    while (this.u8[this.pos] === TAG_PADDING) this.pos++;
    this.pos++;
  }

  double(): number {
    const p = this.pos;
    if (this.end - p < 8) throw corrupt();
    // Copying into a scratch Float64Array beats allocating a DataView over the input for a handful of reads.
    const u8 = this.u8;
    if (LITTLE_ENDIAN) {
      scratchBytes[0] = u8[p]!;
      scratchBytes[1] = u8[p + 1]!;
      scratchBytes[2] = u8[p + 2]!;
      scratchBytes[3] = u8[p + 3]!;
      scratchBytes[4] = u8[p + 4]!;
      scratchBytes[5] = u8[p + 5]!;
      scratchBytes[6] = u8[p + 6]!;
      scratchBytes[7] = u8[p + 7]!;
    } else {
      for (let i = 0; i < 8; i++) scratchBytes[7 - i] = u8[p + i]!;
    }
    this.pos = p + 8;
    return scratchFloat[0]!;
  }

  raw(n: number): Uint8Array {
    if (n > this.end - this.pos) throw corrupt();
    const out = this.u8.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  value(): unknown {
    const u8 = this.u8;
    let p = this.pos;
    let tag: number;
    do {
      if (p >= this.end) throw corrupt();
      tag = u8[p++]!;
    } while (tag === TAG_PADDING);
    this.pos = p;
    switch (tag) {
      case TAG_INT32: {
        const u = this.varint();
        return (u >>> 1) ^ -(u & 1);
      }
      case TAG_ONE_BYTE_STRING: return this.oneByteString();
      case TAG_BEGIN_OBJECT: return this.plainObject();
      case TAG_DOUBLE: return this.double();
      case TAG_TWO_BYTE_STRING: return this.twoByteString();
      case TAG_UNDEFINED: return undefined;
      case TAG_NULL: return null;
      case TAG_TRUE: return true;
      case TAG_FALSE: return false;
      case TAG_BEGIN_DENSE_ARRAY: return this.denseArray();
      case TAG_BEGIN_SPARSE_ARRAY: return this.sparseArray();
      case TAG_OBJECT_REFERENCE: {
        const id = this.varint();
        if (id >= this.objs.length) throw corrupt();
        const obj = this.objs[id];
        if (obj === undefined) throw corrupt();
        return obj instanceof ArrayBuffer ? this.maybeView(obj) : obj;
      }
      case TAG_UINT32: return this.varint();
      case TAG_BIGINT: return this.bigintBody();
      case TAG_UTF8_STRING: return this.utf8String();
      case TAG_DATE: {
        const date = new Date(this.double());
        this.objs[this.nextId++] = date;
        return date;
      }
      case TAG_TRUE_OBJECT: return this.register(Object(true));
      case TAG_FALSE_OBJECT: return this.register(Object(false));
      case TAG_NUMBER_OBJECT: {
        const id = this.nextId++;
        return (this.objs[id] = Object(this.double()));
      }
      case TAG_BIGINT_OBJECT: {
        const id = this.nextId++;
        return (this.objs[id] = Object(this.bigintBody()));
      }
      case TAG_STRING_OBJECT: {
        const id = this.nextId++;
        return (this.objs[id] = Object(this.stringField()));
      }
      case TAG_REGEXP: return this.regExp();
      case TAG_BEGIN_MAP: return this.map();
      case TAG_BEGIN_SET: return this.set();
      case TAG_ARRAY_BUFFER: return this.maybeView(this.arrayBuffer(false));
      case TAG_RESIZABLE_ARRAY_BUFFER: return this.maybeView(this.arrayBuffer(true));
      case TAG_ERROR: return this.error();
      case TAG_HOST_OBJECT: return this.hostObject();
      case TAG_VERIFY_OBJECT_COUNT:
        this.varint();
        return this.value();
      default:
        throw corrupt();
    }
  }

  register<T>(obj: T): T {
    this.objs[this.nextId++] = obj;
    return obj;
  }

  /** A string where V8 expects one (regexp source, string object, error text). */
  stringField(): string {
    if (this.version < 12) return this.utf8String();
    const s = this.value();
    if (typeof s !== 'string') throw corrupt();
    return s;
  }

  oneByteString(): string {
    const len = this.varint();
    if (len > this.end - this.pos) throw corrupt();
    const u8 = this.u8;
    const start = this.pos;
    this.pos = start + len;
    if (len < 16) {
      let s = '';
      for (let i = start; i < start + len; i++) s += String.fromCharCode(u8[i]!);
      return s;
    }
    const bytes = u8.subarray(start, start + len);
    if (len < 64) return fromCharCodes(bytes);
    // TextDecoder('latin1') is really windows-1252, so only ASCII may take the
    // native path. Decoding as UTF-8 and checking is cheaper than a JS scan:
    // any byte >= 0x80 either joins a multi-byte sequence (shorter result) or
    // decodes to U+FFFD.
    const s = utf8Decoder.decode(bytes);
    if (s.length === len && !s.includes('\ufffd')) return s;
    return fromCharCodes(bytes);
  }

  /**
   * Property names repeat across objects. Returning the same string object
   * for the same bytes skips decoding and, more importantly, lets V8 use its
   * already-internalized form: storing under a freshly built key string is
   * several times slower than the rest of reading the property.
   */
  keyString(): string {
    this.consumeTag();
    const lengthAt = this.pos;
    const len = this.varint();
    if (len > KEY_CACHE_MAX_LENGTH) {
      this.pos = lengthAt;
      return this.oneByteString();
    }
    if (len > this.end - this.pos) throw corrupt();
    const u8 = this.u8;
    const start = this.pos;
    const end = start + len;
    let h = len;
    for (let i = start; i < end; i++) h = Math.imul(h ^ u8[i]!, 0x01000193);
    const slot = (h ^ (h >>> 15)) & KEY_CACHE_MASK;
    const cached = keyCache[slot];
    if (cached !== undefined && cached.length === len) {
      let i = 0;
      while (i < len && cached.charCodeAt(i) === u8[start + i]) i++;
      if (i === len) {
        this.pos = end;
        return cached;
      }
    }
    this.pos = lengthAt;
    const s = this.oneByteString();
    keyCache[slot] = s;
    return s;
  }

  twoByteString(): string {
    const byteLength = this.varint();
    if (byteLength > this.end - this.pos || byteLength & 1) throw corrupt();
    const u8 = this.u8;
    const start = this.pos;
    this.pos = start + byteLength;
    const len = byteLength >>> 1;
    if (len < 16 || !LITTLE_ENDIAN) {
      let s = '';
      for (let i = start; i < start + byteLength; i += 2) s += String.fromCharCode(u8[i]! | (u8[i + 1]! << 8));
      return s;
    }
    // TextDecoder('utf-16le') would replace lone surrogates, which a JS string may hold.
    const offset = u8.byteOffset + start;
    const units = offset & 1
      ? new Uint16Array(copyOut(u8.subarray(start, start + byteLength)))
      : new Uint16Array(u8.buffer, offset, len);
    return fromCharCodes(units);
  }

  utf8String(): string {
    const len = this.varint();
    return utf8Decoder.decode(this.raw(len));
  }

  bigintBody(): bigint {
    const bitfield = this.varint();
    const byteLength = (bitfield >>> 1) & 0x3fffffff;
    const digits = this.raw(byteLength);
    let magnitude: bigint;
    if (byteLength === 0) return 0n;
    if (byteLength === 8) {
      magnitude = this.dataView().getBigUint64(this.pos - 8, true);
    } else {
      let hex = '';
      for (let i = byteLength - 1; i >= 0; i--) hex += (digits[i]! < 16 ? '0' : '') + digits[i]!.toString(16);
      magnitude = BigInt('0x' + hex);
    }
    return bitfield & 1 ? -magnitude : magnitude;
  }

  /** Reads key/value pairs up to `endTag`; returns how many. */
  properties(target: Record<string | number, unknown>, endTag: number, isArrayTarget: boolean): number {
    let n = 0;
    for (;;) {
      const tag = this.peekTag();
      if (tag === endTag) {
        this.consumeTag();
        return n;
      }
      if (tag < 0) throw corrupt();
      const key = tag === TAG_ONE_BYTE_STRING ? this.keyString() : this.value();
      if (typeof key !== 'string' && typeof key !== 'number') throw corrupt();
      if (isArrayTarget && key === 'length') throw corrupt();
      setProperty(target, key, this.value());
      n++;
    }
  }

  plainObject(): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    this.objs[this.nextId++] = obj;
    const n = this.properties(obj, TAG_END_OBJECT, false);
    if (this.varint() !== n) throw corrupt();
    return obj;
  }

  denseArray(): unknown[] {
    const len = this.varint();
    // Every element takes at least a byte, so a longer claim is corrupt (and would allocate absurdly).
    if (len > this.end - this.pos) throw corrupt();
    const arr: unknown[] = [];
    this.objs[this.nextId++] = arr;
    const u8 = this.u8;
    for (let i = 0; i < len; i++) {
      let p = this.pos;
      while (u8[p] === TAG_PADDING) p++;
      if (u8[p] === TAG_HOLE) {
        this.pos = p + 1;
        continue;
      }
      const v = this.value();
      // Before version 11, undefined in a dense array meant a hole.
      if (v === undefined && this.version < 11) continue;
      arr[i] = v;
    }
    if (arr.length !== len) arr.length = len;
    const n = this.properties(arr as unknown as Record<string, unknown>, TAG_END_DENSE_ARRAY, true);
    if (this.varint() !== n || this.varint() !== len) throw corrupt();
    return arr;
  }

  sparseArray(): unknown[] {
    const len = this.varint();
    const arr: unknown[] = [];
    arr.length = len;
    this.objs[this.nextId++] = arr;
    const n = this.properties(arr as unknown as Record<string, unknown>, TAG_END_SPARSE_ARRAY, true);
    if (this.varint() !== n || this.varint() !== len) throw corrupt();
    return arr;
  }

  regExp(): RegExp {
    const id = this.nextId++;
    const source = this.stringField();
    const bits = this.varint();
    if (bits & ~REGEXP_KNOWN_BITS || bits & REGEXP_LINEAR) throw corrupt();
    let flags = '';
    for (const [bit, flag] of REGEXP_FLAGS) if (bits & bit) flags += flag;
    let re: RegExp;
    try {
      re = new RegExp(source, flags);
    } catch {
      throw corrupt();
    }
    this.objs[id] = re;
    return re;
  }

  map(): Map<unknown, unknown> {
    const m = new Map<unknown, unknown>();
    this.objs[this.nextId++] = m;
    let n = 0;
    for (;;) {
      const tag = this.peekTag();
      if (tag === TAG_END_MAP) {
        this.consumeTag();
        break;
      }
      if (tag < 0) throw corrupt();
      const k = this.value();
      mapSet.call(m, k, this.value());
      n += 2;
    }
    if (this.varint() !== n) throw corrupt();
    return m;
  }

  set(): Set<unknown> {
    const s = new Set<unknown>();
    this.objs[this.nextId++] = s;
    let n = 0;
    for (;;) {
      const tag = this.peekTag();
      if (tag === TAG_END_SET) {
        this.consumeTag();
        break;
      }
      if (tag < 0) throw corrupt();
      setAdd.call(s, this.value());
      n++;
    }
    if (this.varint() !== n) throw corrupt();
    return s;
  }

  arrayBuffer(resizable: boolean): ArrayBuffer {
    const id = this.nextId++;
    const byteLength = this.varint();
    let maxByteLength = byteLength;
    if (resizable) {
      maxByteLength = this.varint();
      if (byteLength > maxByteLength) throw corrupt();
    }
    const bytes = this.raw(byteLength);
    let ab: ArrayBuffer;
    if (resizable && supportsResizable) {
      ab = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(
        byteLength, { maxByteLength });
      new Uint8Array(ab).set(bytes);
    } else {
      ab = copyOut(bytes);
    }
    this.objs[id] = ab;
    return ab;
  }

  /** An ArrayBuffer followed by a view tag is the view's backing store, not a value of its own. */
  maybeView(ab: ArrayBuffer): ArrayBuffer | ArrayBufferView {
    if (this.peekTag() !== TAG_ARRAY_BUFFER_VIEW) return ab;
    this.consumeTag();
    const bufferLength = ab.byteLength;
    const subtag = this.varint() & 0xff;
    const byteOffset = this.varint();
    const byteLength = this.varint();
    if (byteOffset > bufferLength || byteLength > bufferLength - byteOffset) throw corrupt();
    const flags = this.version >= 14 ? this.varint() : 0;
    const id = this.nextId++;
    const lengthTracking = (flags & VIEW_FLAG_LENGTH_TRACKING) !== 0;
    const backedByRab = (flags & VIEW_FLAG_BACKED_BY_RAB) !== 0;
    const resizable = arrayBufferResizable?.call(ab) === true;
    if (((lengthTracking || backedByRab) && !resizable) || (resizable && !backedByRab)) throw corrupt();
    let view: ArrayBufferView;
    if (subtag === VIEW_DATA_VIEW) {
      view = lengthTracking ? new DataView(ab, byteOffset) : new DataView(ab, byteOffset, byteLength);
    } else {
      const Ctor = VIEW_CTOR_BY_TAG.get(subtag) as (ViewCtor & { BYTES_PER_ELEMENT: number }) | undefined;
      if (!Ctor) throw corrupt();
      const size = Ctor.BYTES_PER_ELEMENT;
      if (byteOffset % size !== 0 || byteLength % size !== 0) throw corrupt();
      view = lengthTracking ? new Ctor(ab, byteOffset) : new Ctor(ab, byteOffset, byteLength / size);
    }
    this.objs[id] = view;
    return view;
  }

  /**
   * A host object: Hearth's (`\`, then a type name) or one of Node's
   * ArrayBufferViews (`\`, then a type index, byte length, bytes).
   */
  hostObject(): unknown {
    if (this.peekTag() === TAG_ONE_BYTE_STRING) return this.hearthHostObject();
    const id = this.nextId++;
    const Ctor = NODE_HOST_VIEW_CTORS[this.varint()] as
      (ViewCtor & { BYTES_PER_ELEMENT?: number }) | undefined;
    if (!Ctor) throw corrupt();
    const byteLength = this.varint();
    const size = Ctor.BYTES_PER_ELEMENT ?? 1;
    if (byteLength % size !== 0) throw corrupt();
    const view = new Ctor(copyOut(this.raw(byteLength)), 0, byteLength / size);
    this.objs[id] = view;
    return view;
  }

  /** Headers or Request (see the header); the object's id comes before its contents'. */
  hearthHostObject(): Headers | Request {
    const id = this.nextId++;
    const type = this.value();
    let result: Headers | Request;
    try {
      if (type === HOST_HEADERS && HeadersCtor) {
        result = new HeadersCtor(this.headerPairs());
      } else if (type === HOST_REQUEST && RequestCtor) {
        const url = this.stringValue();
        const method = this.stringValue();
        const headers = this.headerPairs();
        const redirect = this.stringValue() as RequestRedirect;
        result = new RequestCtor(url, { method, headers, redirect });
      } else {
        throw corrupt();
      }
    } catch {
      throw corrupt();
    }
    this.objs[id] = result;
    return result;
  }

  stringValue(): string {
    const s = this.value();
    if (typeof s !== 'string') throw corrupt();
    return s;
  }

  headerPairs(): [string, string][] {
    const pairs = this.value();
    if (!isArray(pairs)) throw corrupt();
    for (const pair of pairs as unknown[]) {
      if (!isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') throw corrupt();
    }
    return pairs as [string, string][];
  }

  error(): Error {
    const id = this.nextId++;
    let Ctor: ErrorConstructor = Error;
    let domName: string | undefined;
    let message: string | undefined;
    let stack: string | undefined;
    let err: Error | undefined;
    const create = (): Error => {
      // The stack is replaced by the stored one, so skip capturing a fresh trace.
      const limit = ErrorWithLimit.stackTraceLimit;
      if (typeof limit === 'number') ErrorWithLimit.stackTraceLimit = 0;
      try {
        if (domName !== undefined) err = new DOMExceptionCtor!(message, domName) as unknown as Error;
        else err = message === undefined ? new Ctor() : new Ctor(message);
      } finally {
        if (typeof limit === 'number') ErrorWithLimit.stackTraceLimit = limit;
      }
      defineHidden(err, 'stack', stack);
      this.objs[id] = err;
      return err;
    };
    for (;;) {
      const tag = this.varint() & 0xff;
      if (tag === ERR_END) break;
      const proto = ERROR_CTOR_BY_TAG.get(tag);
      if (proto) {
        Ctor = proto;
        if (err) Object.setPrototypeOf(err, proto.prototype);
      } else if (tag === ERR_MESSAGE) {
        message = this.stringField();
        if (err) defineHidden(err, 'message', message);
      } else if (tag === ERR_STACK) {
        stack = this.stringField();
        if (err) defineHidden(err, 'stack', stack);
      } else if (tag === ERR_CAUSE) {
        // Created before reading the cause so the cause may refer back to the error.
        const target = err ?? create();
        defineHidden(target, 'cause', this.value());
      } else if (tag === ERR_DOM_EXCEPTION) {
        // Only first: the error must not exist yet, as anything else.
        if (err || message !== undefined || stack !== undefined || !DOMExceptionCtor) throw corrupt();
        domName = this.stringField();
      } else if (tag === ERR_OWN_PROPERTIES) {
        const target = err ?? create();
        const props = this.value();
        if (props === null || typeof props !== 'object') throw corrupt();
        Object.assign(target, props);
      } else {
        throw corrupt();
      }
    }
    return err ?? create();
  }
}

/** A fresh ArrayBuffer holding exactly these bytes. */
function copyOut(bytes: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out.buffer;
}

function fromCharCodes(codes: Uint8Array | Uint16Array): string {
  const CHUNK = 0x2000;
  if (codes.length <= CHUNK) return String.fromCharCode.apply(null, codes as unknown as number[]);
  let s = '';
  for (let i = 0; i < codes.length; i += CHUNK) {
    s += String.fromCharCode.apply(null, codes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return s;
}

const sharedReader = new Reader();

/** Inverse of `serialize`. Accepts v15 with header; also data without a 0xFF header (read as version 13). Throws a TypeError on corrupt input. */
export function deserialize(bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) {
    const input = bytes as unknown;
    if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
    else if (isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    else throw new TypeError('deserialize() expects a Uint8Array.');
  } else if (getProto(bytes) !== Uint8Array.prototype) {
    // Subclasses such as Node's Buffer change what subarray/slice mean; read through a plain view.
    bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  const fast = deserializePrimitive(bytes);
  if (fast !== NOT_FAST) return fast;
  // Setters reached while building objects could deserialize re-entrantly.
  const r = sharedReader.busy ? new Reader() : sharedReader;
  r.busy = true;
  r.u8 = bytes;
  r.pos = 0;
  r.end = bytes.length;
  try {
    if (bytes[0] === TAG_VERSION) {
      r.pos = 1;
      const version = r.varint();
      if (version > LATEST_VERSION) throw new TypeError(VERSION_ERROR);
      r.version = version;
    } else {
      r.version = 13;
    }
    return r.value();
  } catch (e) {
    if (e instanceof TypeError) throw e;
    // Stack exhaustion on absurd nesting, allocation failures and the like are still corrupt input to the caller.
    throw new TypeError(DESERIALIZATION_ERROR, { cause: e });
  } finally {
    r.reset();
    r.busy = false;
  }
}
