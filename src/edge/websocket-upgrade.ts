/**
 * The edge's half of `new runtime.WebSocket(url)` (see
 * websocket/page-websocket.ts): run the Worker's `fetch` for the upgrade
 * request a page cannot send through a service worker, and answer with the
 * port of the socket's other end.
 *
 * When the Worker returns an object's socket (`return stub.fetch(request)`),
 * that socket's own port is handed on, untouched: frames then flow between
 * the page and the object's host directly, and stopping this service worker
 * drops nothing. A socket the Worker made itself (its own `WebSocketPair`)
 * lives in this service worker and ends when the browser stops it.
 */
import type { EdgeUpgradeReply, WireRequest } from '../protocol.ts';
import { wireToRequest } from '../wire/http.ts';
import { webSocketOf } from '../websocket/upgrade-response.ts';

/** A base64 nonce, as a browser sends in `Sec-WebSocket-Key`. */
function webSocketKey(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/** The request a browser would send for `new WebSocket(url, protocols)` (ws: becomes http:, as workerd sees it). */
export function upgradeRequest(url: string, protocols: string[], origin: string): Request {
  const headers: [string, string][] = [
    ['upgrade', 'websocket'],
    ['connection', 'Upgrade'],
    ['sec-websocket-version', '13'],
    ['sec-websocket-key', webSocketKey()],
    ['origin', origin],
  ];
  if (protocols.length) headers.push(['sec-websocket-protocol', protocols.join(', ')]);
  const wire: WireRequest = { method: 'GET', url, headers, body: null };
  return wireToRequest(wire);
}

/** Turn the Worker's answer into the reply the page waits for. */
export async function upgradeReply(response: Response): Promise<{ reply: EdgeUpgradeReply; transfer: Transferable[] }> {
  const webSocket = response.status === 101 ? webSocketOf(response) : null;
  if (!webSocket) {
    const text = await response.text().catch(() => '');
    return { reply: { type: 'refused', status: response.status, message: text.slice(0, 500) }, transfer: [] };
  }
  try {
    const port = webSocket.detachForResponse();
    const reply: EdgeUpgradeReply = {
      type: 'open',
      port,
      protocol: response.headers.get('sec-websocket-protocol') ?? '',
      extensions: '',
    };
    return { reply, transfer: [port] };
  } catch (error) {
    return { reply: { type: 'refused', status: 500, message: (error as Error).message }, transfer: [] };
  }
}
