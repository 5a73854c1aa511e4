/**
 * Cloudflare's `WebSocket`: one end of a socket inside an object or the edge
 * Worker (and, from `stub.fetch`, in a page), with workerd's error texts.
 *
 * Where the other end is:
 *  - `local`: the other half of a `WebSocketPair` in this same context;
 *  - `port`: another context, over the socket's own `MessagePort` (frames are
 *    `SocketFrame`s). The port is started only when this end is accepted,
 *    so until then the browser buffers frames, and an untouched end can be
 *    handed on whole (the edge returning an object's socket);
 *  - `sink`: a hibernatable socket whose port the host page keeps; frames go
 *    through the host (`hibernation.ts`).
 *
 * Promises kept here:
 *  - frames arrive in the order they were sent;
 *  - events are buffered until `accept()` (or `acceptWebSocket()`);
 *  - an end whose far context dies gets a close event with 1006 (see
 *    `peer-liveness.ts`), never silence.
 */
import type { SocketFrame } from '../protocol.ts';
import { afterOutputGate, closeReasonLimited, defaultBinaryType, holdAlive, releaseAlive, socketContext, TOO_LARGE_CLOSE, tooLarge, tooLargeMessage } from './socket-context.ts';
import { serialize, deserialize } from '../storage/structured-serializer.ts';
import { watchHolder } from './peer-liveness.ts';
import { checkCloseArguments } from './close-codes.ts';
import { WebSocketReadyStates } from './ready-states.ts';

export const ABNORMAL_CLOSE_REASON = 'WebSocket disconnected without sending Close frame.';

/** How a hibernatable end hands its frames to the Hibernation API (set by `hibernation.ts`). */
export interface HibernationSink {
  /** A frame for the far end. */
  send(frame: SocketFrame): void;
  /** A frame that arrived from the far end while the socket is local (both halves in this context). */
  receive(ws: CfWebSocket, frame: SocketFrame): void;
  /** The far end was a local half and has just crossed to another context: its port is ours now. */
  adopt(ws: CfWebSocket, port: MessagePort): void;
  /** The far end's context died. */
  lost(ws: CfWebSocket): void;
  /** The attachment changed. */
  attach(ws: CfWebSocket, attachment: Uint8Array | null): void;
}

const MAX_ATTACHMENT_BYTES = 16_384;

type Mode = 'none' | 'accepted' | 'hibernatable';

export class CfWebSocket extends WebSocketReadyStates {
  readonly url: string | null = null;
  protocol = '';
  extensions = '';
  binaryType: 'blob' | 'arraybuffer' = defaultBinaryType();
  #readyState = 1;

  #mode: Mode = 'none';
  #allowHalfOpen = false;
  /** Returned in a Response (or handed on): this end now lives elsewhere. */
  #used = false;
  #closeSent = false;
  #closeReceived = false;

  #local: CfWebSocket | undefined;
  #port: MessagePort | undefined;
  #sink: HibernationSink | undefined;
  /** Frames from a local peer before this end was accepted. */
  #inbox: SocketFrame[] = [];
  #unwatch: (() => void) | undefined;
  #attachment: Uint8Array | null = null;
  #incoming: Promise<void> = Promise.resolve();

  get readyState(): number {
    return this.#readyState;
  }

  /** @internal Pair two local halves. */
  static pair(): [CfWebSocket, CfWebSocket] {
    const a = new CfWebSocket();
    const b = new CfWebSocket();
    a.#local = b;
    b.#local = a;
    return [a, b];
  }

  /** @internal An end whose far end is in another context. */
  static overPort(port: MessagePort): CfWebSocket {
    const ws = new CfWebSocket();
    ws.#port = port;
    return ws;
  }

  accept(options?: { allowHalfOpen?: boolean }): void {
    if (this.#mode === 'hibernatable') throw new TypeError("Can't accept() WebSocket after enabling hibernation.");
    if (this.#used) throw new TypeError("Can't accept() WebSocket that was already used in a response.");
    if (this.#mode === 'accepted') return;
    this.#mode = 'accepted';
    this.#allowHalfOpen = options?.allowHalfOpen === true;
    // An open accept()-ed socket keeps its object in memory (DO-API §8.1).
    if (this.#readyState !== CfWebSocket.CLOSED) holdAlive(this);
    if (this.#port) this.#listen(this.#port);
    const inbox = this.#inbox;
    this.#inbox = [];
    if (inbox.length) queueMicrotask(() => inbox.forEach((frame) => this.#receive(frame)));
  }

  send(message: string | ArrayBuffer | ArrayBufferView): void {
    if (this.#mode === 'none') {
      throw new TypeError('You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.');
    }
    if (this.#closeSent) throw new TypeError("Can't call WebSocket send() after close().");
    this.#transmit({ t: 'm', d: frameData(message) });
  }

  close(code?: number, reason?: string): void {
    if (this.#mode === 'none') {
      throw new TypeError('You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.');
    }
    checkCloseArguments(code, reason, closeReasonLimited());
    if (this.#closeSent || this.#readyState === CfWebSocket.CLOSED) return;
    this.#closeSent = true;
    this.#readyState = this.#closeReceived ? CfWebSocket.CLOSED : CfWebSocket.CLOSING;
    this.#transmit({ t: 'c', code: code ?? 1005, reason: reason ?? '' });
    if (this.#readyState === CfWebSocket.CLOSED) this.#finish();
  }

  /** Keep a structured-clone copy with the socket; it survives hibernation (16 KiB at most, serialized). */
  serializeAttachment(value: unknown): void {
    const bytes = serialize(value);
    if (bytes.length > MAX_ATTACHMENT_BYTES) {
      throw new Error(`A WebSocket 'attachment' cannot be larger than ${MAX_ATTACHMENT_BYTES} bytes.'attachment' was ${bytes.length} bytes.`);
    }
    this.#attachment = bytes;
    this.#sink?.attach(this, bytes);
  }

  deserializeAttachment(): unknown {
    return this.#attachment === null ? null : deserialize(this.#attachment);
  }

  // ───────── Hearth internals (not on Cloudflare's WebSocket) ─────────

  #id: string | undefined;
  /** @internal A random id for this end, made when first asked (the devtools list and close `accept()`-ed ends by it). */
  get hearthId(): string {
    return (this.#id ??= crypto.randomUUID());
  }

  /**
   * @internal The devtools close this `accept()`-ed end as a dropped
   * connection: the far end gets a Close frame with `code` and `reason` now,
   * and this end, as an event through the object's input gate, a close event
   * with 1006 (`wasClean` false) — what the object hears when a client drops.
   * False if it is not an open `accept()`-ed end.
   */
  hearthDisconnect(code: number, reason: string): boolean {
    if (this.#mode !== 'accepted' || this.#readyState === CfWebSocket.CLOSED) return false;
    this.#port?.postMessage({ t: 'c', code, reason } satisfies SocketFrame);
    const peer = this.#local;
    if (peer) queueMicrotask(() => peer.#deliverLocal({ t: 'c', code, reason }));
    const admit = socketContext.admit;
    if (!admit) this.#lost();
    else this.#incoming = this.#incoming.then(admit).then(() => this.#lost());
    return true;
  }

  /** @internal */
  get hearthAttachment(): Uint8Array | null {
    return this.#attachment;
  }

  /** @internal */
  get hearthMode(): Mode {
    return this.#mode;
  }
  /** @internal */
  get hearthUsed(): boolean {
    return this.#used;
  }
  /** @internal Set when a Response is built around this end (workerd's check counts that as "used"). */
  hearthInResponse = false;

  /** @internal Whether the other half of the pair is still in this context. */
  get hearthPartner(): CfWebSocket | undefined {
    return this.#local;
  }

  /** @internal `ctx.acceptWebSocket()`: events go to the object's handlers from now on. */
  hibernate(sink: HibernationSink): void {
    this.#mode = 'hibernatable';
    this.#sink = sink;
    const port = this.#port;
    if (port) {
      this.#port = undefined;
      sink.adopt(this, port);
    } else {
      // Both halves still here: the object cannot sleep while it holds the only copy.
      holdAlive(this);
    }
    const inbox = this.#inbox;
    this.#inbox = [];
    for (const frame of inbox) sink.receive(this, frame);
  }

  /** @internal A hibernatable end rebuilt after the object woke: its port is with the host. */
  static restored(sink: HibernationSink, readyState: number, attachment: Uint8Array | null): CfWebSocket {
    const ws = new CfWebSocket();
    ws.#attachment = attachment;
    ws.#mode = 'hibernatable';
    ws.#sink = sink;
    ws.#readyState = readyState;
    // CLOSING after a wake most often means the client's Close arrived (manual-reply compatibility dates):
    // the handler must still be able to answer it. The host drops a second Close if ours had already gone.
    ws.#closeSent = readyState === CfWebSocket.CLOSED;
    ws.#closeReceived = readyState >= CfWebSocket.CLOSING;
    return ws;
  }

  /** @internal The host saw a frame or a loss on this hibernatable end: keep `readyState` true. */
  noteClosed(state: 'received' | 'closed'): void {
    this.#closeReceived = true;
    if (state === 'closed') {
      this.#closeSent = true;
      this.#readyState = CfWebSocket.CLOSED;
    } else if (!this.#closeSent) this.#readyState = CfWebSocket.CLOSING;
    else this.#readyState = CfWebSocket.CLOSED;
  }

  /**
   * @internal This end goes into a Response: give the port its new holder
   * will use. A local half is cut from its partner through a new channel; an
   * end that already has a port (from another context) is handed on as is,
   * so frames never pass through this context.
   */
  detachForResponse(): MessagePort {
    if (this.#mode === 'accepted') throw new TypeError("Can't return WebSocket in a Response after calling accept().");
    if (this.#mode === 'hibernatable') throw new TypeError("Can't return WebSocket in a Response after calling acceptWebSocket().");
    if (this.#used) throw new TypeError("Can't return WebSocket in a Response that was already used in a response.");
    this.#used = true;
    if (this.#port) {
      const port = this.#port;
      this.#port = undefined;
      return port;
    }
    const partner = this.#local!;
    this.#local = undefined;
    partner.#local = undefined;
    const { port1, port2 } = new MessageChannel();
    // What the partner already sent to this end goes first, in order.
    for (const frame of this.#inbox) port1.postMessage(frame);
    this.#inbox = [];
    partner.#attachPort(port1);
    return port2;
  }

  #attachPort(port: MessagePort): void {
    if (this.#mode === 'hibernatable') {
      releaseAlive(this);
      this.#sink!.adopt(this, port);
      return;
    }
    this.#port = port;
    if (this.#mode === 'accepted') this.#listen(port);
  }

  #listen(port: MessagePort): void {
    port.onmessage = (event: MessageEvent<SocketFrame>) => this.#receive(event.data);
    // Say who holds this end, so the far end learns if this context dies.
    if (socketContext.holderLock) port.postMessage({ t: 'h', lock: socketContext.holderLock } satisfies SocketFrame);
  }

  /** Frames are output: they leave once the writes made before them are durable. */
  #transmit(frame: SocketFrame): void {
    const sink = this.#sink;
    if (sink) return afterOutputGate(() => sink.send(frame));
    const port = this.#port;
    if (port) {
      const transfer = frame.t === 'm' && frame.d instanceof ArrayBuffer ? [frame.d] : [];
      return afterOutputGate(() => port.postMessage(frame, transfer));
    }
    const peer = this.#local;
    // Delivered in a later microtask, as across a port: never inside the sender's own call.
    if (peer) afterOutputGate(() => queueMicrotask(() => peer.#deliverLocal(frame)));
  }

  /** @internal */
  hearthDeliverLocal(frame: SocketFrame): void {
    this.#deliverLocal(frame);
  }

  #deliverLocal(frame: SocketFrame): void {
    if (this.#mode === 'none') this.#inbox.push(frame);
    else if (this.#mode === 'hibernatable') this.#sink!.receive(this, frame);
    else this.#receive(frame);
  }

  /** Events wait for the input gate, as any event of an object does (in order, per socket). */
  #receive(frame: SocketFrame): void {
    const admit = socketContext.admit;
    if (!admit) return this.#handle(frame);
    this.#incoming = this.#incoming.then(admit).then(() => this.#handle(frame));
  }

  #handle(frame: SocketFrame): void {
    if (this.#readyState === CfWebSocket.CLOSED) return;
    switch (frame.t) {
      case 'h':
        this.#unwatch?.();
        this.#unwatch = watchHolder(frame.lock, () => this.#lost());
        return;
      case 'm': {
        if (tooLarge(frame.d)) {
          // Over 32 MiB: refused with 1009, as the Hibernation path does (socket-keeper.ts).
          this.dispatchEvent(Object.assign(new Event('error'), { error: new Error(tooLargeMessage()), message: tooLargeMessage() }));
          this.hearthAbort(TOO_LARGE_CLOSE.code, TOO_LARGE_CLOSE.reason);
          this.dispatchEvent(closeEvent(TOO_LARGE_CLOSE.code, TOO_LARGE_CLOSE.reason, false));
          return;
        }
        const data =
          typeof frame.d === 'string' || this.binaryType === 'arraybuffer' ? frame.d : new Blob([frame.d]);
        this.dispatchEvent(new MessageEvent('message', { data }));
        return;
      }
      case 'c':
        this.#closeReceived = true;
        if (!this.#closeSent && !this.#allowHalfOpen) {
          // Without allowHalfOpen the runtime answers a Close with the same code.
          this.#closeSent = true;
          this.#transmit({ t: 'c', code: frame.code, reason: frame.reason });
        }
        this.#readyState = this.#closeSent ? CfWebSocket.CLOSED : CfWebSocket.CLOSING;
        this.dispatchEvent(closeEvent(frame.code === 1005 ? 1005 : frame.code, frame.reason, true));
        if (this.#readyState === CfWebSocket.CLOSED) this.#finish();
        return;
    }
  }

  /** The far end's context is gone. */
  #lost(): void {
    if (this.#readyState === CfWebSocket.CLOSED) return;
    this.#readyState = CfWebSocket.CLOSED;
    this.#closeSent = true;
    if (this.#sink) {
      releaseAlive(this);
      this.#sink.lost(this);
      return;
    }
    this.dispatchEvent(closeEvent(1006, ABNORMAL_CLOSE_REASON, false));
    this.#finish();
  }

  /** @internal This context is going (its object was reset): tell the far end now, past the broken output gate. */
  hearthAbort(code: number, reason: string): void {
    if (this.#readyState === CfWebSocket.CLOSED) return;
    this.#readyState = CfWebSocket.CLOSED;
    this.#closeSent = true;
    this.#port?.postMessage({ t: 'c', code, reason } satisfies SocketFrame);
    this.#finish();
  }

  /** @internal The context that held our peer ended without closing (e.g. the object was reset). */
  hearthLost(): void {
    this.#lost();
  }

  #finish(): void {
    releaseAlive(this);
    this.#unwatch?.();
    this.#unwatch = undefined;
    // Let the last frames drain before the port goes.
    const port = this.#port;
    if (port) setTimeout(() => port.close(), 1000);
  }
}

export function closeEvent(code: number, reason: string, wasClean: boolean): Event {
  if (typeof CloseEvent !== 'undefined') return new CloseEvent('close', { code, reason, wasClean });
  return Object.assign(new Event('close'), { code, reason, wasClean });
}

/** What a frame carries: text stays text; binary becomes an ArrayBuffer of its own. */
export function frameData(message: string | ArrayBuffer | ArrayBufferView): string | ArrayBuffer {
  if (typeof message === 'string') return message;
  if (message instanceof ArrayBuffer) return message.slice(0);
  if (ArrayBuffer.isView(message)) {
    return (message.buffer as ArrayBuffer).slice(message.byteOffset, message.byteOffset + message.byteLength);
  }
  return String(message);
}
