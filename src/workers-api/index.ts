/**
 * What `cloudflare:workers` provides, for code running in Hearth. Vite aliases
 * `cloudflare:workers` here, so a Durable Object class written for Cloudflare
 * imports these unchanged.
 *
 * The classes carry brands (global symbols) rather than being checked with
 * `instanceof`, so a second copy of this module in a bundle still works.
 */
import type { DurableObjectState } from '../object/state.ts';
import { DURABLE_OBJECT_BRAND, RPC_TARGET_BRAND } from '../brands.ts';
import { currentWaitUntil, currentWorkersEnv } from './context.ts';

/** Instances are passed over RPC by reference: the receiver gets a stub whose methods call back. */
export abstract class RpcTarget {}
Object.defineProperty(RpcTarget.prototype, RPC_TARGET_BRAND, { value: true });

export abstract class DurableObject<Env = unknown> {
  protected ctx: DurableObjectState;
  protected env: Env;
  constructor(ctx: DurableObjectState, env: Env) {
    // Own, writable properties, as workerd's base constructor makes them.
    this.ctx = ctx;
    this.env = env;
  }
}
Object.defineProperty(DurableObject.prototype, DURABLE_OBJECT_BRAND, { value: true });

export interface DurableObject {
  fetch?(request: Request): Response | Promise<Response>;
}

export abstract class WorkerEntrypoint<Env = unknown> {
  protected ctx: unknown;
  protected env: Env;
  constructor(ctx: unknown, env: Env) {
    this.ctx = ctx;
    this.env = env;
  }
}

/**
 * The Worker's bindings, as `import { env } from 'cloudflare:workers'` gives
 * them: the same `env` the object constructors and `fetch` handlers get. It
 * reads the context's env when used, so it is empty only in a page that runs
 * no Worker code.
 */
export const env: Record<string, any> = new Proxy(
  {},
  {
    get: (_target, prop) => currentWorkersEnv()?.[prop as string],
    has: (_target, prop) => prop in (currentWorkersEnv() ?? {}),
    ownKeys: () => Reflect.ownKeys(currentWorkersEnv() ?? {}),
    getOwnPropertyDescriptor: (_target, prop) => {
      const current = currentWorkersEnv();
      if (!current || !(prop in current)) return undefined;
      return { value: current[prop as string], enumerable: true, configurable: true, writable: false };
    },
  },
);

/**
 * Keep work going after the response, as `ctx.waitUntil` does: in the edge it
 * extends the service worker's current fetch event; in an object the work
 * simply runs (the object lives on). A rejection is logged, never unhandled.
 */
export function waitUntil(promise: Promise<unknown>): void {
  const settled = Promise.resolve(promise).catch((error) => console.error('[hearth] waitUntil:', error));
  currentWaitUntil()?.(settled);
}
