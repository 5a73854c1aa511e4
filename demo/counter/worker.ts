// The seed example from Cloudflare's Durable Objects docs, unmodified in
// spirit: a plain class (no `extends DurableObject`) that keeps one number.
// It deploys to Cloudflare as-is with the wrangler.jsonc beside it.

export class Counter {
  state: DurableObjectState;

  constructor(state: DurableObjectState) {
    this.state = state;
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let value: number = (await this.state.storage.get<number>('value')) || 0;

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

interface DurableObjectState {
  storage: { get<T>(key: string): Promise<T | undefined>; put(key: string, value: unknown): Promise<void> };
}

export default {
  async fetch(request: Request, env: { COUNTER: { idFromName(n: string): unknown; get(id: unknown): { fetch(r: Request | string): Promise<Response> } } }) {
    const name = new URL(request.url).searchParams.get('name') ?? 'A';
    return env.COUNTER.get(env.COUNTER.idFromName(name)).fetch(request);
  },
};
