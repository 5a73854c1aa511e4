/**
 * The opt-in that lets unmodified client code (`new WebSocket('/api/room')`,
 * PartySocket and the like) reach the app's Worker: the page's global
 * `WebSocket` becomes one that sends same-origin URLs under `hearth.routes`
 * to `PageWebSocket`, and every other URL to the browser's own WebSocket.
 * `instanceof WebSocket` holds for both. Returns a function that undoes it.
 */
import { compileRoutes } from '../routes.ts';
import { PageWebSocket } from './page-websocket.ts';

export function patchGlobalWebSocket(runtime: { config: { routes: string[] } }): () => void {
  const Native = globalThis.WebSocket;
  const inRoutes = compileRoutes(runtime.config.routes);
  const reachesWorker = (input: string | URL): boolean => {
    const url = URL.parse(String(input), location.href);
    if (!url) return false;
    const http = url.protocol === 'ws:' ? 'http:' : url.protocol === 'wss:' ? 'https:' : url.protocol;
    return `${http}//${url.host}` === location.origin && inRoutes(url.pathname);
  };
  function WebSocket(this: unknown, url: string | URL, protocols?: string | string[]): object {
    if (!new.target) throw new TypeError("Failed to construct 'WebSocket': Please use the 'new' operator.");
    return reachesWorker(url) ? new PageWebSocket(url, protocols) : new Native(url, protocols);
  }
  Object.assign(WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  Object.defineProperty(WebSocket, Symbol.hasInstance, {
    value: (value: unknown) => value instanceof Native || value instanceof PageWebSocket,
  });
  WebSocket.prototype = Native.prototype;
  globalThis.WebSocket = WebSocket as unknown as typeof globalThis.WebSocket;
  return () => {
    if (globalThis.WebSocket === (WebSocket as unknown)) globalThis.WebSocket = Native;
  };
}
