/**
 * The input gate (DESIGN.md §5). The rule, kept only here: events (fetch,
 * RPC, alarms…) are admitted one at a time, in arrival order, while no
 * `blockConcurrencyWhile` callback is running and no operation that holds the
 * gate (`hold`) is pending.
 *
 * Storage is synchronous underneath, so an event that awaits storage resumes
 * in a microtask, before any other message task can start: the classic input
 * gate guarantee holds without locking. Awaiting a timer or `fetch()` yields
 * to the event loop and lets the next event in — exactly as on Cloudflare.
 */
import { macrotask } from '../macrotask.ts';
import type { GateObserver } from './gate-observer.ts';

export const BLOCK_CONCURRENCY_TIMEOUT_MS = 30_000;
const MAX_BLOCK_DEPTH = 64;


export class InputGate {
  #blockDepth = 0;
  /** Operations that run "with the input lock" (see `hold`). */
  #held = 0;
  #waiting: (() => void)[] = [];
  readonly #onBroken: (error: Error) => void;
  readonly #observer: GateObserver | undefined;

  constructor(onBroken: (error: Error) => void, observer?: GateObserver) {
    this.#onBroken = onBroken;
    this.#observer = observer;
  }

  /** Resolves when the event may start (undefined: it may start now). `event` names it to the observer. */
  admit(event?: number): Promise<void> | undefined {
    if (this.#blockDepth === 0 && this.#held === 0) return undefined;
    if (event !== undefined && this.#observer?.on) this.#observer.emit({ kind: 'input-waiting', event });
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /**
   * Keep other events out while `operation` is pending, as workerd does for
   * I/O it awaits "with the input lock". In workerd `crypto.subtle` completes
   * synchronously, so awaiting it never lets another event in; the browser's
   * completes on another thread, so Hearth holds the gate instead. Events are
   * admitted again in a later task, after the holder's continuation has run.
   */
  hold<T>(operation: Promise<T>): Promise<T> {
    this.#held++;
    const release = () => {
      this.#held--;
      if (this.#held === 0 && this.#blockDepth === 0) macrotask(() => this.#drain());
    };
    operation.then(release, release);
    return operation;
  }

  async blockConcurrencyWhile<T>(callback: () => T | Promise<T>): Promise<T> {
    if (typeof callback !== 'function') {
      throw new TypeError("blockConcurrencyWhile(): parameter 1 is not of type 'Function'.");
    }
    if (this.#blockDepth >= MAX_BLOCK_DEPTH) throw new Error('blockConcurrencyWhile() calls are nested too deeply.');
    this.#blockDepth++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new Error(
            'A call to blockConcurrencyWhile() in a Durable Object waited for too long. The call was canceled and the Durable Object was reset.',
          );
          Object.assign(error, { overloaded: true, durableObjectReset: true });
          reject(error);
        }, BLOCK_CONCURRENCY_TIMEOUT_MS);
      });
      return await Promise.race([Promise.resolve().then(callback), timeout]);
    } catch (error) {
      // A failed critical section breaks the input gate: the object is reset.
      const reset = error instanceof Error ? error : new Error(String(error));
      Object.assign(reset, { durableObjectReset: true });
      this.#onBroken(reset);
      throw reset;
    } finally {
      clearTimeout(timer);
      this.#blockDepth--;
      if (this.#blockDepth === 0) this.#drain();
    }
  }

  /**
   * Admit waiting events one per macrotask, so that an admitted event which
   * blocks again (its own `blockConcurrencyWhile`) holds back the rest.
   */
  #drain(): void {
    if (this.#blockDepth !== 0 || this.#held !== 0) return;
    const next = this.#waiting.shift();
    if (!next) return;
    next();
    if (this.#waiting.length) macrotask(() => this.#drain());
  }
}
