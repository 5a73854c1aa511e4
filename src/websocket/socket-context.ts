/**
 * What the context a socket end lives in says about itself, set once by that
 * context's entry (a page's `start()`, an object worker's `init`):
 *
 *  - `holderLock`: a Web Lock this context holds for its whole life. An end
 *    that takes a socket tells the far end this name, and the far end learns
 *    the holder died when it is granted that lock (a `MessagePort` has no
 *    close event). The edge has none: the browser stops it at will, so the
 *    edge never keeps a socket end it does not hand on.
 *  - the compatibility date, which picks between Cloudflare's behaviours.
 */
export interface SocketContext {
  holderLock: string | undefined;
  compatibilityDate: string | undefined;
  /** Inside an object: resolves when the writes made so far are durable (frames wait for it). */
  outputGate: (() => Promise<void>) | undefined;
  /** Open sockets that keep this context's object from hibernating (`accept()`-ed ones, and hibernatable ones not yet kept by the host). */
  readonly keepAlive: Set<object>;
  /** Called when `keepAlive` becomes empty. */
  onKeepAliveEmpty: (() => void) | undefined;
  /** Called when a socket joins or leaves `keepAlive` (the object tells its host, for the devtools). */
  onKeepAliveChanged: (() => void) | undefined;
  /** Inside an object: resolves when the input gate lets the next event in (`accept()`-ed sockets' events wait for it). */
  admit: (() => Promise<void> | undefined) | undefined;
}

export const socketContext: SocketContext = {
  holderLock: undefined,
  compatibilityDate: undefined,
  outputGate: undefined,
  keepAlive: new Set(),
  onKeepAliveEmpty: undefined,
  onKeepAliveChanged: undefined,
  admit: undefined,
};

export function holdAlive(socket: object): void {
  if (socketContext.keepAlive.has(socket)) return;
  socketContext.keepAlive.add(socket);
  socketContext.onKeepAliveChanged?.();
}

export function releaseAlive(socket: object): void {
  if (!socketContext.keepAlive.delete(socket)) return;
  socketContext.onKeepAliveChanged?.();
  if (socketContext.keepAlive.size === 0) socketContext.onKeepAliveEmpty?.();
}

let tail: Promise<void> = Promise.resolve();

/**
 * Send a frame once the writes that preceded it are durable (the output
 * gate), keeping frames in the order they were sent. A failed commit drops
 * what it held: the object is being reset, and nobody may hear of writes
 * that were lost.
 */
export function afterOutputGate(send: () => void): void {
  const gate = socketContext.outputGate;
  if (!gate) {
    send();
    return;
  }
  tail = tail.then(gate).then(send, () => {});
}

function onOrAfter(date: string): boolean {
  return (socketContext.compatibilityDate ?? '') >= date;
}

/** `websocket_standard_binary_type` (2026-03-17): `binaryType` starts as "blob" on `accept()`-ed sockets. */
export function defaultBinaryType(): 'blob' | 'arraybuffer' {
  return onOrAfter('2026-03-17') ? 'blob' : 'arraybuffer';
}

/** `websocket_close_reason_byte_limit` (2026-03-03). */
export function closeReasonLimited(): boolean {
  return onOrAfter('2026-03-03');
}

/** `web_socket_auto_reply_to_close` (2026-04-07): the runtime answers a Close itself. */
export function autoReplyToClose(compatibilityDate: string | undefined): boolean {
  return (compatibilityDate ?? '') >= '2026-04-07';
}

/** What a worker's own open sockets hear when the object is reset (Cloudflare disconnects them). */
export const RESET_CLOSE = { code: 1011, reason: 'Durable Object reset.' };
export const UPDATE_CLOSE = { code: 1012, reason: 'Durable Object reset because its code was updated.' };

/** The object is reset: close the `accept()`-ed sockets it holds itself, now (the output gate is broken). */
export function closeSocketsForReset(update: boolean): void {
  const { code, reason } = update ? UPDATE_CLOSE : RESET_CLOSE;
  for (const socket of [...socketContext.keepAlive]) {
    (socket as { hearthAbort?(code: number, reason: string): void }).hearthAbort?.(code, reason);
  }
  socketContext.keepAlive.clear();
}

/** Received messages are limited to 32 MiB (DO-API §8.2, §9.3). */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** Whether a received message is over the limit (cheap for the usual small text). */
export function tooLarge(data: string | ArrayBuffer): boolean {
  if (typeof data !== 'string') return data.byteLength > MAX_MESSAGE_BYTES;
  if (data.length * 3 <= MAX_MESSAGE_BYTES) return false;
  return new TextEncoder().encode(data).length > MAX_MESSAGE_BYTES;
}

/** What the receiving end does with a message over the limit: RFC 6455's 1009, and an error event. (Hearth's text.) */
export const TOO_LARGE_CLOSE = { code: 1009, reason: 'Message too big.' };
export function tooLargeMessage(): string {
  return `WebSocket message is larger than the ${MAX_MESSAGE_BYTES}-byte limit.`;
}
