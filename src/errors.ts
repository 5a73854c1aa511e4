/**
 * Errors cross threads as data and are rebuilt as real errors on the other
 * side, keeping Cloudflare's flags (`remote`, `retryable`, `overloaded`,
 * `durableObjectReset`) and the error's own properties (as workerd does with
 * `enhanced_error_serialization`).
 */

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Own enumerable properties other than name/message/stack, already structured-clonable. */
  props?: Record<string, unknown>;
}

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
    if (error.stack) out.stack = error.stack;
    const props: Record<string, unknown> = {};
    let any = false;
    for (const key of Object.keys(error)) {
      if (key === 'name' || key === 'message' || key === 'stack') continue;
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
  // Cloudflare rethrows non-Error throwables as an Error with their string form.
  return { name: 'Error', message: String(error) };
}

export function deserializeError(data: SerializedError, extra?: Record<string, unknown>): Error {
  let error: Error;
  const Ctor = constructors[data.name];
  if (Ctor) {
    error = new Ctor(data.message);
  } else if (data.name === 'DataCloneError' || data.name === 'AbortError' || data.name === 'InvalidAccessError') {
    error = new DOMException(data.message, data.name) as unknown as Error;
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

/** Storage could not be opened at all (no OPFS, no sync access handles). Never fall back to memory. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}

/** The object's storage is held by another live instance and did not come free in time. */
export class StorageBusyError extends Error {
  override name = 'StorageBusyError';
}

export function dataCloneError(message: string): DOMException {
  return new DOMException(message, 'DataCloneError');
}
