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
import { markUpgrade, upgradeFromPort, upgradeInit, webSocketOf, type UpgradeInit } from '../websocket/upgrade-response.ts';

/** Responses whose body we know was given as a finite value (see `trackBufferedResponses`). */
const bufferedResponses = new WeakSet<Response>();
/** Set-Cookie headers given to a response: the browser's Response guard drops them, workerd keeps them. */
const setCookies = new WeakMap<Response, string[]>();
/** Captured before `trackBufferedResponses` replaces the global: `Response.redirect()` and `fetch()` return natives. */
const NativeResponse = globalThis.Response;
/** Likewise for `Request` (`trackBufferedRequests`): requests the platform makes (a FetchEvent's) are natives. */
const NativeRequest = globalThis.Request;

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
    constructor(body?: BodyInit | null, init?: UpgradeInit) {
      super(body, upgradeInit(init));
      markUpgrade(this, init); // status 101 with a webSocket (see websocket/upgrade-response.ts)
      if (!isStreamBody(body)) bufferedResponses.add(this);
      if (init?.headers) {
        const cookies = headerList(init.headers).filter(([k]) => k.toLowerCase() === 'set-cookie').map(([, v]) => v);
        if (cookies.length) setCookies.set(this, cookies);
      }
    }
    static override json(data: unknown, init?: ResponseInit): Response {
      const headers = new Headers(init?.headers);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      return new HearthResponse(JSON.stringify(data), { ...init, headers });
    }
    /** workerd's `response.webSocket`: null unless the response is an upgrade. */
    get webSocket(): unknown {
      return webSocketOf(this);
    }
  }
  scope.Response = HearthResponse as typeof Response;
}

/** Header pairs from any `HeadersInit`, without a `Headers` guard in the way. */
function headerList(init: HeadersInit): [string, string][] {
  if (init instanceof Headers) return [...init];
  if (Array.isArray(init)) return init.map(([k, v]) => [String(k), String(v)]);
  return Object.entries(init).map(([k, v]) => [k, String(v)]);
}

/** Requests whose body is known to be finite (see `trackBufferedRequests`): sent with a content-length. */
const bufferedRequests = new WeakSet<Request>();

function finiteBody(body: unknown): boolean {
  return body !== undefined && body !== null && !isStreamBody(body);
}

/**
 * Replace the global `Request` with a subclass that records whether each
 * request was built from a finite body (a string, buffer, blob, form), so
 * `stub.fetch(request)` can send that body with its length, as workerd does,
 * and still stream a body that is a stream. Installed where the runtime owns
 * the global scope (object workers, the edge), like `trackBufferedResponses`.
 */
export function trackBufferedRequests(scope: { Request: typeof Request }): void {
  const Native = scope.Request;
  if ((Native as { __hearth?: boolean }).__hearth) return;
  class HearthRequest extends Native {
    static __hearth = true;
    /** Requests the platform or storage made with the native class are still `instanceof Request` in app code. */
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof Native;
    }
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(input, init);
      const given = init && 'body' in init ? init.body : undefined;
      if (given !== undefined ? finiteBody(given) : input instanceof NativeRequest && bufferedRequests.has(input)) bufferedRequests.add(this);
    }
  }
  scope.Request = HearthRequest as typeof Request;
}

/** Headers with every name kept: a bare `Headers` has no guard, unlike a Request's or a Response's. */
function fullHeaders(pairs: [string, string][]): Headers {
  const headers = new Headers();
  for (const [k, v] of pairs) headers.append(k, v);
  return headers;
}

/**
 * Check a `stub.fetch()` target the way workerd does (compat
 * `durable_object_fetch_requires_full_url`). Returns the URL without its
 * fragment, and whether it carries credentials (which `new Request` refuses).
 */
function absoluteUrl(input: RequestInfo | URL): { href: string; credentials: boolean } {
  const raw = input instanceof NativeRequest ? input.url : String(input);
  const url = URL.parse(raw);
  if (!url) throw new TypeError(`Invalid URL: ${raw}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Fetch API cannot load: ${raw}`);
  }
  url.hash = ''; // workerd's request URL has no fragment
  return { href: url.href, credentials: url.username !== '' || url.password !== '' };
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
  const { href: url, credentials } = absoluteUrl(input);
  // Building a Request costs more than the rest of this function; it is only
  // needed for what it refuses (credentials in the URL) and for a Request's method.
  const request = credentials || input instanceof NativeRequest ? new Request(url, input instanceof NativeRequest ? input : undefined) : undefined;
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  const headers =
    init?.headers !== undefined
      ? headerPairs(init.headers)
      : input instanceof NativeRequest
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
      // One Request both encodes the body and names its type: a FormData body
      // encoded twice would get two different multipart boundaries.
      const encoded = new Request(url, { method: 'POST', body: given });
      // Copied, not transferred: a call the object never accepted can then be sent again elsewhere.
      body = await encoded.arrayBuffer();
      // A body of known length has a content-length header inside the object, as in workerd.
      if (!headers.some(([k]) => k.toLowerCase() === 'content-length')) headers.push(['content-length', String(body.byteLength)]);
      // A string or form body sets a content-type the caller did not spell out.
      const type = encoded.headers.get('content-type');
      if (type && !headers.some(([k]) => k === 'content-type')) headers.push(['content-type', type]);
    }
  } else if (input instanceof NativeRequest && input.body && init?.body === undefined) {
    if (bufferedRequests.has(input)) {
      // A finite body goes as bytes with its length, as workerd sends it.
      body = await input.arrayBuffer();
      if (!headers.some(([k]) => k.toLowerCase() === 'content-length')) headers.push(['content-length', String(body.byteLength)]);
    } else {
      body = input.body;
      transfer.push(body);
    }
  }

  const wire: WireRequest = { method, url, headers, body };
  if (init?.cf !== undefined) wire.cf = init.cf;
  else if (input instanceof NativeRequest && (input as { cf?: unknown }).cf !== undefined) wire.cf = (input as { cf?: unknown }).cf;
  return { wire, transfer };
}

export function wireToRequest(wire: WireRequest): Request {
  // Redirects are the caller's to follow (DO-API §2.1): inside the object the request says 'manual'.
  const init: RequestInit & { duplex?: 'half' } = { method: wire.method, headers: wire.headers, redirect: 'manual' };
  if (wire.body !== null) {
    init.body = wire.body;
    if (isStreamBody(wire.body)) init.duplex = 'half';
  }
  const request = new Request(wire.url, init);
  if (wire.body !== null && !isStreamBody(wire.body)) bufferedRequests.add(request);
  // Keep headers the browser's request guard would have dropped, as workerd keeps them.
  Object.defineProperty(request, 'headers', { value: fullHeaders(wire.headers), enumerable: true });
  if (wire.cf !== undefined) Object.defineProperty(request, 'cf', { value: wire.cf, enumerable: true });
  return request;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

export async function responseToWire(response: Response): Promise<{ wire: WireResponse; transfer: Transferable[] }> {
  if (!(response instanceof NativeResponse)) {
    throw new TypeError('Incorrect type for Promise: the Promise did not resolve to \'Response\'.');
  }
  let body: WireResponse['body'] = null;
  const transfer: Transferable[] = [];
  if (response.body) {
    if (bufferedResponses.has(response)) body = await response.arrayBuffer();
    else body = response.body;
    transfer.push(body);
  }
  const headers: [string, string][] = [...response.headers];
  for (const cookie of setCookies.get(response) ?? []) headers.push(['set-cookie', cookie]);
  const wire: WireResponse = { status: response.status, statusText: response.statusText, headers, body };
  const webSocket = webSocketOf(response);
  if (webSocket) {
    // The socket end travels as its own port; frames then never pass through whoever relays this response.
    wire.webSocket = webSocket.detachForResponse();
    transfer.push(wire.webSocket);
  }
  return { wire, transfer };
}

/** The reason phrases workerd fills in when a response gives no statusText. */
const REASON_PHRASES: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
  205: 'Reset Content', 206: 'Partial Content', 300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found',
  303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request',
  401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone',
  411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long',
  415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a teapot",
  421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked', 424: 'Failed Dependency', 425: 'Too Early',
  426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests',
  431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons', 500: 'Internal Server Error',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported', 507: 'Insufficient Storage', 508: 'Loop Detected', 511: 'Network Authentication Required',
};

export function wireToResponse(wire: WireResponse): Response {
  if (wire.webSocket) return upgradeFromPort(wire.webSocket, wire.headers, wire.statusText || 'Switching Protocols', NativeResponse);
  // Over HTTP every response but a null-body status has a body stream, if an empty one (as in workerd).
  const body = NULL_BODY_STATUS.has(wire.status) ? null : (wire.body ?? new ArrayBuffer(0));
  const statusText = wire.statusText || REASON_PHRASES[wire.status] || '';
  const response = new Response(body, { status: wire.status, statusText, headers: wire.headers });
  if (wire.headers.some(([k]) => k.toLowerCase() === 'set-cookie')) {
    Object.defineProperty(response, 'headers', { value: fullHeaders(wire.headers), enumerable: true });
  }
  return response;
}

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

/**
 * `stub.fetch()` follows redirects on the caller's side, as `fetch()` does
 * (DO-API §2.1): each hop is a new request to the same object.
 */
export async function followRedirects(
  input: RequestInfo | URL,
  init: (RequestInit & { cf?: unknown }) | undefined,
  send: (input: RequestInfo | URL, init: (RequestInit & { cf?: unknown }) | undefined) => Promise<Response>,
): Promise<Response> {
  const mode = init?.redirect ?? (input instanceof NativeRequest ? input.redirect : 'follow');
  let response = await send(input, init);
  if (mode === 'manual') return response;
  for (let hops = 0; REDIRECT_STATUS.has(response.status) && response.headers.has('location'); hops++) {
    if (mode === 'error') throw new TypeError('Failed to fetch: redirect mode is "error".');
    if (hops >= 20) throw new TypeError('Too many redirects.');
    const base = input instanceof NativeRequest ? input.url : String(input);
    const next = new URL(response.headers.get('location')!, base).href;
    let method = (init?.method ?? (input instanceof NativeRequest ? input.method : 'GET')).toUpperCase();
    let nextInit: (RequestInit & { cf?: unknown }) | undefined = { ...init, redirect: 'manual' };
    if (response.status === 303 ? method !== 'HEAD' : (response.status === 301 || response.status === 302) && method === 'POST') {
      method = 'GET';
      nextInit = { ...nextInit, method, body: null };
    } else if (init?.body && isStreamBody(init.body)) {
      return response; // a streamed body cannot be sent twice
    }
    await response.body?.cancel();
    input = next;
    init = nextInit;
    response = await send(input, init);
    Object.defineProperty(response, 'redirected', { value: true });
  }
  return response;
}
