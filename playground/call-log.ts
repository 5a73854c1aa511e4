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
  /** The tab that made the call (`TAB_ID`: one per page load; a deploy does not change it). */
  tab: string;
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

/** This page's id among the playground's tabs. */
export const TAB_ID = crypto.randomUUID();

type LogMessage = { type: 'record'; record: CallRecord } | { type: 'hello' } | { type: 'history'; records: CallRecord[] };

export class CallLog {
  readonly records: CallRecord[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #channel = new BroadcastChannel(CHANNEL);

  readonly #seen = new Set<string>();

  constructor() {
    this.#channel.onmessage = (event: MessageEvent<LogMessage>) => {
      const message = event.data;
      if (event.origin !== location.origin) return;
      if (message?.type === 'record') this.#add(message.record);
      // A tab that opens later asks what the others have seen, so a lesson counts calls made before it opened.
      else if (message?.type === 'hello') this.#channel.postMessage({ type: 'history', records: this.records } satisfies LogMessage);
      else if (message?.type === 'history') for (const record of message.records) this.#add(record);
    };
    this.#channel.postMessage({ type: 'hello' } satisfies LogMessage);
  }

  add(record: CallRecord): void {
    this.#add(record);
    this.#channel.postMessage({ type: 'record', record } satisfies LogMessage);
  }

  clear(): void {
    this.records.length = 0;
    this.#seen.clear();
    this.#emit();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #add(record: CallRecord): void {
    if (typeof record?.id !== 'string' || this.#seen.has(record.id)) return;
    this.#seen.add(record.id);
    // Kept in the order the calls started (records from other tabs arrive late).
    let at = this.records.length;
    while (at > 0 && this.records[at - 1]!.started > record.started) at--;
    this.records.splice(at, 0, record);
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
