/**
 * The WebSocket Hibernation API inside an object (`ctx.acceptWebSocket()`,
 * `getWebSockets()`, tags, auto-response, event timeout), with workerd's
 * checks and texts (DO-API §8.2).
 *
 * A hibernatable socket's port is kept by the host page, not this worker
 * (`ws-adopt`): that is what lets the worker be terminated while the socket
 * stays connected. Frames go out as `ws-send` (after the output gate) and
 * arrive as `ws-event`s, which `events/websocket.ts` delivers to the
 * object's handlers. Tags, attachments and the settings are mirrored here so
 * every getter is synchronous, and sent to the host so a woken object (a new
 * worker, constructor run again) finds them all (`HibernationSnapshot`).
 */
import type { HibernationSnapshot, ObjectToHost, SocketEvent, SocketFrame } from '../protocol.ts';
import { CfWebSocket, type HibernationSink } from './cf-websocket.ts';
import { WebSocketRequestResponsePair } from './websocket-pair.ts';

const MAX_TAGS = 10;
const MAX_TAG_BYTES = 256;
const MAX_SOCKETS = 32_768;
const MAX_AUTO_RESPONSE_BYTES = 2048;
const MAX_EVENT_TIMEOUT_MS = 604_800_000;

interface Entry {
  sid: string;
  tags: string[];
  autoResponseAt: number | null;
}

export class WebSocketHibernation {
  readonly #toHost: (message: ObjectToHost, transfer?: Transferable[]) => void;
  readonly #deliver: (ws: CfWebSocket, event: SocketEvent) => void;
  readonly #entries = new Map<CfWebSocket, Entry>();
  readonly #bySid = new Map<string, CfWebSocket>();
  #autoResponse: WebSocketRequestResponsePair | null = null;
  #eventTimeoutMs: number | null = null;
  #nextSid = 1;
  /** Sockets whose port the host keeps (restored ones never left it). */
  readonly #kept = new Set<string>();

  /** `deliver`: run the object's handler for an event (one at a time per socket). */
  constructor(
    toHost: (message: ObjectToHost, transfer?: Transferable[]) => void,
    deliver: (ws: CfWebSocket, event: SocketEvent) => void,
    snapshot?: HibernationSnapshot,
  ) {
    this.#toHost = toHost;
    this.#deliver = deliver;
    if (!snapshot) return;
    for (const kept of snapshot.sockets) {
      const ws = CfWebSocket.restored(this.#sink(kept.sid), kept.readyState, kept.attachment);
      this.#entries.set(ws, { sid: kept.sid, tags: kept.tags, autoResponseAt: kept.autoResponseAt });
      this.#bySid.set(kept.sid, ws);
      this.#kept.add(kept.sid);
    }
    if (snapshot.autoResponse) this.#autoResponse = new WebSocketRequestResponsePair(...snapshot.autoResponse);
    this.#eventTimeoutMs = snapshot.eventTimeoutMs;
  }

  acceptWebSocket(ws: CfWebSocket, tags: string[] = []): void {
    if (!(ws instanceof CfWebSocket)) {
      throw new TypeError("Failed to execute 'acceptWebSocket' on 'DurableObjectState': parameter 1 is not of type 'WebSocket'.");
    }
    if (ws.hearthMode !== 'none') throw new Error('Cannot call `acceptWebSocket()` if the WebSocket was already accepted via `accept()`');
    const partner = ws.hearthPartner;
    if (partner && (partner.hearthMode !== 'none' || partner.hearthUsed || partner.hearthInResponse)) {
      throw new Error('Cannot call `acceptWebSocket()` on this WebSocket because its pair has already been accepted or used in a Response.');
    }
    const list = [...new Set(Array.from(tags ?? [], (tag) => String(tag)))];
    if (list.length > MAX_TAGS) throw new Error('a Hibernatable WebSocket cannot have more than 10 tags');
    for (const tag of list) {
      if (new TextEncoder().encode(tag).length > MAX_TAG_BYTES) {
        throw new Error(`"${tag}" is longer than the max tag length (256 characters).`);
      }
    }
    if (this.#entries.size >= MAX_SOCKETS) throw new Error('only 32768 websockets can be accepted on a single Durable Object instance');
    const sid = `${Date.now().toString(36)}-${this.#nextSid++}-${Math.random().toString(36).slice(2, 8)}`;
    this.#entries.set(ws, { sid, tags: list, autoResponseAt: null });
    this.#bySid.set(sid, ws);
    ws.hibernate(this.#sink(sid));
  }

  getWebSockets(tag?: string): CfWebSocket[] {
    const all = [...this.#entries];
    const open = all.filter(([ws]) => ws.readyState !== CfWebSocket.CLOSED);
    return (tag === undefined ? open : open.filter(([, e]) => e.tags.includes(String(tag)))).map(([ws]) => ws);
  }

  getTags(ws: CfWebSocket): string[] {
    const entry = this.#entries.get(ws);
    if (entry) return [...entry.tags];
    if (ws instanceof CfWebSocket && ws.hearthMode === 'accepted') throw new Error('only hibernatable websockets can have tags.');
    throw new Error("you must call 'acceptWebSocket()' before attempting to access the tags of a WebSocket.");
  }

  setWebSocketAutoResponse(pair?: WebSocketRequestResponsePair): void {
    if (pair === undefined || pair === null) {
      this.#autoResponse = null;
    } else {
      if (!(pair instanceof WebSocketRequestResponsePair)) {
        throw new TypeError("Failed to execute 'setWebSocketAutoResponse': parameter 1 is not of type 'WebSocketRequestResponsePair'.");
      }
      const request = new TextEncoder().encode(pair.request).length;
      if (request > MAX_AUTO_RESPONSE_BYTES) {
        throw new RangeError(`Request cannot be larger than ${MAX_AUTO_RESPONSE_BYTES} bytes. A request of size ${request} was provided.`);
      }
      const response = new TextEncoder().encode(pair.response).length;
      if (response > MAX_AUTO_RESPONSE_BYTES) {
        throw new RangeError(`Response cannot be larger than ${MAX_AUTO_RESPONSE_BYTES} bytes. A response of size ${response} was provided.`);
      }
      this.#autoResponse = pair;
    }
    this.#sendSettings();
  }

  getWebSocketAutoResponse(): WebSocketRequestResponsePair | null {
    return this.#autoResponse;
  }

  getWebSocketAutoResponseTimestamp(ws: CfWebSocket): Date | null {
    const at = this.#entries.get(ws)?.autoResponseAt;
    return at === undefined || at === null ? null : new Date(at);
  }

  setHibernatableWebSocketEventTimeout(timeoutMs?: number): void {
    if (timeoutMs === undefined || timeoutMs === null || Number(timeoutMs) === 0) {
      this.#eventTimeoutMs = null;
    } else {
      const ms = Number(timeoutMs);
      if (!(ms >= 0)) {
        throw new TypeError('The value cannot be converted because it is negative and this API expects a positive number.');
      }
      if (ms > MAX_EVENT_TIMEOUT_MS) throw new Error(`Event timeout should not exceed ${MAX_EVENT_TIMEOUT_MS} ms.`);
      this.#eventTimeoutMs = Math.floor(ms);
    }
    this.#sendSettings();
  }

  getHibernatableWebSocketEventTimeout(): number | null {
    return this.#eventTimeoutMs;
  }

  /** The host kept a socket and saw something happen on it. */
  onHostEvent(sid: string, event: SocketEvent): void {
    const ws = this.#bySid.get(sid);
    if (!ws) return;
    if (event.kind === 'close') ws.noteClosed(event.readyState === CfWebSocket.CLOSING ? 'received' : 'closed');
    this.#deliver(ws, event);
    if (ws.readyState === CfWebSocket.CLOSED) this.#forget(ws);
  }

  /** The host answered an auto-response. */
  onAutoResponse(sid: string, at: number): void {
    const ws = this.#bySid.get(sid);
    const entry = ws && this.#entries.get(ws);
    if (entry) entry.autoResponseAt = at;
  }

  #forget(ws: CfWebSocket): void {
    const entry = this.#entries.get(ws);
    if (!entry) return;
    this.#entries.delete(ws);
    this.#bySid.delete(entry.sid);
  }

  #sendSettings(): void {
    const pair = this.#autoResponse;
    this.#toHost({
      type: 'ws-settings',
      autoResponse: pair ? [pair.request, pair.response] : null,
      eventTimeoutMs: this.#eventTimeoutMs,
    });
  }

  #sink(sid: string): HibernationSink {
    return {
      send: (frame: SocketFrame) => {
        const ws = this.#bySid.get(sid);
        if (ws && this.#kept.has(sid)) {
          this.#toHost({ type: 'ws-send', sid, frame }, frame.t === 'm' && frame.d instanceof ArrayBuffer ? [frame.d] : []);
        } else if (ws) {
          // Not yet kept by the host (its partner has not crossed): deliver to the local partner.
          this.#localSend(ws, frame);
        }
        if (ws && frame.t === 'c' && ws.readyState === CfWebSocket.CLOSED) this.#forget(ws);
      },
      receive: (ws, frame) => {
        if (frame.t === 'm') this.#deliver(ws, { kind: 'message', data: frame.d });
        else if (frame.t === 'c') this.#deliver(ws, { kind: 'close', code: frame.code, reason: frame.reason, wasClean: true });
      },
      adopt: (ws, port) => {
        this.#kept.add(sid);
        const entry = this.#entries.get(ws);
        this.#toHost({ type: 'ws-adopt', sid, port, tags: entry?.tags ?? [] }, [port]);
        if (ws.hearthAttachment) this.#toHost({ type: 'ws-attach', sid, attachment: ws.hearthAttachment });
      },
      lost: (ws) => {
        this.#deliver(ws, { kind: 'close', code: 1006, reason: 'WebSocket disconnected without sending Close frame.', wasClean: false });
        this.#forget(ws);
      },
      attach: (_ws, attachment) => {
        if (this.#kept.has(sid)) this.#toHost({ type: 'ws-attach', sid, attachment });
      },
    };
  }

  /** A frame to a hibernatable socket's partner still in this worker (both halves local: tests, odd code). */
  #localSend(ws: CfWebSocket, frame: SocketFrame): void {
    ws.hearthPartner?.hearthDeliverLocal(frame);
  }
}
