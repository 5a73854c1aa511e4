/**
 * How the edge reaches objects: through an open page of the app.
 *
 * A service worker cannot create workers or connect to the coordinator, so it
 * asks a window client for a port (the page gets one from the coordinator,
 * exactly as it does for its own object workers). Pages that do not run Hearth
 * never answer, so each is given a moment to say it is on it (placing an
 * object can take longer) before the next is asked; a page that accepted but
 * dies before answering is passed over too. With no page that answers, there
 * is nowhere an object can live right now.
 *
 * A port has no close event, and a tab that dies cannot say so: the edge
 * learns it from the tab's Web Lock (`hostLockName(id)`, held for the tab's
 * life), which it requests and is granted only once the tab is gone. That
 * lock is never taken by anyone else, so waiting on it disturbs nothing.
 */
import { deserializeError } from '../errors.ts';
import { hostLockName } from '../names.ts';
import { objectKey, type EdgeResolveReply, type EdgeToPage, type ObjectAddress } from '../protocol.ts';
import { portEndpoint, type Resolution, type Resolver } from '../caller/object-connection.ts';

/** How long one page may take to accept a request before the next is asked. */
const PAGE_ANSWER_MS = 5_000;

export class NoHostPageError extends Error {
  override name = 'NoHostPageError';
  constructor() {
    super(
      'No page of this app is open to host Durable Objects: in Hearth, objects run in the tabs of the app. Open the app in a tab and try again.',
    );
  }
}

/** What the edge needs of a window client (the DOM lib does not declare service-worker types). */
export interface WindowClientLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
}

export class PageResolver implements Resolver {
  readonly #clients: () => Promise<readonly WindowClientLike[]>;
  readonly #lost: (key: string, epoch: number) => void;
  /** Instances reached through each host tab, to be marked lost when it dies. */
  readonly #byHost = new Map<string, { key: string; epoch: number }[]>();

  /** `lost`: an instance the edge holds a port to is gone (its tab died). */
  constructor(clients: () => Promise<readonly WindowClientLike[]>, lost: (key: string, epoch: number) => void) {
    this.#clients = clients;
    this.#lost = lost;
  }

  #watch(hostId: string, key: string, epoch: number): void {
    const instances = this.#byHost.get(hostId);
    if (instances) {
      instances.push({ key, epoch });
      return;
    }
    this.#byHost.set(hostId, [{ key, epoch }]);
    void navigator.locks.request(hostLockName(hostId), async () => {
      const gone = this.#byHost.get(hostId) ?? [];
      this.#byHost.delete(hostId);
      for (const instance of gone) this.#lost(instance.key, instance.epoch);
    });
  }

  async resolve(address: ObjectAddress, staleEpoch?: number): Promise<Resolution> {
    for (const client of await this.#clients()) {
      const reply = await ask(client, { type: 'hearth:edge-resolve', address, ...(staleEpoch !== undefined ? { staleEpoch } : {}) });
      if (!reply) continue;
      if (reply.type === 'failed') throw deserializeError(reply.error);
      this.#watch(reply.hostId, objectKey(address), reply.epoch);
      return { epoch: reply.epoch, endpoint: portEndpoint(reply.port) };
    }
    throw new NoHostPageError();
  }
}

/** Ask one page; undefined if it does not accept in time, or dies before it answers. */
function ask(client: WindowClientLike, message: EdgeToPage): Promise<Exclude<EdgeResolveReply, { type: 'accepted' }> | undefined> {
  const channel = new MessageChannel();
  const pageDied = new AbortController();
  return new Promise((resolve) => {
    const done = (answer: Exclude<EdgeResolveReply, { type: 'accepted' }> | undefined) => {
      clearTimeout(timer);
      pageDied.abort();
      channel.port1.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), PAGE_ANSWER_MS);
    channel.port1.onmessage = (event: MessageEvent<EdgeResolveReply>) => {
      const reply = event.data;
      if (reply.type !== 'accepted') return done(reply);
      clearTimeout(timer);
      // Granted only once that page is gone (it holds its host lock for life).
      navigator.locks
        .request(hostLockName(reply.hostId), { signal: pageDied.signal }, async () => done(undefined))
        .catch(() => {});
    };
    client.postMessage(message, [channel.port2]);
  });
}
