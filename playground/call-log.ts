/**
 * Every call the playground makes — RPC, `stub.fetch`, WebSocket — is one
 * `CallRecord`, shown in the call panel and read by the lessons' checks.
 * Records are also shared with the playground's other tabs over a
 * BroadcastChannel (same origin only), so a call made in one tab shows — and
 * counts for a lesson — in all of them.
 */

export interface CallRecord {
  /** Unique across tabs. */
  id: string;
  /** The tab (runtime host id) that made the call. */
  hostId: string;
  /** `rpc`, `fetch`, `ws-open`, `ws-send`, `ws-message` (a frame the object sent), `ws-close`. */
  kind: 'rpc' | 'fetch' | 'ws-open' | 'ws-send' | 'ws-message' | 'ws-close';
  binding: string;
  name: string;
  /** For `rpc`: the method. */
  method?: string;
  args?: unknown[];
  /** Calls started together (the panel's "× N at once") share a batch id; `batchSize` says how many. */
  batch: string;
  batchSize: number;
  ok: boolean;
  /** The result (JSON-safe) or the error's text. */
  value?: unknown;
  error?: string;
  started: number;
  ended: number;
}

const CHANNEL = 'hearth-playground-calls';

export class CallLog {
  readonly records: CallRecord[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #channel = new BroadcastChannel(CHANNEL);

  constructor() {
    this.#channel.onmessage = (event: MessageEvent<CallRecord>) => {
      if (typeof event.data?.id === 'string' && event.origin === location.origin) this.#add(event.data);
    };
  }

  add(record: CallRecord): void {
    this.#add(record);
    this.#channel.postMessage(record);
  }

  clear(): void {
    this.records.length = 0;
    this.#emit();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #add(record: CallRecord): void {
    this.records.push(record);
    if (this.records.length > 2000) this.records.splice(0, this.records.length - 2000);
    this.#emit();
  }

  #emit(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** A value as JSON can carry it (results go over a BroadcastChannel and into the log). */
export function jsonSafe(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value ?? null));
  } catch {
    return String(value);
  }
}

export function describeError(error: unknown): string {
  const e = error as Error & { remote?: boolean; retryable?: boolean; durableObjectReset?: boolean };
  const flags = ['remote', 'retryable', 'durableObjectReset'].filter((f) => (e as any)?.[f]).join(', ');
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}${flags ? `  [${flags}]` : ''}`;
}
