// Types for worker.js, which is Cloudflare's example as published: plain JavaScript.
// (test/app/worker.ts re-exports its Counter for the end-to-end tests.)

declare const worker: { fetch(request: Request, env: unknown): Promise<Response> };
export default worker;

export declare class Counter {
  constructor(state: unknown, env: unknown);
  fetch(request: Request): Promise<Response>;
}
