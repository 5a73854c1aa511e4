/**
 * The edge: what a service worker does for a Hearth app.
 *
 * For requests to the configured routes it runs the app's Worker, whose `env`
 * stubs reach objects over direct ports that open pages hand over (see
 * `PageResolver`). Everything else goes to the network, or — in a build — to
 * the precache when offline. The service worker may be stopped whenever it is
 * idle: nothing here is the only copy of anything, and connections are
 * rebuilt on demand by the next instance.
 */
import type { AppVersion, PageToEdge } from '../protocol.ts';
import { withHearthSettings } from '../config.ts';
import type { NormalizedConfig } from '../config-record.ts';
import { EDGE_SETTINGS_PARAM } from '../names.ts';
import { compileRoutes } from '../routes.ts';
import { createEnv } from '../caller/env.ts';
import { edgeRequest } from './request-cf.ts';
import { provideWaitUntil, provideWorkersEnv } from '../workers-api/context.ts';
import { deserializeError } from '../errors.ts';
import { ConnectionPool } from '../caller/connection-pool.ts';
import { PageResolver, type WindowClientLike } from './page-resolver.ts';
import { Precache } from './precache.ts';
import { runWorker } from './worker-handler.ts';
import { upgradeReply, upgradeRequest } from './websocket-upgrade.ts';
import { trackBufferedRequests, trackBufferedResponses } from '../wire/http.ts';
import { installWebSocketGlobals } from '../websocket/websocket-pair.ts';
import { socketContext } from '../websocket/socket-context.ts';
import { captureEdgeConsole } from './edge-console.ts';

export interface EdgeOptions {
  app: Record<string, unknown> | null;
  /** The plugin's normalised record; the page's `start({ hearth })` overrides arrive in the script's URL. */
  config: NormalizedConfig;
  configPath: string;
  version: AppVersion;
  scope: string;
  precache: readonly string[];
}

interface ServiceWorkerScope {
  location: Location;
  clients: {
    matchAll(options: { type: 'window' }): Promise<readonly WindowClientLike[]>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: string, listener: (event: any) => void): void;
}
/** The parts of the service-worker events used here (the DOM lib does not declare them). */
interface ExtendableEvent {
  waitUntil(promise: Promise<unknown>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
  origin: string;
  data: unknown;
  ports: readonly MessagePort[];
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}

export function serveEdge(scope: ServiceWorkerScope, options: EdgeOptions): void {
  const config = withHearthSettings(options.config, settingsFromScriptUrl(scope.location), options.configPath);
  // The Worker's console, for the devtools' Logs panel (tagged `edge`).
  captureEdgeConsole(scope.location.origin, config);
  const inRoutes = compileRoutes(config.routes);
  const scopePath = new URL(options.scope, scope.location.href).pathname;
  const precache = new Precache(options.version.id, options.precache, scopePath);
  const resolver = new PageResolver(
    () => scope.clients.matchAll({ type: 'window' }),
    (key, epoch) => pool.lost(key, epoch),
  );
  const pool = new ConnectionPool(resolver);
  const env = createEnv(config, pool);
  const defaultExport = options.app?.default;
  // `import { env, waitUntil } from 'cloudflare:workers'`: this env; waitUntil extends a fetch event still running.
  provideWorkersEnv(env);
  const liveEvents = new Set<FetchEvent>();
  provideWaitUntil((promise) => {
    for (const event of liveEvents) {
      try {
        event.waitUntil(promise);
        return;
      } catch {
        liveEvents.delete(event); // its lifetime ended: try the next one
      }
    }
  });
  // What a Worker uses for WebSockets: `WebSocketPair`, and `new Response(null, { status: 101, webSocket })`.
  trackBufferedResponses(globalThis as unknown as { Response: typeof Response });
  trackBufferedRequests(globalThis as unknown as { Request: typeof Request });
  installWebSocketGlobals(globalThis as unknown as Record<string, unknown>);
  socketContext.compatibilityDate = config.compatibilityDate;

  scope.addEventListener('install', (event: ExtendableEvent) => {
    event.waitUntil(precache.install().then(() => scope.skipWaiting()));
  });
  scope.addEventListener('activate', (event: ExtendableEvent) => {
    event.waitUntil(precache.activate().then(() => scope.clients.claim()));
  });
  scope.addEventListener('message', (event: ExtendableMessageEvent) => {
    if (event.origin !== scope.location.origin) return;
    const message = event.data as PageToEdge;
    if (message?.type === 'hearth:lost') {
      pool.lost(message.key, message.epoch, message.error && deserializeError(message.error));
    } else if (message?.type === 'hearth:claim') {
      event.waitUntil(scope.clients.claim());
    } else if (message?.type === 'hearth:skip-waiting') {
      event.waitUntil(scope.skipWaiting());
    } else if (message?.type === 'hearth:ws-connect' && event.ports[0]) {
      event.waitUntil(connectWebSocket(message.url, message.protocols, event.ports[0]));
    }
  });
  /** `new runtime.WebSocket(url)` on a page: run the Worker's fetch for the upgrade, answer with the socket's port. */
  async function connectWebSocket(url: string, protocols: string[], reply: MessagePort): Promise<void> {
    const target = URL.parse(url);
    if (!target || target.origin !== scope.location.origin || !inRoutes(target.pathname)) {
      reply.postMessage({ type: 'refused', status: 404, message: `${url} is not under this app's hearth.routes.` });
      return;
    }
    const response = await runWorker(defaultExport, {
      request: edgeRequest(upgradeRequest(target.href, protocols, scope.location.origin)),
      env,
      waitUntil: () => {},
      passThrough: async () => new Response('A WebSocket cannot be passed through to the network.', { status: 502 }),
    });
    const { reply: answer, transfer } = await upgradeReply(response);
    reply.postMessage(answer, transfer);
  }

  scope.addEventListener('fetch', (event: FetchEvent) => {
    const url = new URL(event.request.url);
    if (url.origin === scope.location.origin && inRoutes(url.pathname)) {
      liveEvents.add(event);
      const response = runWorker(defaultExport, {
        request: edgeRequest(event.request),
        env,
        waitUntil: (promise) => event.waitUntil(promise),
        passThrough: (request) => fetch(request),
      });
      event.respondWith(response);
      event.waitUntil(response.finally(() => liveEvents.delete(event)));
      return;
    }
    if (url.origin !== scope.location.origin) return;
    const offline = precache.respond(event.request, url);
    if (offline) event.respondWith(offline);
  });
}

/** `start({ hearth })` overrides, which the page put in this script's URL (see host/runtime.ts). */
function settingsFromScriptUrl(location: Location): Record<string, unknown> | undefined {
  const text = new URL(location.href).searchParams.get(EDGE_SETTINGS_PARAM);
  return text === null ? undefined : (JSON.parse(text) as Record<string, unknown>);
}
