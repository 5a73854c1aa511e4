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
  await Promise.race([controlled, failed]);
}
