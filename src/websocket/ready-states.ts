/**
 * The WebSocket ready states, as the standard puts them: constants on the
 * class and on every instance. Both of Hearth's WebSockets — the object's
 * end (`cf-websocket.ts`) and the page's (`page-websocket.ts`) — extend this,
 * so `ws.OPEN` and `WebSocket.OPEN` read the same on either.
 */
export class WebSocketReadyStates extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
}
