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
