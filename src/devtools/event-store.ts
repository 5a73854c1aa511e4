/**
 * What the devtools page has heard from host tabs: gate records per object
 * and console output, each in a bounded store (the oldest go first), with
 * per-object counters for the Metrics panel. Listeners are told after each
 * batch, at most once per animation frame, so a busy object cannot flood
 * the UI.
 */
import type { DevtoolsSocket, GateEvent, LogLevel } from '../protocol.ts';
import type { MetadataBoundary } from '../config-record.ts';
import { MetricsWindow, type MetricsRecord } from '../telemetry.ts';

export const MAX_EVENTS_PER_OBJECT = 2000;
export const MAX_LOGS = 5000;
/** Per-object, per-second metrics kept for the NDJSON export. */
export const MAX_METRICS_RECORDS = 10_000;

export interface LogEntry {
  key: string;
  hostId: string;
  level: LogLevel;
  text: string;
  at: number;
  /** The object's jurisdiction, as its host tab knew it. */
  jurisdiction?: string;
}

/** One object's second of metrics: a `MetricsRecord` before it is tagged with its object. */
export type MetricsSample = Omit<MetricsRecord, 'type' | 'object' | 'jurisdiction'> & { key: string };

export interface ObjectMetrics {
  requests: number;
  errors: number;
  storageReads: number;
  storageWrites: number;
  commits: number;
  /** Requests per second, one sample per second (last `SAMPLES`). */
  series: { at: number; requests: number; errors: number; reads: number; writes: number }[];
}

const SAMPLES = 120;

export class EventStore {
  readonly gates = new Map<string, GateEvent[]>();
  readonly logs: LogEntry[] = [];
  readonly metrics = new Map<string, ObjectMetrics>();
  /** Where each object was last heard from (its host tab). */
  readonly hostOf = new Map<string, string>();
  readonly lastActivity = new Map<string, number>();
  /** The hibernatable sockets each host tab keeps, as it last said. */
  readonly sockets = new Map<string, DevtoolsSocket[]>();
  /** Per-object, per-second counts (the same counting as `runtime.onMetrics`), for the export. */
  readonly metricsSamples: MetricsSample[] = [];
  /** The app's `hearth.metadata_boundary`, as host tabs said it: exports from this page follow it. */
  boundary: MetadataBoundary | undefined;
  #window = new MetricsWindow(Date.now());
  readonly #listeners = new Set<() => void>();
  #scheduled = false;
  version = 0;

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  addGate(hostId: string, key: string, event: GateEvent): void {
    let list = this.gates.get(key);
    if (!list) this.gates.set(key, (list = []));
    list.push(event);
    if (list.length > MAX_EVENTS_PER_OBJECT) list.splice(0, list.length - MAX_EVENTS_PER_OBJECT);
    this.hostOf.set(key, hostId);
    this.lastActivity.set(key, Math.max(this.lastActivity.get(key) ?? 0, event.at));
    this.#count(key, event);
    this.#window.add(key, event);
    this.#changed();
  }

  /** Close the current second of metrics (called every second by the page). */
  flushMetrics(now = Date.now()): void {
    const { at, intervalMs, counts } = this.#window.flush(now);
    for (const [key, c] of counts) this.metricsSamples.push({ key, at, intervalMs, hostId: this.hostOf.get(key) ?? '', ...c });
    if (this.metricsSamples.length > MAX_METRICS_RECORDS) this.metricsSamples.splice(0, this.metricsSamples.length - MAX_METRICS_RECORDS);
  }

  addLogs(hostId: string, logs: { key: string; level: LogLevel; text: string; at: number; jurisdiction?: string }[]): void {
    for (const log of logs) {
      // A host re-sends its recent logs to each new devtools page: keep one copy.
      if (this.logs.some((l) => l.at === log.at && l.key === log.key && l.text === log.text)) continue;
      const { key, level, text, at, jurisdiction } = log;
      this.logs.push({ hostId, key, level, text, at, ...(jurisdiction ? { jurisdiction } : {}) });
      this.lastActivity.set(log.key, Math.max(this.lastActivity.get(log.key) ?? 0, log.at));
    }
    this.logs.sort((a, b) => a.at - b.at);
    if (this.logs.length > MAX_LOGS) this.logs.splice(0, this.logs.length - MAX_LOGS);
    this.#changed();
  }

  setSockets(hostId: string, sockets: DevtoolsSocket[]): void {
    this.sockets.set(hostId, sockets);
    this.#changed();
  }

  /** The open sockets of one object, with the tab that keeps each. */
  socketsOf(key: string): (DevtoolsSocket & { hostId: string })[] {
    const out: (DevtoolsSocket & { hostId: string })[] = [];
    for (const [hostId, list] of this.sockets) for (const s of list) if (s.key === key) out.push({ ...s, hostId });
    return out;
  }

  #count(key: string, event: GateEvent): void {
    let m = this.metrics.get(key);
    if (!m) this.metrics.set(key, (m = { requests: 0, errors: 0, storageReads: 0, storageWrites: 0, commits: 0, series: [] }));
    const second = Math.floor(event.at / 1000) * 1000;
    let sample = m.series[m.series.length - 1];
    if (!sample || sample.at !== second) {
      m.series.push((sample = { at: second, requests: 0, errors: 0, reads: 0, writes: 0 }));
      if (m.series.length > SAMPLES) m.series.shift();
    }
    switch (event.kind) {
      case 'arrived':
        m.requests++;
        sample.requests++;
        return;
      case 'reply-sent':
        if (!event.ok) {
          m.errors++;
          sample.errors++;
        }
        return;
      case 'storage-read':
        m.storageReads++;
        sample.reads++;
        return;
      case 'storage-write':
        m.storageWrites++;
        sample.writes++;
        return;
      case 'commit-finished':
        m.commits++;
        return;
    }
  }

  #changed(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const flush = () => {
      this.#scheduled = false;
      this.version++;
      for (const listener of this.#listeners) listener();
    };
    // rAF does not run in a hidden tab; a timer does.
    if (document.visibilityState === 'visible') requestAnimationFrame(flush);
    else setTimeout(flush, 100);
  }
}
