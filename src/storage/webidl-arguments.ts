/**
 * Argument conversion of the storage APIs, as workerd's jsg (WebIDL) does it,
 * so a malformed call fails with the text Cloudflare gives:
 *
 *   TypeError: Failed to execute 'list' on 'DurableObjectStorage': parameter 1 is not of type 'ListOptions'.
 *
 * Observed in workerd (miniflare 4.20260730):
 *  - A *missing* required argument fails; an explicit `undefined` does not: it
 *    converts like any other value (`get(undefined)` reads the key "undefined").
 *  - Strings are converted with ToString (a Symbol throws V8's own TypeError).
 *  - An options dictionary may be `undefined`, `null` or any object, arrays
 *    and functions included; a number, string, boolean, bigint or symbol fails.
 *  - Arguments are converted in order, before the method does anything else.
 */

/** The interfaces whose methods are checked here, named as workerd names them. */
export type StorageInterface = 'DurableObjectStorage' | 'DurableObjectTransaction' | 'SyncKvStorage' | 'SqlStorage';

/** jsg's TypeError for argument `index` (1-based) of `iface.method` that is not of type `type`. */
export function argumentError(iface: StorageInterface, method: string, index: number, type: string): TypeError {
  return new TypeError(`Failed to execute '${method}' on '${iface}': parameter ${index} is not of type '${type}'.`);
}

/** Can `value` be converted to a WebIDL dictionary? */
export function isDictionary(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'object' || typeof value === 'function';
}
