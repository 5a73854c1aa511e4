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

/** A callable, awaitable path on a remote receiver. */
export function rpcProperty(invoke: Invoke, path: string[]): any {
  let read: Promise<unknown> | undefined;
  return new Proxy(function rpcProperty() {}, {
    get(_target, prop) {
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
