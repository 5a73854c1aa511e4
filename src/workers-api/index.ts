/**
 * What `cloudflare:workers` provides, for code running in Hearth. Vite aliases
 * `cloudflare:workers` here, so a Durable Object class written for Cloudflare
 * imports these unchanged.
 */
import type { DurableObjectState } from '../object/state.ts';

/** Marks classes whose public methods are callable over RPC (RPC itself arrives with the semantics work). */
export abstract class RpcTarget {}

export abstract class DurableObject<Env = unknown> {
  protected ctx: DurableObjectState;
  protected env: Env;
  constructor(ctx: DurableObjectState, env: Env) {
    // Own, writable properties, as workerd's base constructor makes them.
    this.ctx = ctx;
    this.env = env;
  }
}

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
