/**
 * Values crossing an RPC boundary. `postMessage`'s structured clone does most
 * of the work; this walk fixes where it differs from Cloudflare's RPC:
 *
 *  - functions and `RpcTarget`s go **by reference**: the sender keeps them in
 *    its export table and the receiver gets a stub that calls back;
 *  - instances of other classes are refused (`Could not serialize object of
 *    type "Foo"…`) where `postMessage` would silently make plain objects;
 *  - errors keep their own properties (`postMessage` drops them);
 *  - streams are transferred, not copied;
 *  - a `DurableObjectSnapshot` (which storage refuses) crosses with its
 *    bytes and is rebuilt as a snapshot (storage/database-snapshot.ts).
 *
 * A value with none of these is sent as it is (`plain: true`), so the
 * receiver skips its walk: the common case costs one scan and nothing more.
 */
import { DURABLE_OBJECT_BRAND, RPC_TARGET_BRAND, STUB_ADDRESS, UNSERIALIZABLE } from '../brands.ts';
import { dataCloneError, deserializeError, serializeError, type SerializedError } from '../errors.ts';
import type { EncodedValue, ObjectAddress, WireRequest, WireResponse } from '../protocol.ts';
import { wireToRequest, wireToResponse } from '../wire/http.ts';
import { serializedSize } from '../storage/structured-serializer.ts';
import { makeSnapshot, snapshotContents, type SnapshotWire } from '../storage/database-snapshot.ts';

export type { EncodedValue };

const MARK = '\u0000hearth';
type Marker =
  | { [MARK]: 'ref'; id: number; kind: 'function' | 'target' }
  | { [MARK]: 'error'; e: SerializedError }
  | { [MARK]: 'headers'; h: [string, string][] }
  | { [MARK]: 'stub'; a: ObjectAddress }
  | { [MARK]: 'request'; r: WireRequest; redirect: RequestRedirect }
  | { [MARK]: 'response'; r: WireResponse }
  | { [MARK]: 'snapshot'; s: SnapshotWire };

/** Rebuilds a Durable Object stub that arrived by address; absent where no stubs can be made. */
export type StubImporter = (address: ObjectAddress) => unknown;

/** Request and Response by their tag: an object worker's global `Response` is a subclass that `fetch()` results are not. */
const isRequest = (v: object): v is Request => Object.prototype.toString.call(v) === '[object Request]';
const isResponse = (v: object): v is Response => Object.prototype.toString.call(v) === '[object Response]';


export interface Exporter {
  /** Keep `value` callable from the other side; returns its id. */
  exportRef(value: object): number;
}

function cloneError(message: string): DOMException {
  return dataCloneError(message);
}

/** JavaScript's own uncloneable objects: V8 refuses them in its own words; web-platform types get workerd's. */
const LANGUAGE_BUILTINS = new Set<Function>([WeakMap, WeakSet, WeakRef, Promise, FinalizationRegistry]);

function isBranded(value: object, brand: symbol): boolean {
  return (value as Record<symbol, unknown>)[brand] === true;
}

const PASS_THROUGH: Function[] = [Date, RegExp, ArrayBuffer, DataView, Blob, Number, String, Boolean, BigInt];

/** Cloudflare's limit on one serialized RPC message (arguments, or a return value). */
export const RPC_MESSAGE_LIMIT = 32 * 1024 * 1024;

/**
 * workerd measures the V8 serialization of the arguments array (or the
 * returned value). Measuring every call would cost a second serialization, so
 * the walk sums string lengths and buffer sizes (a lower bound), and only a
 * value whose bound passes half the limit is measured exactly, with Hearth's
 * V8-format serializer (a value it cannot serialize, e.g. holding stubs, is
 * judged by its bound).
 */
function checkMessageSize(value: unknown, lowerBound: number): void {
  if (lowerBound <= RPC_MESSAGE_LIMIT / 2) return;
  let size = lowerBound;
  try {
    size = serializedSize(value);
  } catch {
    // Not serializable as storage would: keep the bound.
  }
  if (size > RPC_MESSAGE_LIMIT) {
    throw new Error(`Serialized RPC arguments or return values are limited to 32MiB, but the size of this value was: ${size} bytes.`);
  }
}

/**
 * A Map or Set rebuilt with each key and value walked. The copy goes into
 * `memo` before its entries are walked, so a cycle back to it meets the copy.
 * Walking may turn an entry into something else (a marker on the way out,
 * an Error or a stub on the way in), so the collection is copied, not edited.
 */
function copyCollection(v: Map<unknown, unknown> | Set<unknown>, memo: Map<object, unknown>, walk: (v: unknown) => unknown): Map<unknown, unknown> | Set<unknown> {
  if (v instanceof Map) {
    const out = new Map();
    memo.set(v, out);
    for (const [k, val] of v) out.set(walk(k), walk(val));
    return out;
  }
  const out = new Set();
  memo.set(v, out);
  for (const item of v) out.add(walk(item));
  return out;
}

export function encode(value: unknown, exporter: Exporter): { encoded: EncodedValue; transfer: Transferable[] } {
  const transfer: Transferable[] = [];
  const memo = new Map<object, unknown>();
  let changed = false;
  let bytes = 0;

  const walk = (v: unknown): unknown => {
    switch (typeof v) {
      case 'string':
        bytes += v.length;
        return v;
      case 'function':
        changed = true;
        return { [MARK]: 'ref', id: exporter.exportRef(v), kind: 'function' } satisfies Marker;
      case 'symbol':
        throw cloneError(`${String(v)} could not be cloned.`);
      case 'object':
        break;
      default:
        return v;
    }
    if (v === null) return v;
    const seen = memo.get(v);
    if (seen !== undefined) return seen;
    if (isBranded(v, RPC_TARGET_BRAND) || isBranded(v, DURABLE_OBJECT_BRAND)) {
      changed = true;
      const ref: Marker = { [MARK]: 'ref', id: exporter.exportRef(v), kind: 'target' };
      memo.set(v, ref);
      return ref;
    }
    const address = (v as Record<symbol, unknown>)[STUB_ADDRESS] as ObjectAddress | undefined;
    if (address !== undefined) {
      changed = true;
      return { [MARK]: 'stub', a: address } satisfies Marker;
    }
    const snapshot = snapshotContents(v);
    if (snapshot !== undefined) {
      // Not counted against the 32 MiB limit: production's snapshot is a small handle; the bytes are Hearth's detail.
      changed = true;
      const marker: Marker = { [MARK]: 'snapshot', s: snapshot };
      memo.set(v, marker);
      return marker;
    }
    const typeName = (v as Record<symbol, unknown>)[UNSERIALIZABLE];
    if (typeof typeName === 'string') {
      throw cloneError(`Could not serialize object of type "${typeName}". This type does not support serialization.`);
    }
    if (v instanceof Error || v instanceof DOMException) {
      changed = true;
      const marker: Marker = { [MARK]: 'error', e: serializeError(v) };
      memo.set(v, marker);
      return marker;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      memo.set(v, out);
      for (let i = 0; i < v.length; i++) if (i in v) out[i] = walk(v[i]);
      return out;
    }
    if (v instanceof Map || v instanceof Set) return copyCollection(v, memo, walk);
    if (v instanceof ReadableStream || v instanceof WritableStream) {
      transfer.push(v);
      return v;
    }
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
      bytes += v.byteLength;
      return v;
    }
    if (PASS_THROUGH.some((C) => v instanceof C)) return v;
    if (isRequest(v) || isResponse(v)) {
      // Bodies stream across (transferred), as workerd streams them; headers keep every name.
      changed = true;
      const body = v.body;
      if (body) transfer.push(body);
      const headers = [...v.headers] as [string, string][];
      const marker: Marker = isRequest(v)
        ? { [MARK]: 'request', r: { method: v.method, url: v.url, headers, body }, redirect: v.redirect }
        : { [MARK]: 'response', r: { status: v.status, statusText: v.statusText, headers, body } };
      memo.set(v, marker);
      return marker;
    }
    if (v instanceof Headers) {
      changed = true;
      return { [MARK]: 'headers', h: [...v] } satisfies Marker;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype) {
      const out: Record<string, unknown> = {};
      memo.set(v, out);
      for (const key of Object.keys(v)) out[key] = walk((v as Record<string, unknown>)[key]);
      return out;
    }
    const ctor = proto?.constructor as Function | undefined;
    const name = ctor?.name || 'Object';
    // V8's own objects (WeakMap, Promise…) fail in V8's words; everything else is a host type workerd refuses.
    if (ctor && LANGUAGE_BUILTINS.has(ctor)) throw cloneError(`#<${name}> could not be cloned.`);
    throw cloneError(`Could not serialize object of type "${name}". This type does not support serialization.`);
  };

  const walked = walk(value);
  checkMessageSize(value, bytes);
  return changed ? { encoded: { v: walked, plain: false }, transfer } : { encoded: { v: value, plain: true }, transfer };
}

function isMarker(v: unknown): v is Marker {
  return typeof v === 'object' && v !== null && MARK in v;
}

export function decode(
  encoded: EncodedValue,
  importRef: (id: number, kind: 'function' | 'target') => unknown,
  importStub?: StubImporter,
): unknown {
  if (encoded.plain) return encoded.v;
  const memo = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const seen = memo.get(v);
    if (seen !== undefined) return seen;
    if (isMarker(v)) {
      let out: unknown;
      switch (v[MARK]) {
        case 'ref':
          out = importRef((v as { id: number }).id, (v as { kind: 'function' | 'target' }).kind);
          break;
        case 'error':
          out = deserializeError((v as { e: SerializedError }).e);
          break;
        case 'headers':
          out = new Headers((v as { h: [string, string][] }).h);
          break;
        case 'stub':
          if (!importStub) throw new Error('A Durable Object stub cannot be received here.');
          out = importStub((v as { a: ObjectAddress }).a);
          break;
        case 'request': {
          const { r, redirect } = v as { r: WireRequest; redirect: RequestRedirect };
          const request = wireToRequest(r);
          // wireToRequest is fetch's (redirects are the caller's there); an RPC Request keeps its own mode.
          Object.defineProperty(request, 'redirect', { value: redirect, enumerable: true });
          out = request;
          break;
        }
        case 'response':
          out = wireToResponse((v as { r: WireResponse }).r);
          break;
        case 'snapshot':
          out = makeSnapshot((v as { s: SnapshotWire }).s);
          break;
      }
      memo.set(v, out);
      return out;
    }
    if (Array.isArray(v)) {
      memo.set(v, v);
      for (let i = 0; i < v.length; i++) if (i in v) v[i] = walk(v[i]);
      return v;
    }
    if (v instanceof Map || v instanceof Set) return copyCollection(v, memo, walk);
    if (Object.getPrototypeOf(v) === Object.prototype) {
      memo.set(v, v);
      for (const key of Object.keys(v)) (v as Record<string, unknown>)[key] = walk((v as Record<string, unknown>)[key]);
      return v;
    }
    return v;
  };
  return walk(encoded.v);
}
