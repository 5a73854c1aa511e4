/**
 * Logs and metrics as Hearth exports them (`runtime.onLog`, `runtime.onMetrics`,
 * the devtools' NDJSON download): one record per line, each tagged with its
 * object's jurisdiction, and kept out of an export when that jurisdiction
 * lies outside the app's metadata boundary (`hearth.metadata_boundary`,
 * after Cloudflare's Customer Metadata Boundary: README, DevTools).
 *
 * Nothing here sends anything anywhere: records stay on the device unless the
 * app's own `onLog`/`onMetrics` callback, or the person downloading, takes them.
 * Pure: unit-tested in test/unit/telemetry.test.ts.
 */
import type { MetadataBoundary } from './config-record.ts';
import type { GateEvent, LogLevel, ObjectAddress } from './protocol.ts';

/** Which object a record is about. */
export type TelemetryObject = Pick<ObjectAddress, 'namespaceKey' | 'className' | 'id' | 'name'>;

export interface LogRecord {
  type: 'log';
  /** Wall time, ms since the epoch. */
  at: number;
  level: LogLevel;
  message: string;
  object: TelemetryObject;
  /** The object's jurisdiction (`eu`, `us`, `fedramp`, …), or null for none. */
  jurisdiction: string | null;
  /** The tab that hosted the object. */
  hostId: string;
}

/** What one object did during one interval (`at` to `at + intervalMs`). */
export interface MetricsRecord {
  type: 'metrics';
  at: number;
  intervalMs: number;
  object: TelemetryObject;
  jurisdiction: string | null;
  hostId: string;
  /** Events that arrived: calls, fetches, alarm runs, devtools requests. */
  requests: number;
  /** Replies that were errors. */
  errors: number;
  storageReads: number;
  storageWrites: number;
  commits: number;
  /** Summed time from arrival to reply of the events that replied in the interval. */
  wallMs: number;
  alarmRuns: number;
  /** Messages delivered on hibernatable WebSockets. */
  socketMessages: number;
  /** The database's size as last reported, when known. */
  sizeBytes?: number;
}

/**
 * The metadata boundary a jurisdiction's data belongs to: `eu` → EU,
 * `us`, `fedramp` and `fedramp-high` → US (FedRAMP data centres are in the
 * US). Undefined for an object in no jurisdiction.
 */
export function boundaryOf(jurisdiction: string | null | undefined): Exclude<MetadataBoundary, 'global'> | undefined {
  if (!jurisdiction) return undefined;
  return jurisdiction === 'eu' ? 'eu' : 'us';
}

/**
 * May a record of an object in `jurisdiction` go to an export bound by
 * `boundary`? Always with no boundary (`global`) or no jurisdiction; else only
 * within the jurisdiction's own boundary.
 */
export function exportable(jurisdiction: string | null | undefined, boundary: MetadataBoundary | undefined): boolean {
  if (!boundary || boundary === 'global') return true;
  const own = boundaryOf(jurisdiction);
  return own === undefined || own === boundary;
}

/** `observability`: is this log kept? Off when `enabled` is false; else kept with `head_sampling_rate`'s probability. */
export function logKept(observability: { enabled: boolean; headSamplingRate: number } | undefined, random: () => number = Math.random): boolean {
  if (!observability) return true;
  if (!observability.enabled) return false;
  return observability.headSamplingRate >= 1 || random() < observability.headSamplingRate;
}

/** Records as NDJSON: one JSON object per line. */
export function toNdjson(records: readonly object[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

type Counts = Omit<MetricsRecord, 'type' | 'at' | 'intervalMs' | 'object' | 'jurisdiction' | 'hostId' | 'sizeBytes'>;

function emptyCounts(): Counts {
  return { requests: 0, errors: 0, storageReads: 0, storageWrites: 0, commits: 0, wallMs: 0, alarmRuns: 0, socketMessages: 0 };
}

/** Per-object counters over one interval, fed with gate records; `flush` hands them over and starts the next. */
export class MetricsWindow {
  #counts = new Map<string, Counts>();
  /** Arrival time of each event still running, by `${key}#${event}`. */
  readonly #arrived = new Map<string, number>();
  #since: number;

  constructor(now: number) {
    this.#since = now;
  }

  #of(key: string): Counts {
    let c = this.#counts.get(key);
    if (!c) this.#counts.set(key, (c = emptyCounts()));
    return c;
  }

  add(key: string, event: GateEvent): void {
    const c = this.#of(key);
    switch (event.kind) {
      case 'arrived':
        c.requests++;
        if (event.label.startsWith('alarm') && event.label !== 'alarm (delete)') c.alarmRuns++;
        this.#arrived.set(`${key}#${event.event}`, event.at);
        return;
      case 'reply-sent': {
        if (!event.ok) c.errors++;
        const id = `${key}#${event.event}`;
        const arrived = this.#arrived.get(id);
        if (arrived !== undefined) c.wallMs += event.at - arrived;
        this.#arrived.delete(id);
        return;
      }
      case 'storage-read':
        c.storageReads++;
        return;
      case 'storage-write':
        c.storageWrites++;
        return;
      case 'commit-finished':
        c.commits++;
        return;
      case 'evicted':
      case 'reset':
        // A new instance numbers its events from the start again.
        for (const id of [...this.#arrived.keys()]) if (id.startsWith(`${key}#`)) this.#arrived.delete(id);
        return;
    }
  }

  socketMessage(key: string): void {
    this.#of(key).socketMessages++;
  }

  /** The interval's counts per object that did anything, and the interval; the next interval starts at `now`. */
  flush(now: number): { at: number; intervalMs: number; counts: Map<string, Counts> } {
    const out = { at: this.#since, intervalMs: now - this.#since, counts: this.#counts };
    this.#counts = new Map();
    this.#since = now;
    return out;
  }
}
