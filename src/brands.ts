/**
 * Global symbols (`Symbol.for`) that mark Hearth's own objects. They are
 * global on purpose: a second copy of Hearth's modules in one context (the
 * app's bundle and the worker's, or a playground module graph) must still
 * recognise the other copy's objects, which `instanceof` would not.
 * Spelled once here; every reader and writer imports them.
 */

/** On `RpcTarget.prototype`: instances travel over RPC by reference. */
export const RPC_TARGET_BRAND = Symbol.for('hearth.RpcTarget');

/** On `DurableObject.prototype`: the class serves JS RPC (workerd's rule), and its instance travels by reference. */
export const DURABLE_OBJECT_BRAND = Symbol.for('hearth.DurableObject');

/**
 * A type name (own or inherited): storage and RPC refuse the value with V8's
 * `Could not serialize object of type "<name>"…` (ids, namespaces).
 */
export const UNSERIALIZABLE = Symbol.for('hearth.unserializable');

/**
 * On a prototype: the whole message of the `DataCloneError` its instances are
 * refused with (stubs). Read from the prototype because a stub is a Proxy
 * whose traps answer every property name.
 */
export const UNSERIALIZABLE_MESSAGE = Symbol.for('hearth.unserializableMessage');

/**
 * The key of the global through which code given as source text (the
 * playground's `modules`) reaches this worker's `cloudflare:workers`: the
 * generated shim module reads `globalThis[Symbol.for(WORKERS_API_KEY)]`.
 */
export const WORKERS_API_KEY = 'hearth.workers-api';

/**
 * A Durable Object stub answers this with its `ObjectAddress`: RPC sends a
 * stub given as an argument or result by address, and the receiver makes its
 * own stub to the same object (as workerd passes stubs by reference).
 */
export const STUB_ADDRESS = Symbol.for('hearth.stubAddress');

/**
 * Where a context puts the `env` and the `waitUntil` that
 * `import { env, waitUntil } from 'cloudflare:workers'` read
 * (workers-api/context.ts), global so every copy of that module sees them.
 */
export const WORKERS_ENV = Symbol.for('hearth.workers-env');
export const WORKERS_WAIT_UNTIL = Symbol.for('hearth.workers-waitUntil');
