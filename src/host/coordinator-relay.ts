/**
 * The way from a tab to the relay service worker of the leader-tab
 * coordinator (workers/relay.service-worker.ts), which hands a port to
 * whichever tab leads. Used by every tab of the app (host/leader-tab.ts) and
 * by the devtools page, which reaches the leader the same way but never
 * stands for election itself.
 *
 * Registering the relay with the same script URL and scope as the app's tabs
 * is a no-op when it is already there, so the devtools page never replaces it.
 */
import { RELAY_SCOPE } from '../names.ts';
import type { RelayMessage } from '../protocol.ts';

export class CoordinatorRelay {
  readonly #registration: Promise<ServiceWorkerRegistration>;

  constructor(relayUrl: URL) {
    this.#registration = navigator.serviceWorker.register(relayUrl, { type: 'module', scope: new URL(RELAY_SCOPE, relayUrl).href });
  }

  /** Give `port` to the current leader; the relay waits for one a while, then drops it (the link then connects again). */
  connect(port: MessagePort): void {
    void this.post({ type: 'hearth:coordinator-connect' }, [port]).catch(
      // Never welcomed: the link asks again (coordinator-link.ts), so this is only worth a line in the log.
      (error: unknown) => console.warn('[hearth] the coordinator relay service worker is not available', error),
    );
  }

  async post(message: RelayMessage, transfer: Transferable[] = []): Promise<void> {
    (await this.#worker()).postMessage(message, transfer);
  }

  async #worker(): Promise<ServiceWorker> {
    const registration = await this.#registration;
    if (registration.active) return registration.active;
    const worker = (registration.installing ?? registration.waiting)!;
    await new Promise<void>((activated) => {
      const check = () => worker.state === 'activated' && activated();
      worker.addEventListener('statechange', check);
      check();
    });
    return registration.active ?? worker;
  }
}
