/**
 * Runs the app's Worker for one request, as Cloudflare's edge would: the
 * module's default export is either `{ fetch(request, env, ctx) }` or a
 * `WorkerEntrypoint` subclass constructed with `(ctx, env)`.
 */
import { NoHostPageError } from './page-resolver.ts';

/** The browser's own Response: the edge replaces the global with a subclass (for 101 upgrades), and responses from `stub.fetch` are natives. */
const NativeResponse = globalThis.Response;

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  readonly props: Record<string, unknown>;
}

type FetchHandler = (request: Request, env: unknown, ctx: ExecutionContext) => unknown;

export interface Invocation {
  request: Request;
  env: Record<string, unknown>;
  /** `event.waitUntil` of the service worker's fetch event. */
  waitUntil(promise: Promise<unknown>): void;
  /** The network, for `passThroughOnException()`. */
  passThrough(request: Request): Promise<Response>;
}

export async function runWorker(defaultExport: unknown, invocation: Invocation): Promise<Response> {
  let passThrough = false;
  // The body can be read only once: keep a copy in case the request goes to the network instead (a request
  // without one needs none, and a clone per request is measurable: docs/performance.md, step 20).
  // (Firefox has no `Request.body` to ask, hence the method.)
  const { method } = invocation.request;
  const original = method === 'GET' || method === 'HEAD' ? invocation.request : invocation.request.clone();
  const ctx: ExecutionContext = {
    waitUntil: (promise) =>
      invocation.waitUntil(Promise.resolve(promise).catch((error) => console.error('[hearth] waitUntil:', error))),
    passThroughOnException: () => {
      passThrough = true;
    },
    props: {},
  };
  try {
    const response = await callFetch(defaultExport, invocation.request, invocation.env, ctx);
    if (!(response instanceof NativeResponse)) {
      throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
    }
    return response;
  } catch (error) {
    if (passThrough) return invocation.passThrough(original);
    if (error instanceof NoHostPageError) {
      return new Response(error.message, { status: 503, headers: { 'content-type': 'text/plain;charset=UTF-8', 'retry-after': '1' } });
    }
    console.error('[hearth] the Worker threw:', error);
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new Response(`Worker threw exception: ${text}`, { status: 500, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  }
}

function callFetch(defaultExport: unknown, request: Request, env: unknown, ctx: ExecutionContext): unknown {
  if (typeof defaultExport === 'function' && typeof defaultExport.prototype?.fetch === 'function') {
    const entrypoint = new (defaultExport as new (ctx: unknown, env: unknown) => { fetch(r: Request): unknown })(ctx, env);
    return entrypoint.fetch(request);
  }
  const fetchHandler = (defaultExport as { fetch?: FetchHandler } | undefined)?.fetch;
  if (typeof fetchHandler !== 'function') {
    throw new TypeError('The Worker has no fetch handler: its main module must `export default { fetch(request, env, ctx) }`.');
  }
  return fetchHandler.call(defaultExport, request, env, ctx);
}
