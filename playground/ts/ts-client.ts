/** The page's end of the TypeScript worker: typed requests, each answered once (ts-protocol.ts). */
import type { TsAnswers, TsMessage, TsReply, TsRequest } from './ts-protocol.ts';

export class TsClient {
  readonly #worker = new Worker(new URL('./typescript.worker.ts', import.meta.url), { type: 'module', name: 'playground-typescript' });
  readonly #waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #next = 1;

  constructor() {
    this.#worker.onmessage = (event: MessageEvent<TsReply>) => {
      const reply = event.data;
      const waiter = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.value);
      else waiter?.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    };
    // A worker that fails to load would leave every request waiting: fail them instead.
    this.#worker.onerror = (event) => {
      for (const waiter of this.#waiting.values()) waiter.reject(new Error(`TypeScript worker failed: ${event.message}`));
      this.#waiting.clear();
    };
  }

  ask<R extends TsRequest>(request: R): Promise<TsAnswers[R['type']]> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#worker.postMessage({ id, request } satisfies TsMessage);
    });
  }
}
