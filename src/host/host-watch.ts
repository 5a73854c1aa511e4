/**
 * Learns that another tab died from its host lock (`hostLockName` in names.ts,
 * held for the tab's whole life): a queued request for it is granted only
 * then. Callers in this tab use it for the instances they hold ports to, so
 * they hear of the death even when no coordinator is alive to tell them (the
 * coordinator may have died in the same crash). One lock request per host,
 * however many instances it ran; `lost` notices may then come twice (here and
 * from the coordinator), and their receivers treat a second one as done.
 */
import { hostLockName } from '../names.ts';

export class HostWatch {
  readonly #watching = new Map<string, (() => void)[]>();
  readonly #abort = new AbortController();

  /** Call `gone` once the tab `hostId` has died. */
  watch(hostId: string, gone: () => void): void {
    const listeners = this.#watching.get(hostId);
    if (listeners) {
      listeners.push(gone);
      return;
    }
    this.#watching.set(hostId, [gone]);
    navigator.locks
      .request(hostLockName(hostId), { signal: this.#abort.signal }, () => {
        const all = this.#watching.get(hostId) ?? [];
        this.#watching.delete(hostId);
        for (const listener of all) listener();
        // Returning releases the lock at once: a dead tab's id is never used again.
      })
      .catch(() => {}); // aborted on close
  }

  close(): void {
    this.#abort.abort();
    this.#watching.clear();
  }
}
