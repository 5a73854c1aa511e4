/**
 * WebSocket events for the Hibernation API: `webSocketMessage`,
 * `webSocketClose` and `webSocketError` on the object, each run as an event
 * of its own through the input gate (`run`), like a request.
 *
 * - Per socket, one event finishes before the next starts (workerd's read
 *   loop awaits each handler); different sockets interleave as requests do.
 * - Binary messages arrive as ArrayBuffers whatever `binaryType` says.
 * - `setHibernatableWebSocketEventTimeout` caps each handler: past it the
 *   object is reset with workerd's text.
 * - A handler that throws is reported; as on Cloudflare it does not reset the object.
 */
import type { SocketEvent } from '../../protocol.ts';
import type { CfWebSocket } from '../../websocket/cf-websocket.ts';

export const EVENT_TIMEOUT_TEXT = 'Actor exceeded event execution time and was disconnected.';

type Instance = Record<string, unknown>;

export interface SocketEventHooks {
  /** Run `fn` as one event: admitted by the input gate, counted in flight, on the constructed object. */
  run(fn: (instance: Instance) => Promise<unknown>): Promise<void>;
  eventTimeoutMs(): number | null;
  /** The timeout passed: reset the object. */
  timedOut(error: Error): void;
}

export class SocketEvents {
  readonly #hooks: SocketEventHooks;
  readonly #chains = new WeakMap<CfWebSocket, Promise<void>>();

  constructor(hooks: SocketEventHooks) {
    this.#hooks = hooks;
  }

  deliver(ws: CfWebSocket, event: SocketEvent): void {
    const previous = this.#chains.get(ws) ?? Promise.resolve();
    const next = previous.then(() => this.#hooks.run((instance) => this.#call(instance, ws, event)));
    this.#chains.set(ws, next.catch(() => {}));
  }

  async #call(instance: Instance, ws: CfWebSocket, event: SocketEvent): Promise<void> {
    let name: string;
    let args: unknown[];
    switch (event.kind) {
      case 'message':
        [name, args] = ['webSocketMessage', [ws, event.data]];
        break;
      case 'close':
        [name, args] = ['webSocketClose', [ws, event.code, event.reason, event.wasClean]];
        break;
      case 'error':
        [name, args] = ['webSocketError', [ws, new Error(event.message)]];
        break;
    }
    const handler = instance[name];
    if (typeof handler !== 'function') return;
    const call = Promise.resolve().then(() => (handler as (...a: unknown[]) => unknown).apply(instance, args));
    const timeoutMs = this.#hooks.eventTimeoutMs();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit =
      timeoutMs === null
        ? undefined
        : new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(Object.assign(new Error(EVENT_TIMEOUT_TEXT), { durableObjectReset: true })), timeoutMs);
          });
    try {
      await (limit ? Promise.race([call, limit]) : call);
    } catch (error) {
      if ((error as Error)?.message === EVENT_TIMEOUT_TEXT) {
        this.#hooks.timedOut(error as Error);
        return;
      }
      console.error(`[hearth] ${name} threw:`, error);
    } finally {
      clearTimeout(timer);
    }
  }
}
