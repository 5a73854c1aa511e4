/**
 * `WebSocketPair` and `WebSocketRequestResponsePair`, the globals workerd
 * gives Workers and Durable Objects.
 *
 * `new WebSocketPair()` has own properties `0` (the client end, to return in
 * a 101 Response) and `1` (the server end, to `accept()` or hand to
 * `ctx.acceptWebSocket()`), so `Object.values(pair)` gives `[client, server]`.
 */
import { CfWebSocket } from './cf-websocket.ts';

export class WebSocketPair {
  0: CfWebSocket;
  1: CfWebSocket;
  constructor() {
    const [client, server] = CfWebSocket.pair();
    this[0] = client;
    this[1] = server;
  }
}

/** The auto-response setting: a text message `request` answered with `response` without waking the object. */
export class WebSocketRequestResponsePair {
  readonly #request: string;
  readonly #response: string;
  constructor(request: string, response: string) {
    if (arguments.length < 2) {
      throw new TypeError("Failed to construct 'WebSocketRequestResponsePair': 2 arguments required.");
    }
    this.#request = String(request);
    this.#response = String(response);
  }
  get request(): string {
    return this.#request;
  }
  get response(): string {
    return this.#response;
  }
}

/** Install the globals in an object worker or the edge, as workerd defines them. */
export function installWebSocketGlobals(scope: Record<string, unknown>): void {
  scope.WebSocketPair = WebSocketPair;
  scope.WebSocketRequestResponsePair = WebSocketRequestResponsePair;
}
