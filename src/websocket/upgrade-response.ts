/**
 * `new Response(null, { status: 101, webSocket })`: a browser's `Response`
 * refuses status 101, so an upgrade response is built with 200 and then
 * shows 101 and carries the socket, as in workerd. Crossing contexts (the
 * object's reply, the edge's answer to a page) the socket travels as its own
 * transferred `MessagePort` (`CfWebSocket.detachForResponse`).
 */
import { CfWebSocket } from './cf-websocket.ts';

const sockets = new WeakMap<Response, CfWebSocket>();

export type UpgradeInit = ResponseInit & { webSocket?: unknown };

/** Checks workerd makes in the Response constructor; returns the init the browser accepts. */
export function upgradeInit(init: UpgradeInit | undefined): ResponseInit | undefined {
  const webSocket = init?.webSocket;
  if (webSocket !== undefined && webSocket !== null) {
    if (!(webSocket instanceof CfWebSocket)) throw new TypeError("Failed to construct 'Response': webSocket is not a WebSocket.");
    if (init!.status !== 101) throw new RangeError('Responses with a WebSocket must have status code 101.');
    return { ...init, status: 200 };
  }
  if (init?.status === 101) {
    throw new RangeError('Responses may only be constructed with status codes in the range 200 to 599, inclusive.');
  }
  return init;
}

/** Make `response` (built by `upgradeInit`'s init) the 101 that carries `webSocket`. */
export function markUpgrade(response: Response, init: UpgradeInit | undefined): void {
  const webSocket = init?.webSocket;
  if (!(webSocket instanceof CfWebSocket)) return;
  sockets.set(response, webSocket);
  webSocket.hearthInResponse = true;
  Object.defineProperty(response, 'webSocket', { value: webSocket });
  Object.defineProperty(response, 'status', { value: 101 });
  Object.defineProperty(response, 'ok', { value: false });
  Object.defineProperty(response, 'statusText', { value: init?.statusText || 'Switching Protocols' });
}

/** The socket a 101 response carries, or null (workerd's `response.webSocket`). */
export function webSocketOf(response: Response): CfWebSocket | null {
  return sockets.get(response) ?? null;
}

/** A 101 response rebuilt on the caller's side around the port its socket came over. */
export function upgradeFromPort(port: MessagePort, headers: [string, string][], statusText: string, NativeResponse: typeof Response): Response {
  const webSocket = CfWebSocket.overPort(port);
  const init: UpgradeInit = { status: 101, statusText, headers, webSocket };
  const response = new NativeResponse(null, { ...init, status: 200 });
  markUpgrade(response, init);
  return response;
}

