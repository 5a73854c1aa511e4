/**
 * Errors cross threads as data and are rebuilt as real errors on the other
 * side, keeping Cloudflare's flags (`remote`, `retryable`, `overloaded`,
 * `durableObjectReset`) and the error's own properties (as workerd does with
 * `enhanced_error_serialization`).
 */

import type { SerializedError } from './protocol.ts';

export type { SerializedError };

const constructors: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function clonable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error || error instanceof DOMException) {
    const out: SerializedError = { name: error.name, message: error.message };
    if (error instanceof DOMException) out.dom = true;
    if (error.stack) out.stack = error.stack;
    const props: Record<string, unknown> = {};
    let any = false;
    for (const key of Object.keys(error)) {
      if (key === 'name' || key === 'message' || key === 'stack') continue;
      // A DataCloneError's own `code` is part of its shape, rebuilt by dataCloneError() on the other side.
      if (key === 'code' && error instanceof DOMException) continue;
      const value = (error as unknown as Record<string, unknown>)[key];
      if (clonable(value)) {
        props[key] = value;
        any = true;
      }
    }
    if ('cause' in error && error.cause !== undefined && clonable(error.cause)) {
      props.cause = error.cause;
      any = true;
    }
    if (any) out.props = props;
    return out;
  }
  // workerd delivers a thrown non-error object as itself; a thrown primitive becomes an Error of its string form.
  if (typeof error === 'object' && error !== null && clonable(error)) return { name: 'Error', message: String(error), thrown: error };
  return { name: 'Error', message: String(error) };
}

/**
 * Rebuild what was thrown. Usually an `Error` of the right class with its own
 * properties and flags; a thrown non-error value comes back as itself (an
 * object also gets the flags, e.g. `remote`), so callers should treat the
 * result as a rejection reason, not assume `instanceof Error`.
 */
export function deserializeError(data: SerializedError, extra?: Record<string, unknown>): Error {
  if ('thrown' in data) {
    const value = data.thrown;
    if (typeof value === 'object' && value !== null) Object.assign(value, data.props, extra);
    return value as Error;
  }
  let error: Error;
  const Ctor = constructors[data.name];
  if (data.name === 'DataCloneError') {
    error = dataCloneError(data.message) as unknown as Error;
  } else if (data.dom) {
    error = new DOMException(data.message, data.name) as unknown as Error;
  } else if (Ctor) {
    error = new Ctor(data.message);
  } else {
    // A custom error class: Cloudflare gives the caller an `Error` keeping the name.
    error = new Error(data.message);
    error.name = data.name;
  }
  const props = { ...data.props, ...extra };
  for (const [key, value] of Object.entries(props)) {
    try {
      Object.defineProperty(error, key, { value, enumerable: true, writable: true, configurable: true });
    } catch {
      // DOMException's own accessors (e.g. `code`) cannot be redefined; keep the native value.
    }
  }
  return error;
}

/** An error with extra flags, for errors Hearth itself raises. */
export function flagged<E extends Error>(error: E, flags: Record<string, unknown>): E {
  Object.assign(error, flags);
  return error;
}

/** DISCONNECTED-type failure: the object went away mid-call. */
export function networkConnectionLost(): Error {
  return flagged(new Error('Network connection lost.'), { retryable: true });
}

/** Cloudflare's reset when newer code replaces a running object (DO-API §2.6, §9.2). */
export function codeUpdatedReset(): Error {
  return flagged(new Error('Durable Object reset because its code was updated.'), { durableObjectReset: true });
}

/**
 * The browser refused to store more for this origin (its storage quota is
 * used up). The write that hit it was rolled back and the object reset;
 * what was committed before is intact and readable.
 */
export class QuotaExceededError extends Error {
  override name = 'QuotaExceededError';
}

export function quotaExceeded(operation: string, cause?: unknown): QuotaExceededError {
  const error = new QuotaExceededError(
    `Durable Object storage quota exceeded: the browser refused to store more data for this origin while ${operation}. Free space (or ask for more with navigator.storage.persist()) and retry; committed data is intact.`,
  );
  if (cause !== undefined) Object.assign(error, { cause: String((cause as Error)?.message ?? cause) });
  return error;
}

/** The object's database file exists but is not a valid SQLite database. Hearth never repairs or replaces it silently. */
export class StorageCorruptError extends Error {
  override name = 'StorageCorruptError';
}

/** Storage could not be opened at all (no OPFS, no sync access handles). Never fall back to memory. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}

/** The object's storage is held by another live instance and did not come free in time. */
export class StorageBusyError extends Error {
  override name = 'StorageBusyError';
}

/**
 * A `DataCloneError` shaped as workerd's: a real `DOMException` whose `code`
 * (25), `name` and `message` are also own, read-only, enumerable properties,
 * with a stack. The browser's DOMException keeps them as prototype getters and
 * gives one made from script no stack; code that copies an error's own
 * properties (or logs them) would otherwise see a different object.
 */
export function dataCloneError(message: string): DOMException {
  const error = new DOMException(message, 'DataCloneError');
  const own = { enumerable: true, configurable: true, writable: false };
  Object.defineProperties(error, {
    code: { ...own, value: 25 },
    name: { ...own, value: 'DataCloneError' },
    message: { ...own, value: message },
  });
  if (typeof (error as { stack?: unknown }).stack !== 'string') {
    const trace = new Error(message).stack ?? '';
    const frames = trace.slice(trace.indexOf('\n'));
    Object.defineProperty(error, 'stack', { enumerable: true, configurable: true, writable: true, value: `DataCloneError: ${message}${frames}` });
  }
  return error;
}
