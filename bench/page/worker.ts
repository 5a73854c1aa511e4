/**
 * Durable Object classes the benchmark drives. Valid Cloudflare code: it would
 * deploy unchanged with the wrangler.jsonc beside it.
 */
import { DurableObject } from 'cloudflare:workers';

/** Reads a number, increments it, writes it back: one get + one put (one commit) per request. */
export class Counter extends DurableObject {
  override async fetch(): Promise<Response> {
    const value = (((await this.ctx.storage.get('value')) as number | undefined) ?? 0) + 1;
    await this.ctx.storage.put('value', value);
    return new Response(String(value));
  }
}

/** Touches no storage: isolates the cost of the call path from the cost of storage. */
export class Noop extends DurableObject {
  override async fetch(): Promise<Response> {
    return new Response('ok');
  }
}

export default {
  async fetch(): Promise<Response> {
    return new Response('ok');
  },
};
