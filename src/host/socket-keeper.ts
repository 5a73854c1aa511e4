/**
 * The host page keeps the ports of its objects' hibernatable sockets, so a
 * socket stays connected while its object's worker is terminated
 * (hibernation) and comes back, with its tags, attachment and auto-response
 * timestamp, when the object is started again (`HibernationSnapshot`).
 *
 * Promises kept here:
 *  - Frames from the far end become `ws-event`s for the object, in order per
 *    socket. While the object is not running they wait here, and the first one
 *    wakes it (placed again on this tab: `keepsSockets`).
 *  - A text message equal to the auto-response request is answered here,
 *    without waking the object, and its time recorded.
 *  - A Close from the far end is answered at once when the compatibility
 *    date asks for it (`web_socket_auto_reply_to_close`), before the
 *    object's `webSocketClose` runs.
 *  - A far end whose context dies (its Web Lock comes free) closes the socket
 *    with 1006 and runs `webSocketClose(ws, 1006, …, false)`.
 *  - A closed socket stays listed until its close event reached the object.
 */
import type { DevtoolsSocket, HibernationSnapshot, HostToObject, ObjectAddress, SocketEvent, SocketFrame } from '../protocol.ts';
import { watchHolder } from '../websocket/peer-liveness.ts';
import { TOO_LARGE_CLOSE, tooLarge, tooLargeMessage } from '../websocket/socket-context.ts';

const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
const ABNORMAL_CLOSE_REASON = 'WebSocket disconnected without sending Close frame.';

interface KeptSocket {
  sid: string;
  port: MessagePort;
  tags: string[];
  attachment: Uint8Array | null;
  autoResponseAt: number | null;
  readyState: number;
  closeSent: boolean;
  unwatch?: () => void;
}

interface KeptObject {
  address: ObjectAddress;
  sockets: Map<string, KeptSocket>;
  autoResponse: [string, string] | null;
  eventTimeoutMs: number | null;
  /** Events waiting for the object to run again. */
  pending: Extract<HostToObject, { type: 'ws-event' }>[];
  waking?: Promise<void>;
}

export interface SocketKeeperHooks {
  /** Post to the object's worker if it runs on this tab and is ready; false otherwise. */
  post(key: string, message: HostToObject): boolean;
  /** Start the object again (the coordinator places it here). Resolves true if it now runs on this tab. */
  wake(address: ObjectAddress): Promise<boolean>;
  /** `web_socket_auto_reply_to_close` by the app's compatibility date. */
  autoReplyToClose: boolean;
  /** This tab's lock, which the far ends watch. */
  holderLock: string;
  /** The sockets kept for `key` changed (opened, closed): for the devtools' counts. */
  changed?(key: string): void;
}

export class SocketKeeper {
  readonly #hooks: SocketKeeperHooks;
  readonly #objects = new Map<string, KeptObject>();

  constructor(hooks: SocketKeeperHooks) {
    this.#hooks = hooks;
  }

  /** Every object of the namespace kept here (the devtools wiped it): for `closeAll`. */
  keysOf(namespaceKey: string): string[] {
    return [...this.#objects.keys()].filter((key) => key.startsWith(`${namespaceKey}:`));
  }

  /** Whether the object has sockets here that must outlive its worker. */
  keeps(key: string): boolean {
    const object = this.#objects.get(key);
    return !!object && (object.sockets.size > 0 || object.pending.length > 0);
  }

  /** How many sockets are kept (open or closing) for `key`. */
  count(key: string): number {
    return this.#objects.get(key)?.sockets.size ?? 0;
  }

  /** Every kept socket, for the devtools. */
  list(): DevtoolsSocket[] {
    const out: DevtoolsSocket[] = [];
    for (const [key, object] of this.#objects) {
      for (const k of object.sockets.values()) out.push({ key, sid: k.sid, tags: [...k.tags], readyState: k.readyState });
    }
    return out;
  }

  /**
   * The devtools close one socket as the runtime does when a connection is
   * lost: the far end gets a Close frame (`code`, `reason`), and the object's
   * `webSocketClose` runs with 1006 and `wasClean` false — the same event as
   * when the far end's context dies. False when no such socket is kept here.
   */
  closeOne(key: string, sid: string, code: number, reason: string): boolean {
    const object = this.#objects.get(key);
    const kept = object?.sockets.get(sid);
    if (!object || !kept || kept.readyState === CLOSED) return false;
    kept.unwatch?.();
    if (!kept.closeSent) kept.port.postMessage({ t: 'c', code, reason } satisfies SocketFrame);
    kept.closeSent = true;
    kept.readyState = CLOSED;
    this.#event(key, object, kept, { kind: 'close', code: 1006, reason: ABNORMAL_CLOSE_REASON, wasClean: false, readyState: CLOSED });
    this.#hooks.changed?.(key);
    return true;
  }

  adopt(key: string, address: ObjectAddress, sid: string, port: MessagePort, tags: string[]): void {
    const object = this.#object(key, address);
    const kept: KeptSocket = { sid, port, tags, attachment: null, autoResponseAt: null, readyState: OPEN, closeSent: false };
    object.sockets.set(sid, kept);
    port.onmessage = (event: MessageEvent<SocketFrame>) => this.#fromFarEnd(key, object, kept, event.data);
    port.postMessage({ t: 'h', lock: this.#hooks.holderLock } satisfies SocketFrame);
    this.#hooks.changed?.(key);
  }

  /** A frame from the object (already past its output gate). */
  send(key: string, sid: string, frame: SocketFrame): void {
    const object = this.#objects.get(key);
    const kept = object?.sockets.get(sid);
    if (!object || !kept || kept.readyState === CLOSED || kept.closeSent) return;
    if (frame.t === 'm') {
      kept.port.postMessage(frame, frame.d instanceof ArrayBuffer ? [frame.d] : []);
      return;
    }
    if (frame.t !== 'c') return;
    kept.port.postMessage(frame);
    kept.closeSent = true;
    if (kept.readyState === CLOSING) this.#drop(object, kept);
    else kept.readyState = CLOSING;
  }

  attach(key: string, sid: string, attachment: Uint8Array | null): void {
    const kept = this.#objects.get(key)?.sockets.get(sid);
    if (kept) kept.attachment = attachment;
  }

  settings(key: string, address: ObjectAddress, autoResponse: [string, string] | null, eventTimeoutMs: number | null): void {
    const object = this.#object(key, address);
    object.autoResponse = autoResponse;
    object.eventTimeoutMs = eventTimeoutMs;
  }

  /** What a new worker for `key` starts with. */
  snapshot(key: string): HibernationSnapshot | undefined {
    const object = this.#objects.get(key);
    if (!object) return undefined;
    return {
      sockets: [...object.sockets.values()].map((k) => ({
        sid: k.sid,
        tags: k.tags,
        attachment: k.attachment,
        autoResponseAt: k.autoResponseAt,
        readyState: k.readyState,
      })),
      autoResponse: object.autoResponse,
      eventTimeoutMs: object.eventTimeoutMs,
    };
  }

  /** The object's worker is ready: hand it what waited. */
  ready(key: string): void {
    const object = this.#objects.get(key);
    if (!object) return;
    const pending = object.pending;
    object.pending = [];
    for (const message of pending) if (!this.#post(key, object, message)) object.pending.push(message);
  }

  /** An event the stopping worker handed back. */
  retry(key: string, message: Extract<HostToObject, { type: 'ws-event' }>): void {
    this.#objects.get(key)?.pending.push(message);
  }

  /** The object ended without hibernating (reset, update, its tab closing): its sockets close, as on Cloudflare. */
  closeAll(key: string, code: number, reason: string): void {
    const object = this.#objects.get(key);
    if (!object) return;
    this.#objects.delete(key);
    for (const kept of object.sockets.values()) {
      kept.unwatch?.();
      if (kept.readyState !== CLOSED) kept.port.postMessage({ t: 'c', code, reason } satisfies SocketFrame);
      setTimeout(() => kept.port.close(), 1000);
    }
    this.#hooks.changed?.(key);
  }

  /** The worker stopped while events wait: start it again. */
  wakeIfPending(key: string): void {
    const object = this.#objects.get(key);
    if (object && object.pending.length) this.#wake(key, object);
  }

  #object(key: string, address: ObjectAddress): KeptObject {
    let object = this.#objects.get(key);
    if (!object) {
      object = { address, sockets: new Map(), autoResponse: null, eventTimeoutMs: null, pending: [] };
      this.#objects.set(key, object);
    }
    return object;
  }

  #fromFarEnd(key: string, object: KeptObject, kept: KeptSocket, frame: SocketFrame): void {
    if (kept.readyState === CLOSED) return;
    switch (frame.t) {
      case 'h':
        kept.unwatch?.();
        kept.unwatch = watchHolder(frame.lock, () => {
          if (kept.readyState === CLOSED) return;
          kept.readyState = CLOSED;
          this.#event(key, object, kept, { kind: 'close', code: 1006, reason: ABNORMAL_CLOSE_REASON, wasClean: false, readyState: CLOSED });
        });
        return;
      case 'm': {
        const auto = object.autoResponse;
        if (auto && typeof frame.d === 'string' && frame.d === auto[0]) {
          // Answered without waking the object (DO-API §8.2).
          kept.port.postMessage({ t: 'm', d: auto[1] } satisfies SocketFrame);
          kept.autoResponseAt = Date.now();
          this.#hooks.post(key, { type: 'ws-auto-ts', sid: kept.sid, at: kept.autoResponseAt });
          return;
        }
        if (kept.closeSent) return;
        if (tooLarge(frame.d)) {
          // Over 32 MiB: refused, the socket closes with 1009 and the object hears why.
          kept.port.postMessage({ t: 'c', ...TOO_LARGE_CLOSE } satisfies SocketFrame);
          kept.closeSent = true;
          kept.readyState = CLOSED;
          this.#event(key, object, kept, { kind: 'error', message: tooLargeMessage() });
          this.#event(key, object, kept, { kind: 'close', ...TOO_LARGE_CLOSE, wasClean: false, readyState: CLOSED });
          return;
        }
        this.#event(key, object, kept, { kind: 'message', data: frame.d });
        return;
      }
      case 'c':
        if (!kept.closeSent && this.#hooks.autoReplyToClose) {
          kept.port.postMessage({ t: 'c', code: frame.code, reason: frame.reason } satisfies SocketFrame);
          kept.closeSent = true;
        }
        kept.readyState = kept.closeSent ? CLOSED : CLOSING;
        this.#event(key, object, kept, { kind: 'close', code: frame.code, reason: frame.reason, wasClean: true, readyState: kept.readyState });
        return;
    }
  }

  #event(key: string, object: KeptObject, kept: KeptSocket, event: SocketEvent): void {
    const message = { type: 'ws-event' as const, sid: kept.sid, event };
    if (object.pending.length === 0 && this.#post(key, object, message)) return;
    object.pending.push(message);
    this.#wake(key, object);
  }

  #post(key: string, object: KeptObject, message: Extract<HostToObject, { type: 'ws-event' }>): boolean {
    if (!this.#hooks.post(key, message)) return false;
    const kept = object.sockets.get(message.sid);
    if (kept && kept.readyState === CLOSED && message.event.kind === 'close') this.#drop(object, kept);
    return true;
  }

  #wake(key: string, object: KeptObject): void {
    if (object.waking) return;
    object.waking = this.#hooks.wake(object.address).then(
      (here) => {
        object.waking = undefined;
        if (here) this.ready(key);
        // Placed on another tab after all (it was called from there first): its sockets cannot follow it.
        else this.closeAll(key, 1012, 'Durable Object moved to another tab.');
      },
      () => {
        object.waking = undefined;
        this.closeAll(key, 1011, 'Durable Object could not be started.');
      },
    );
  }

  #drop(object: KeptObject, kept: KeptSocket): void {
    kept.readyState = CLOSED;
    kept.unwatch?.();
    object.sockets.delete(kept.sid);
    setTimeout(() => kept.port.close(), 1000);
    for (const [key, o] of this.#objects) if (o === object) this.#hooks.changed?.(key);
  }
}
