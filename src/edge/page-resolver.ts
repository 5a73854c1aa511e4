/**
 * How the edge reaches objects: through an open page of the app.
 *
 * A service worker cannot create workers or connect to the coordinator, so it
 * asks a window client for a port (the page gets one from the coordinator,
 * exactly as it does for its own object workers). Pages that do not run Hearth
 * never answer, so each is given a moment before the next is asked; with no
 * page that answers, there is nowhere an object can live right now.
 */
import { deserializeError } from '../errors.ts';
import type { EdgeResolveReply, EdgeToPage, ObjectAddress } from '../protocol.ts';
import { portEndpoint, type Resolution, type Resolver } from '../client/object-connection.ts';

/** How long one page may take to answer before the next is asked. */
const PAGE_ANSWER_MS = 5_000;

export class NoHostPageError extends Error {
  override name = 'NoHostPageError';
  constructor() {
    super(
      'No page of this app is open to host Durable Objects: in Hearth, objects run in the tabs of the app. Open the app in a tab and try again.',
    );
  }
}

interface WindowClientLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
}

export class PageResolver implements Resolver {
  readonly #clients: () => Promise<readonly WindowClientLike[]>;

  constructor(clients: () => Promise<readonly WindowClientLike[]>) {
    this.#clients = clients;
  }

  async resolve(address: ObjectAddress, staleEpoch?: number): Promise<Resolution> {
    for (const client of await this.#clients()) {
      const reply = await ask(client, { type: 'hearth:edge-resolve', address, ...(staleEpoch !== undefined ? { staleEpoch } : {}) });
      if (!reply) continue;
      if (!reply.ok) throw deserializeError(reply.error);
      return { epoch: reply.epoch, endpoint: portEndpoint(reply.port) };
    }
    throw new NoHostPageError();
  }
}

function ask(client: WindowClientLike, message: EdgeToPage): Promise<EdgeResolveReply | undefined> {
  const channel = new MessageChannel();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      channel.port1.close();
      resolve(undefined);
    }, PAGE_ANSWER_MS);
    channel.port1.onmessage = (event: MessageEvent<EdgeResolveReply>) => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(event.data);
    };
    client.postMessage(message, [channel.port2]);
  });
}
