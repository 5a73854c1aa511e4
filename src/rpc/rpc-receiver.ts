/**
 * The receiving end of an RPC call: find what `path` names on the receiver and
 * call or read it, with workerd's visibility rules:
 *
 *  - on a class instance (a Durable Object or an `RpcTarget`), only what its
 *    class's prototype chain defines is reachable — methods and getters. Own
 *    instance fields (`this.x = …`, arrow-function fields) are not, and
 *    `#private` members cannot be named at all;
 *  - on a plain object (returned by value and walked into), its own
 *    properties are reachable;
 *  - some names are reserved and never callable.
 */
import { DURABLE_OBJECT_BRAND, RPC_TARGET_BRAND } from '../brands.ts';

const RESERVED_ON_ENTRYPOINTS = new Set(['alarm', 'webSocketMessage', 'webSocketClose', 'webSocketError']);
const RESERVED_EVERYWHERE = new Set(['dup', 'constructor']);

export const NOT_DURABLE_OBJECT_RPC =
  'The receiving Durable Object does not support RPC, because its class was not declared with `extends DurableObject`. In order to enable RPC, make sure your class extends the special class `DurableObject`, which can be imported from the module "cloudflare:workers".';

function notImplemented(name: string): TypeError {
  return new TypeError(`The RPC receiver does not implement the method "${name}".`);
}

/** The prototypes whose members are Hearth's, not the app's: never reachable. */
function isBasePrototype(proto: object): boolean {
  return proto === Object.prototype || Object.hasOwn(proto, DURABLE_OBJECT_BRAND) || Object.hasOwn(proto, RPC_TARGET_BRAND);
}

function lookup(holder: unknown, name: string): unknown {
  if (holder === null || (typeof holder !== 'object' && typeof holder !== 'function')) throw notImplemented(name);
  const proto = Object.getPrototypeOf(holder);
  if (proto === Object.prototype || proto === null) {
    if (!Object.hasOwn(holder, name)) throw notImplemented(name);
    return (holder as Record<string, unknown>)[name];
  }
  for (let p = proto; p && !isBasePrototype(p); p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, name)) return Reflect.get(p, name, holder);
  }
  throw notImplemented(name);
}

export interface RpcInvocation {
  /** Names from the receiver to the member; empty to call the receiver itself (an exported function). */
  path: string[];
  /** Arguments for a call; `null` to read a property. */
  args: unknown[] | null;
}

export async function invokeOnReceiver(receiver: unknown, { path, args }: RpcInvocation, isEntrypoint: boolean): Promise<unknown> {
  if (path.length === 0) {
    if (typeof receiver !== 'function') throw new TypeError('RPC stub is not callable.');
    return args === null ? receiver : receiver(...args);
  }
  const first = path[0]!;
  if ((isEntrypoint && RESERVED_ON_ENTRYPOINTS.has(first)) || RESERVED_EVERYWHERE.has(first)) {
    throw new TypeError(`'${first}' is a reserved method and cannot be called over RPC.`);
  }
  if (path.length > 64) throw new Error('RPC pipelined property path is too deep (max 64).');
  let holder = receiver;
  for (const name of path.slice(0, -1)) holder = await lookup(holder, name);
  const last = path[path.length - 1]!;
  const member = lookup(holder, last);
  if (args === null) return member;
  if (typeof member !== 'function') throw new TypeError(`"${last}" is not a function.`);
  return Reflect.apply(member, holder, args);
}
