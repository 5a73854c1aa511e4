/**
 * What the gates of this tab's objects did (`runtime.observe()`), kept for
 * the lessons' checks. It follows each deploy to the new runtime. Only objects
 * this tab hosts are observed — the lessons call from this tab, and an object
 * is placed on the tab that first calls it.
 */
import type { GateEvent, Runtime } from '../src/index.ts';

export interface GateRecord {
  /** `<namespaceKey>:<id>`. */
  key: string;
  event: GateEvent;
}

export class GateFeed {
  readonly records: GateRecord[] = [];
  readonly #listeners = new Set<() => void>();
  #stop: (() => void) | undefined;

  follow(runtime: Runtime): void {
    this.#stop?.();
    this.#stop = runtime.observe(({ key, event }) => {
      this.records.push({ key, event });
      if (this.records.length > 20_000) this.records.splice(0, this.records.length - 20_000);
      for (const listener of this.#listeners) listener();
    });
  }

  clear(): void {
    this.records.length = 0;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
