/**
 * The calling end of RPC: property paths on a stub become calls.
 *
 *   stub.add(2)           → call ['add'] with [2]
 *   await stub.total      → read ['total']
 *   stub.counter().inc(3) → pipelined: `inc` is called on what `counter()` returns
 *
 * Every call returns an `RpcPromise`: a promise you can also keep walking
 * (pipelining). Hearth pipelines by chaining on the first result rather than
 * sending both calls in one message, so it costs a round trip more than
 * workerd, with the same results and errors.
 */

/** Send one call (or property read, when `args` is null) to `path` on the remote receiver. */
export type Invoke = (path: string[], args: unknown[] | null) => Promise<unknown>;

/** Names a promise answers itself; everything else walks the pipeline. */
function promiseMember(promise: Promise<unknown>, prop: PropertyKey): unknown {
  if (prop === 'then') return promise.then.bind(promise);
  if (prop === 'catch') return promise.catch.bind(promise);
  if (prop === 'finally') return promise.finally.bind(promise);
  if (prop === Symbol.toStringTag) return 'RpcPromise';
  return undefined;
}

/**
 * `JSON.stringify` reads `toJSON` from every object it meets and calls it with
 * the property key (a string). workerd's stubs serialise locally and never
 * send that call; an explicit `stub.toJSON()` is still a remote call. So the
 * stub's `toJSON` answers one string argument (the shape of JSON's own call)
 * locally with `local()`, and forwards anything else.
 */
export function jsonAwareToJSON(remote: (...args: unknown[]) => unknown, local: () => unknown): (...args: unknown[]) => unknown {
  return function toJSON(...args: unknown[]) {
    return args.length === 1 && typeof args[0] === 'string' ? local() : remote(...args);
  };
}

/** workerd's class of stubs for returned functions and `RpcTarget`s (its C++ name is JsRpcStub). */
export const RpcStub = function RpcStub(this: unknown) {
  if (!new.target) {
    throw new TypeError(
      "Failed to construct 'JsRpcStub': Please use the 'new' operator, this object constructor cannot be called as a function.",
    );
  }
  throw new TypeError("Failed to construct 'JsRpcStub': constructor parameter 1 is not of type 'JsObject'.");
} as unknown as new () => never;

/** What the stubs of one remote function or `RpcTarget` share: the remote is released when the last copy is disposed. */
interface Handle {
  copies: number;
  release?: () => void;
}

const DISPOSED = 'RPC stub used after being disposed.';

/**
 * The stub of a remote function or `RpcTarget` (a value an RPC call returned,
 * or a function passed as an argument). Beyond `rpcProperty`, it has what
 * workerd's `RpcStub` has locally: `constructor` (RpcStub), `dup()` (another
 * stub of the same remote), `[Symbol.dispose]()` (after which calls fail), and
 * a `toJSON` that `JSON.stringify` never sends.
 */
export function rpcStub(invoke: Invoke, lifetime?: { release(): void; track(handle: object): void }): any {
  const handle: Handle = { copies: 1 };
  if (lifetime) {
    handle.release = lifetime.release;
    // Every copy holds the handle, so it is collected only when all copies are.
    lifetime.track(handle);
  }
  return stubOf(invoke, handle);
}

function stubOf(invoke: Invoke, handle: Handle): any {
  let disposed = false;
  const guarded: Invoke = (path, args) => (disposed ? Promise.reject(new Error(DISPOSED)) : invoke(path, args));
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    if (--handle.copies === 0) handle.release?.();
  };
  const local: Record<PropertyKey, unknown> = {
    constructor: RpcStub,
    dup: () => {
      if (disposed) throw new Error(DISPOSED);
      handle.copies++;
      return stubOf(invoke, handle);
    },
    [Symbol.dispose]: dispose,
    toJSON: jsonAwareToJSON((...args) => rpcPromise(guarded(['toJSON'], args)), () => undefined),
  };
  return rpcProperty(guarded, [], local);
}

/** A callable, awaitable path on a remote receiver. `local` members (root only) are answered here, not sent. */
export function rpcProperty(invoke: Invoke, path: string[], local?: Record<PropertyKey, unknown>): any {
  let read: Promise<unknown> | undefined;
  return new Proxy(function rpcProperty() {}, {
    get(_target, prop) {
      if (local && Object.hasOwn(local, prop)) return local[prop];
      if (prop === 'then' || prop === 'catch' || prop === 'finally') {
        // A stub itself is not thenable (as in workerd); awaiting a property reads it remotely, once.
        if (path.length === 0) return undefined;
        read ??= invoke(path, null);
        return promiseMember(read, prop);
      }
      if (typeof prop === 'symbol') return undefined;
      return rpcProperty(invoke, [...path, prop]);
    },
    apply(_target, _this, args: unknown[]) {
      return rpcPromise(invoke(path, args));
    },
  });
}

/** The result of a call: a promise that can also be walked (pipelining). */
export function rpcPromise(promise: Promise<unknown>): any {
  return new Proxy(function rpcPromise() {}, {
    get(_target, prop) {
      const own = promiseMember(promise, prop);
      if (own !== undefined || typeof prop === 'symbol') return own;
      return pipelined(promise, [prop]);
    },
  });
}

function walk(value: unknown, path: string[]): unknown {
  let v = value;
  for (const name of path) {
    if (v === null || v === undefined) throw new TypeError(`Cannot read properties of ${v} (reading '${name}')`);
    v = (v as Record<string, unknown>)[name];
  }
  return v;
}

/** A path into what an earlier call will return. */
function pipelined(base: Promise<unknown>, path: string[]): any {
  let read: Promise<unknown> | undefined;
  return new Proxy(function pipelined() {}, {
    get(_target, prop) {
      if (prop === 'then' || prop === 'catch' || prop === 'finally') {
        read ??= base.then((value) => walk(value, path));
        return promiseMember(read, prop);
      }
      if (typeof prop === 'symbol') return undefined;
      return pipelined(base, [...path, prop]);
    },
    apply(_target, _this, args: unknown[]) {
      return rpcPromise(
        base.then(async (value) => {
          const holder = await walk(value, path.slice(0, -1));
          const name = path[path.length - 1]!;
          const fn = (holder as Record<string, unknown> | null | undefined)?.[name];
          if (typeof fn !== 'function') throw new TypeError(`"${name}" is not a function.`);
          // Reflect.apply: `fn.apply` on a stub would itself be a remote property.
          return Reflect.apply(fn, holder, args);
        }),
      );
    },
  });
}
