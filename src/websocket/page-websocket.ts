/**
 * `new runtime.WebSocket(url, protocols?)`: the browser's `WebSocket`
 * interface for a page, answered by the app's Worker.
 *
 * A service worker never sees a page's WebSocket, so the handshake is asked
 * of the edge over a `MessageChannel`: it runs the Worker's `fetch` with an
 * upgrade request (`Upgrade: websocket`, `Sec-WebSocket-Protocol`) and, on a
 * 101, answers with the port of the socket's other end — the object's own
 * end when the Worker returned the object's socket, so frames then go
 * straight between this page and the object's host, never through the edge
 * (which the browser may stop at any time) or the coordinator.
 *
 * Behaviour follows the WHATWG WebSocket standard and Chromium's texts:
 * readyState, `binaryType` ("blob" by default), `bufferedAmount`, the
 * `on…` attributes, events open/message/error/close, close codes 1000 or
 * 3000–4999, reasons up to 123 bytes. A far end whose context dies closes
 * the socket with 1006 (`wasClean: false`) after an `error` event.
 */
import type { EdgeUpgradeReply, PageToEdge, SocketFrame } from '../protocol.ts';
import { frameData } from './cf-websocket.ts';
import { watchHolder } from './peer-liveness.ts';
import { socketContext } from './socket-context.ts';
import { WebSocketReadyStates } from './ready-states.ts';

/** How long the edge may take to answer a handshake before the socket fails (no call ever hangs). */
const HANDSHAKE_TIMEOUT_MS = 30_000;

type Handler = ((this: PageWebSocket, event: Event) => unknown) | null;

export class PageWebSocket extends WebSocketReadyStates {
  readonly url: string;
  #protocol = '';
  #extensions = '';
  #readyState = 0;
  #binaryType: BinaryType = 'blob';
  #bufferedAmount = 0;
  #port: MessagePort | undefined;
  #unwatch: (() => void) | undefined;
  /** Frames wait here while a Blob before them is read, so order is kept. */
  #sending: Promise<void> = Promise.resolve();
  #handlers: Record<string, Handler> = {};

  constructor(url: string | URL, protocols: string | string[] = []) {
    super();
    const target = webSocketUrl(url);
    this.url = target.href;
    const list = typeof protocols === 'string' ? [protocols] : [...protocols].map(String);
    const seen = new Set<string>();
    for (const p of list) {
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(p)) {
        throw new DOMException(`Failed to construct 'WebSocket': The subprotocol '${p}' is invalid.`, 'SyntaxError');
      }
      if (seen.has(p)) throw new DOMException(`Failed to construct 'WebSocket': The subprotocol '${p}' is duplicated.`, 'SyntaxError');
      seen.add(p);
    }
    const http = new URL(target.href);
    http.protocol = target.protocol === 'wss:' ? 'https:' : 'http:';
    if (http.origin !== location.origin) {
      throw new DOMException(
        `Failed to construct 'WebSocket': Hearth's WebSocket reaches this app's Worker only; ${this.url} is not on ${location.origin}.`,
        'SyntaxError',
      );
    }
    void this.#connect(http.href, list);
  }

  get readyState(): number {
    return this.#readyState;
  }
  get protocol(): string {
    return this.#protocol;
  }
  get extensions(): string {
    return this.#extensions;
  }
  get bufferedAmount(): number {
    return this.#bufferedAmount;
  }
  get binaryType(): BinaryType {
    return this.#binaryType;
  }
  set binaryType(value: BinaryType) {
    if (value === 'blob' || value === 'arraybuffer') this.#binaryType = value;
  }

  get onopen(): Handler {
    return this.#handlers.open ?? null;
  }
  set onopen(fn: Handler) {
    this.#setHandler('open', fn);
  }
  get onmessage(): Handler {
    return this.#handlers.message ?? null;
  }
  set onmessage(fn: Handler) {
    this.#setHandler('message', fn);
  }
  get onerror(): Handler {
    return this.#handlers.error ?? null;
  }
  set onerror(fn: Handler) {
    this.#setHandler('error', fn);
  }
  get onclose(): Handler {
    return this.#handlers.close ?? null;
  }
  set onclose(fn: Handler) {
    this.#setHandler('close', fn);
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (this.#readyState === PageWebSocket.CONNECTING) {
      throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
    }
    const size = typeof data === 'string' ? new TextEncoder().encode(data).length : data instanceof Blob ? data.size : data.byteLength;
    if (this.#readyState !== PageWebSocket.OPEN) {
      // The standard: data sent after closing only grows bufferedAmount.
      this.#bufferedAmount += size;
      return;
    }
    const port = this.#port!;
    if (data instanceof Blob) {
      this.#sending = this.#sending.then(async () => {
        const buffer = await data.arrayBuffer();
        port.postMessage({ t: 'm', d: buffer } satisfies SocketFrame, [buffer]);
      });
      return;
    }
    const frame: SocketFrame = { t: 'm', d: frameData(data as string | ArrayBuffer | ArrayBufferView) };
    this.#sending = this.#sending.then(() => port.postMessage(frame, frame.d instanceof ArrayBuffer ? [frame.d] : []));
  }

  close(code?: number, reason?: string): void {
    if (code !== undefined && code !== 1000 && !(code >= 3000 && code <= 4999)) {
      throw new DOMException(
        `Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`,
        'InvalidAccessError',
      );
    }
    if (reason !== undefined && new TextEncoder().encode(reason).length > 123) {
      throw new DOMException("Failed to execute 'close' on 'WebSocket': The message must not be greater than 123 bytes.", 'SyntaxError');
    }
    if (this.#readyState >= PageWebSocket.CLOSING) return;
    if (this.#readyState === PageWebSocket.CONNECTING) {
      // Closing before the handshake finished fails the connection.
      this.#readyState = PageWebSocket.CLOSING;
      return;
    }
    this.#readyState = PageWebSocket.CLOSING;
    const port = this.#port!;
    const frame: SocketFrame = { t: 'c', code: code ?? 1005, reason: reason ?? '' };
    this.#sending = this.#sending.then(() => port.postMessage(frame));
  }

  #setHandler(type: string, fn: Handler): void {
    if (!(type in this.#handlers)) {
      // One listener per attribute, added when first set, so it keeps its place among listeners.
      this.addEventListener(type, (event) => this.#handlers[type]?.call(this, event));
    }
    this.#handlers[type] = typeof fn === 'function' ? fn : null;
  }

  async #connect(url: string, protocols: string[]): Promise<void> {
    let reply: EdgeUpgradeReply;
    try {
      reply = await askEdge(url, protocols);
    } catch (error) {
      reply = { type: 'refused', status: 0, message: (error as Error).message };
    }
    if (reply.type === 'refused') {
      console.warn(`[hearth] WebSocket connection to '${this.url}' failed: ${reply.status ? `the Worker answered ${reply.status}` : reply.message}`);
      this.#fail();
      return;
    }
    const port = reply.port;
    this.#port = port;
    if (this.#readyState === PageWebSocket.CLOSING) {
      port.postMessage({ t: 'c', code: 1006, reason: '' } satisfies SocketFrame);
      this.#fail();
      return;
    }
    this.#protocol = reply.protocol;
    this.#extensions = reply.extensions;
    port.onmessage = (event: MessageEvent<SocketFrame>) => this.#receive(event.data);
    if (socketContext.holderLock) port.postMessage({ t: 'h', lock: socketContext.holderLock } satisfies SocketFrame);
    this.#readyState = PageWebSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }

  #receive(frame: SocketFrame): void {
    if (this.#readyState === PageWebSocket.CLOSED) return;
    switch (frame.t) {
      case 'h':
        this.#unwatch?.();
        this.#unwatch = watchHolder(frame.lock, () => this.#fail());
        return;
      case 'm': {
        if (this.#readyState !== PageWebSocket.OPEN) return;
        const data = typeof frame.d === 'string' || this.#binaryType === 'arraybuffer' ? frame.d : new Blob([frame.d]);
        this.dispatchEvent(new MessageEvent('message', { data, origin: new URL(this.url).origin }));
        return;
      }
      case 'c': {
        if (this.#readyState === PageWebSocket.OPEN) {
          // The far end closed first: answer with its code, as browsers do.
          this.#port!.postMessage({ t: 'c', code: frame.code, reason: frame.reason } satisfies SocketFrame);
        }
        this.#finish(frame.code, frame.reason, true);
        return;
      }
    }
  }

  /** The connection failed or its far end died: error, then close 1006. */
  #fail(): void {
    if (this.#readyState === PageWebSocket.CLOSED) return;
    this.#readyState = PageWebSocket.CLOSED;
    this.dispatchEvent(new Event('error'));
    this.#finish(1006, '', false);
  }

  #finish(code: number, reason: string, wasClean: boolean): void {
    this.#readyState = PageWebSocket.CLOSED;
    this.#unwatch?.();
    this.#unwatch = undefined;
    const port = this.#port;
    if (port) setTimeout(() => port.close(), 1000);
    this.dispatchEvent(new CloseEvent('close', { code, reason, wasClean }));
  }
}

/** The URL rules of the WebSocket constructor, with Chromium's texts. */
function webSocketUrl(input: string | URL): URL {
  const raw = String(input);
  const url = URL.parse(raw, location.href);
  if (!url) throw new DOMException(`Failed to construct 'WebSocket': The URL '${raw}' is invalid.`, 'SyntaxError');
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new DOMException(
      `Failed to construct 'WebSocket': The URL's scheme must be either 'http', 'https', 'ws', or 'wss'. '${url.protocol}' is not allowed.`,
      'SyntaxError',
    );
  }
  if (url.hash) {
    throw new DOMException(
      `Failed to construct 'WebSocket': The URL contains a fragment identifier ('${url.hash}'). Fragment identifiers are not allowed in WebSocket URLs.`,
      'SyntaxError',
    );
  }
  return url;
}

/** Ask the edge to run the Worker's fetch for an upgrade request; its answer comes on a channel of our own. */
async function askEdge(url: string, protocols: string[]): Promise<EdgeUpgradeReply> {
  const container = navigator.serviceWorker;
  if (!container) throw new Error('service workers are unavailable here, so no Worker can answer.');
  // Without an edge (start() given code, no routes) `ready` would never settle: fail instead.
  if (!(await container.getRegistration())) throw new Error('this app has no Hearth edge (no `hearth.routes`), so no Worker can answer.');
  const registration = await container.ready;
  const edge = container.controller ?? registration.active;
  if (!edge) throw new Error('the Hearth edge is not running.');
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      port1.close();
      reject(new Error(`the edge did not answer the handshake within ${HANDSHAKE_TIMEOUT_MS / 1000} s.`));
    }, HANDSHAKE_TIMEOUT_MS);
    port1.onmessage = (event: MessageEvent<EdgeUpgradeReply>) => {
      clearTimeout(timer);
      port1.close();
      resolve(event.data);
    };
    edge.postMessage({ type: 'hearth:ws-connect', url, protocols } satisfies PageToEdge, [port2]);
  });
}
