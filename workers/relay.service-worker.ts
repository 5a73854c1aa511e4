/**
 * The relay service worker of the leader-tab coordinator (host/leader-tab.ts):
 * passes a tab's port to the leader tab. Nothing else: it controls no page
 * (its scope is a folder no page lives in) and answers no fetch.
 *
 * Which tab leads: the leader says so (`hearth:leader-here`, naming its
 * coordinator's liveness lock), and the relay believes it only while that lock
 * is held (`navigator.locks.query()` shows held lock names; the `clientId` it
 * shows is not a `Client.id` in Chromium, so it cannot name the tab). With no
 * believable leader — a restarted relay that forgot, or a leader that just
 * died — it asks every tab (`hearth:who-leads`) and waits. After 10 s it drops
 * the port; the tab, never welcomed, connects again (coordinator-link.ts).
 *
 * Self-contained on purpose — no imports but types — so the file works as it
 * is when an app's bundler copies it as an asset.
 */
import type { RelayMessage } from '../src/protocol.ts';

interface Client {
  readonly id: string;
  postMessage(message: RelayMessage, transfer?: Transferable[]): void;
}
interface RelayScope {
  addEventListener(type: 'install', listener: (event: { waitUntil(p: Promise<unknown>): void }) => void): void;
  addEventListener(
    type: 'message',
    listener: (event: { data: unknown; ports: readonly MessagePort[]; source: Client | null; waitUntil(p: Promise<unknown>): void }) => void,
  ): void;
  skipWaiting(): Promise<void>;
  clients: { get(id: string): Promise<Client | undefined>; matchAll(options: object): Promise<Client[]> };
}
const scope = globalThis as unknown as RelayScope;

const GIVE_UP_MS = 10_000;
const ASK_AGAIN_MS = 250;

/** The tab that last said it leads, and the lock that proves it still does. */
let leader: { clientId: string; lock: string } | undefined;

scope.addEventListener('install', (event) => event.waitUntil(scope.skipWaiting()));

// A service worker hears only its own origin's clients.
scope.addEventListener('message', (event) => {
  const data = event.data as RelayMessage | null;
  if (data?.type === 'hearth:leader-here' && typeof data.lock === 'string' && event.source) {
    leader = { clientId: event.source.id, lock: data.lock };
    return;
  }
  const port = event.ports[0];
  if (data?.type === 'hearth:coordinator-connect' && port) event.waitUntil(deliver(port));
});

async function deliver(port: MessagePort): Promise<void> {
  const deadline = Date.now() + GIVE_UP_MS;
  let asked = 0;
  while (Date.now() < deadline) {
    const client = await currentLeader();
    if (client) {
      client.postMessage({ type: 'hearth:coordinator-connect' }, [port]);
      return;
    }
    if (Date.now() - asked > ASK_AGAIN_MS) {
      asked = Date.now();
      for (const tab of await scope.clients.matchAll({ includeUncontrolled: true, type: 'window' })) tab.postMessage({ type: 'hearth:who-leads' });
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  port.close();
}

async function currentLeader(): Promise<Client | undefined> {
  if (!leader) return undefined;
  const { held = [] } = await navigator.locks.query();
  if (!held.some((l) => l.name === leader!.lock)) return undefined;
  return scope.clients.get(leader.clientId);
}
