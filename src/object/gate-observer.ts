/**
 * The gate observer: a typed stream of what happens to one object's events,
 * as its gates see it — arrived, waiting at the input gate, delivered,
 * storage read and write, commit started and finished, output held and
 * released, reply sent, evicted, reset (`GateEvent` in protocol.ts). The
 * devtools, the playground's timeline and the tests subscribe to it instead
 * of re-deriving what the gates did.
 *
 * Costs nothing when nobody listens: every emitter checks `observer.on` (a
 * plain field) before it builds a record, and storage reports only while a
 * monitor is installed on its transaction (`watch`), so an object nobody
 * observes runs exactly the code it ran before the observer existed.
 *
 * Events are numbered per instance (`event`), in arrival order. Storage and
 * commit records carry no event number: after an `await`, several events can
 * be running, and which one a write belongs to is not known without
 * AsyncContext. They are in order in the stream.
 */
import type { GateEvent, GateRecord } from '../protocol.ts';
import type { StorageMonitor } from '../storage/implicit-transaction.ts';

export class GateObserver {
  /** Someone listens. Emitters check this before building a record. */
  on = false;
  readonly #listeners = new Set<(event: GateEvent) => void>();
  #storage: { watch(monitor: StorageMonitor | undefined): void } | undefined;
  #nextEvent = 1;

  /** A new number for an arriving event (numbered whether or not anyone listens, so numbers stay stable). */
  nextEvent(): number {
    return this.#nextEvent++;
  }

  /** Listen to every record from now on. Returns the way to stop. */
  subscribe(listener: (event: GateEvent) => void): () => void {
    this.#listeners.add(listener);
    this.#update();
    return () => {
      this.#listeners.delete(listener);
      this.#update();
    };
  }

  /**
   * Where storage reports its reads, writes and commits: called once the
   * object's transaction exists. The monitor is installed only while someone
   * listens.
   */
  attachStorage(storage: { watch(monitor: StorageMonitor | undefined): void }): void {
    this.#storage = storage;
    this.#update();
  }

  /** Stamp and deliver a record. Callers check `on` first. */
  emit(record: GateRecord): void {
    const event = { ...record, at: performance.timeOrigin + performance.now() } as GateEvent;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        // An observer must never change what the object does.
        console.warn('[hearth] a gate observer threw', error);
      }
    }
  }

  #update(): void {
    this.on = this.#listeners.size > 0;
    this.#storage?.watch(this.on ? this.#monitor : undefined);
  }

  readonly #monitor: StorageMonitor = {
    read: (op) => this.emit({ kind: 'storage-read', op }),
    write: (op) => this.emit({ kind: 'storage-write', op }),
    commitStarted: () => this.emit({ kind: 'commit-started' }),
    commitFinished: (error) =>
      this.emit({ kind: 'commit-finished', ok: error === undefined, ...(error ? { error: error.message } : {}) }),
  };
}
