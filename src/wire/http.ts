/**
 * `Request` and `Response` flattened for `postMessage` and rebuilt on the other
 * side with full fidelity: method, absolute URL, every header (including the
 * ones a browser's `Headers` guard would drop), status, statusText and body.
 *
 * Bodies known to be finite (strings, buffers, blobs, form data) travel as one
 * `ArrayBuffer` — the common case, and far cheaper than a stream. Bodies that
 * are, or may be, streams are transferred as `ReadableStream`s so a long or
 * endless body flows without being buffered.
 */
import type { WireRequest, WireResponse } from '../protocol.ts';

/** Responses whose body we know was given as a finite value (see `trackBufferedResponses`). */
const bufferedResponses = new WeakSet<Response>();

function isStreamBody(body: unknown): boolean {
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
}

/**
 * Replace the global `Response` with a subclass that records whether each
 * response was built from a finite body. Installed once in object workers (and
 * the edge), where the runtime owns the global scope as workerd does.
 */
export function trackBufferedResponses(scope: { Response: typeof Response }): void {
  const Native = scope.Response;
  if ((Native as { __hearth?: boolean }).__hearth) return;
  class HearthResponse extends Native {
    static __hearth = true;
    constructor(body?: BodyInit | null, init?: ResponseInit) {
      super(body, init);
      if (!isStreamBody(body)) bufferedResponses.add(this);
    }
    static override json(data: unknown, init?: ResponseInit): Response {
      const headers = new Headers(init?.headers);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      return new HearthResponse(JSON.stringify(data), { ...init, headers });
    }
  }
  scope.Response = HearthResponse as typeof Response;
}

/** Check a `stub.fetch()` target the way workerd does (compat `durable_object_fetch_requires_full_url`). */
function absoluteUrl(input: RequestInfo | URL): string {
  const raw = input instanceof Request ? input.url : String(input);
  if (!URL.canParse(raw)) throw new TypeError(`Invalid URL: ${raw}`);
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Fetch API cannot load: ${raw}`);
  }
  return url.href;
}

/** Fidelity-preserving headers: a `Request`'s own `headers` drops forbidden names (Host, Cookie…). */
function headerPairs(headers: HeadersInit | undefined | null): [string, string][] {
  if (!headers) return [];
  return [...new Headers(headers)];
}

export async function requestToWire(
  input: RequestInfo | URL,
  init?: RequestInit & { cf?: unknown },
): Promise<{ wire: WireRequest; transfer: Transferable[] }> {
  const url = absoluteUrl(input);
  const request = new Request(url, input instanceof Request ? input : undefined);
  const method = (init?.method ?? request.method).toUpperCase();
  const headers =
    init?.headers !== undefined
      ? headerPairs(init.headers)
      : input instanceof Request
        ? [...input.headers]
        : [];

  let body: WireRequest['body'] = null;
  const transfer: Transferable[] = [];
  const given = init && 'body' in init ? init.body : undefined;
  if (given !== undefined && given !== null) {
    if (method === 'GET' || method === 'HEAD') {
      throw new TypeError('Request with a GET or HEAD method cannot have a body.');
    }
    if (isStreamBody(given)) {
      body = given as ReadableStream<Uint8Array>;
      transfer.push(body);
    } else {
      body = await new Request(url, { method: 'POST', body: given }).arrayBuffer();
      transfer.push(body);
      // A string or form body sets a content-type the caller did not spell out.
      if (!headers.some(([k]) => k === 'content-type')) {
        const type = new Request(url, { method: 'POST', body: given }).headers.get('content-type');
        if (type) headers.push(['content-type', type]);
      }
    }
  } else if (input instanceof Request && input.body && init?.body === undefined) {
    body = input.body;
    transfer.push(body);
  }

  const wire: WireRequest = { method, url, headers, body };
  if (init?.cf !== undefined) wire.cf = init.cf;
  else if (input instanceof Request && (input as { cf?: unknown }).cf !== undefined) wire.cf = (input as { cf?: unknown }).cf;
  return { wire, transfer };
}

export function wireToRequest(wire: WireRequest): Request {
  const init: RequestInit & { duplex?: 'half' } = { method: wire.method, headers: wire.headers };
  if (wire.body !== null) {
    init.body = wire.body;
    if (isStreamBody(wire.body)) init.duplex = 'half';
  }
  const request = new Request(wire.url, init);
  // Keep headers the browser's request guard would have dropped, as workerd keeps them.
  const full = new Headers();
  for (const [k, v] of wire.headers) full.append(k, v);
  Object.defineProperty(request, 'headers', { value: full, enumerable: true });
  if (wire.cf !== undefined) Object.defineProperty(request, 'cf', { value: wire.cf, enumerable: true });
  return request;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

export async function responseToWire(response: Response): Promise<{ wire: WireResponse; transfer: Transferable[] }> {
  if (!(response instanceof Response)) {
    throw new TypeError('Incorrect type for Promise: the Promise did not resolve to \'Response\'.');
  }
  let body: WireResponse['body'] = null;
  const transfer: Transferable[] = [];
  if (response.body) {
    if (bufferedResponses.has(response)) body = await response.arrayBuffer();
    else body = response.body;
    transfer.push(body);
  }
  return {
    wire: { status: response.status, statusText: response.statusText, headers: [...response.headers], body },
    transfer,
  };
}

export function wireToResponse(wire: WireResponse): Response {
  const body = NULL_BODY_STATUS.has(wire.status) ? null : wire.body;
  return new Response(body, { status: wire.status, statusText: wire.statusText, headers: wire.headers });
}
