/**
 * The Worker: a Durable Object class and a fetch handler. Cloudflare runs this
 * file as it is (`npm run deploy`); in the browser, Hearth runs it (`npm run dev`).
 */
import { DurableObject } from 'cloudflare:workers';

export interface Env {
  COUNTER: DurableObjectNamespace<Counter>;
}

/** A counter that keeps its count in its own storage: one instance per name, wherever it is called from. */
export class Counter extends DurableObject<Env> {
  /** An RPC method: `await env.COUNTER.getByName('main').increment()`. */
  async increment(by = 1): Promise<number> {
    const count = (await this.count()) + by;
    await this.ctx.storage.put('count', count);
    return count;
  }

  async count(): Promise<number> {
    return (await this.ctx.storage.get<number>('count')) ?? 0;
  }
}

export default {
  // GET /api/count reads a counter, POST /api/count adds one; ?name= picks the counter.
  async fetch(request, env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== '/api/count') return new Response('Not found', { status: 404 });
    const counter = env.COUNTER.getByName(url.searchParams.get('name') ?? 'main');
    const count = request.method === 'POST' ? await counter.increment() : await counter.count();
    return Response.json({ count });
  },
} satisfies ExportedHandler<Env>;
