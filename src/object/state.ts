/**
 * `ctx` — the `DurableObjectState` handed to an object's constructor.
 */
import type { DurableObjectId } from '../object-id.ts';
import type { InputGate } from './input-gate.ts';
import type { DurableObjectStorage } from './storage.ts';

export interface StateHooks {
  inputGate: InputGate;
  /** Keep the object from being evicted until `promise` settles. */
  keepAlive(promise: Promise<unknown>): void;
  abort(reason?: string, options?: { retryAlarm?: boolean }): never;
}

export class DurableObjectState {
  readonly id: DurableObjectId;
  readonly storage: DurableObjectStorage;
  readonly props: Record<string, unknown> = {};
  readonly #hooks: StateHooks;

  constructor(id: DurableObjectId, storage: DurableObjectStorage, hooks: StateHooks) {
    this.id = id;
    this.storage = storage;
    this.#hooks = hooks;
  }

  waitUntil(promise: Promise<unknown>): void {
    this.#hooks.keepAlive(Promise.resolve(promise));
  }

  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T> {
    return this.#hooks.inputGate.blockConcurrencyWhile(callback);
  }

  abort(reason?: string, options?: { retryAlarm?: boolean }): never {
    return this.#hooks.abort(reason, options);
  }
}
