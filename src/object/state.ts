/**
 * `ctx` — the `DurableObjectState` handed to an object's constructor.
 */
import type { DurableObjectId } from '../object-id.ts';
import type { InputGate } from './input-gate.ts';
import type { DurableObjectStorage } from './storage.ts';
import type { WebSocketHibernation } from '../websocket/hibernation.ts';
import type { CfWebSocket } from '../websocket/cf-websocket.ts';
import type { WebSocketRequestResponsePair } from '../websocket/websocket-pair.ts';

export interface StateHooks {
  inputGate: InputGate;
  /** The Hibernation API (websocket/hibernation.ts). */
  webSockets: WebSocketHibernation;
  /** Keep the object from being evicted until `promise` settles. */
  keepAlive(promise: Promise<unknown>): void;
  abort(reason?: string): never;
}

export class DurableObjectState {
  readonly id: DurableObjectId;
  readonly storage: DurableObjectStorage;
  readonly props: Record<string, unknown> = {};
  readonly #hooks: StateHooks;

  constructor(id: DurableObjectId, storage: DurableObjectStorage, hooks: StateHooks) {
    this.id = id;
    this.storage = storage;
    this.#hooks = hooks;
  }

  waitUntil(promise: Promise<unknown>): void {
    this.#hooks.keepAlive(Promise.resolve(promise));
  }

  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T> {
    return this.#hooks.inputGate.blockConcurrencyWhile(callback);
  }

  abort(reason?: string): never {
    return this.#hooks.abort(reason);
  }

  // The WebSocket Hibernation API (DO-API §8.2): see websocket/hibernation.ts.
  acceptWebSocket(ws: CfWebSocket, tags?: string[]): void {
    this.#hooks.webSockets.acceptWebSocket(ws, tags);
  }
  getWebSockets(tag?: string): CfWebSocket[] {
    return this.#hooks.webSockets.getWebSockets(tag);
  }
  getTags(ws: CfWebSocket): string[] {
    return this.#hooks.webSockets.getTags(ws);
  }
  setWebSocketAutoResponse(pair?: WebSocketRequestResponsePair): void {
    this.#hooks.webSockets.setWebSocketAutoResponse(pair);
  }
  getWebSocketAutoResponse(): WebSocketRequestResponsePair | null {
    return this.#hooks.webSockets.getWebSocketAutoResponse();
  }
  getWebSocketAutoResponseTimestamp(ws: CfWebSocket): Date | null {
    return this.#hooks.webSockets.getWebSocketAutoResponseTimestamp(ws);
  }
  setHibernatableWebSocketEventTimeout(timeoutMs?: number): void {
    this.#hooks.webSockets.setHibernatableWebSocketEventTimeout(timeoutMs);
  }
  getHibernatableWebSocketEventTimeout(): number | null {
    return this.#hooks.webSockets.getHibernatableWebSocketEventTimeout();
  }
}
