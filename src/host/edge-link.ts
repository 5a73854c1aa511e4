/**
 * The page's side of the edge: registers the app's service worker, waits
 * until it controls this page (so the app's very first `fetch('/api/…')` is
 * already answered by its Worker), and answers the edge's requests for ports
 * to objects.
 */
import { serializeError, type SerializedError } from '../errors.ts';
import type { EdgeResolveReply, EdgeToPage, ObjectAddress, PageToEdge } from '../protocol.ts';

export interface EdgeLink {
  /** Tell the edge an object instance is gone (the coordinator's `lost`). */
  lost(message: Extract<PageToEdge, { type: 'hearth:lost' }>): void;
  close(): void;
}

export type PortFor = (address: ObjectAddress, staleEpoch?: number) => Promise<{ epoch: number; port: MessagePort; hostId: string }>;

export async function linkEdge(url: string, scope: string, hostId: string, portFor: PortFor): Promise<EdgeLink> {
  const container = navigator.serviceWorker;
  if (!container) {
    throw new Error(
      'Hearth cannot start its edge: service workers are unavailable here (they need a secure context: https or localhost).',
    );
  }
  const onMessage = (event: MessageEvent) => {
    if (event.origin !== location.origin) return;
    const message = event.data as EdgeToPage;
    const reply = event.ports[0];
    if (message?.type !== 'hearth:edge-resolve' || !reply) return;
    reply.postMessage({ type: 'accepted', hostId } satisfies EdgeResolveReply);
    portFor(message.address, message.staleEpoch).then(
      (resolved) => reply.postMessage({ type: 'resolved', ...resolved } satisfies EdgeResolveReply, [resolved.port]),
      (error: unknown) =>
        reply.postMessage({
          type: 'failed',
          error: error instanceof Error ? serializeError(error) : (error as SerializedError),
        } satisfies EdgeResolveReply),
    );
  };
  container.addEventListener('message', onMessage);
  container.startMessages();

  const registration = await container.register(url, { type: 'module', scope });
  await whenControlled(container, registration, new URL(url, location.href).href);
  return {
    lost: (message) => container.controller?.postMessage(message),
    close: () => container.removeEventListener('message', onMessage),
  };
}

/**
 * Resolves once this page is controlled by the edge script at `scriptUrl`. A
 * page already controlled by an edge with another script URL (other
 * `start({ hearth })` settings, another dev version) waits for the new one,
 * which claims it on activation: until then, the old edge would answer with
 * the old routes.
 */
async function whenControlled(
  container: ServiceWorkerContainer,
  registration: ServiceWorkerRegistration,
  scriptUrl: string,
): Promise<void> {
  const ours = () => container.controller?.scriptURL === scriptUrl;
  if (ours()) return;
  const controlled = new Promise<void>((resolve) => {
    const onChange = () => {
      if (!ours()) return;
      container.removeEventListener('controllerchange', onChange);
      resolve();
    };
    container.addEventListener('controllerchange', onChange);
  });
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  const failed = new Promise<never>((_, reject) => {
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'redundant') {
        reject(new Error('The Hearth edge service worker failed to install; the console of the service worker says why.'));
      }
    });
  });
  // An active edge does not control a page loaded with a hard reload: ask it to claim this one.
  if (registration.active) registration.active.postMessage({ type: 'hearth:claim' } satisfies PageToEdge);
  // A new edge that called skipWaiting() while the one it replaces was busy should activate once that one is idle.
  // Chromium can miss that moment and leave it waiting for minutes, and this page uncontrolled and starting (seen
  // in about one dev-server reload in twenty under load). Each skipWaiting() runs the activation attempt again.
  // One left waiting even so fails the start with a reason instead of hanging it (installing, which may download
  // a precache, is not timed).
  let nudge: ReturnType<typeof setInterval> | undefined;
  const stuck = new Promise<never>((_, reject) => {
    let waitingSince: number | undefined;
    nudge = setInterval(() => {
      const waiting = registration.waiting;
      if (waiting?.scriptURL !== scriptUrl) return;
      waitingSince ??= Date.now();
      if (Date.now() - waitingSince < WAITING_TIMEOUT_MS) {
        waiting.postMessage({ type: 'hearth:skip-waiting' } satisfies PageToEdge);
        return;
      }
      reject(
        new Error(
          `The Hearth edge service worker (${scriptUrl}) was installed but has waited ${WAITING_TIMEOUT_MS / 1000} s to take over from the one it replaces, which is still answering a request (from this or another tab of the app); start again once that request has ended.`,
        ),
      );
    }, NUDGE_MS);
  });
  try {
    await Promise.race([controlled, failed, stuck]);
  } finally {
    clearInterval(nudge);
  }
}

/** How often a page waiting for a new edge asks it to stop waiting (see `whenControlled`). */
const NUDGE_MS = 1000;
/** How long a new edge may sit installed and waiting before `start()` fails instead of hanging. */
const WAITING_TIMEOUT_MS = 30_000;
