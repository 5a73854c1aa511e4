// The seed example from Cloudflare's Durable Objects documentation, unmodified:
// a Worker that forwards every request to the Durable Object named "A", and a
// plain `Counter` class that keeps one number in storage. `wrangler deploy`
// accepts this file and the wrangler.jsonc beside it as they are.

interface Env {
  Counter: DurableObjectNamespace;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    let id = env.Counter.idFromName('A');
    let obj = env.Counter.get(id);
    let resp = await obj.fetch(request.url);
    let count = await resp.text();
    return new Response("Durable Object 'A' count: " + count);
  },
};

export class Counter {
  state: DurableObjectState;

  constructor(state: DurableObjectState) {
    this.state = state;
  }

  async fetch(request: Request): Promise<Response> {
    let url = new URL(request.url);
    let value: number = (await this.state.storage.get('value')) || 0;

    switch (url.pathname) {
      case '/increment':
        ++value;
        break;
      case '/decrement':
        --value;
        break;
      case '/':
        break;
      default:
        return new Response('Not found', { status: 404 });
    }

    await this.state.storage.put('value', value);
    return new Response(String(value));
  }
}

// The few types this file uses, as @cloudflare/workers-types declares them.
interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string | Request): Promise<Response> };
}
interface DurableObjectState {
  storage: { get<T = unknown>(key: string): Promise<T | undefined>; put(key: string, value: unknown): Promise<void> };
}
