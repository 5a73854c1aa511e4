/**
 * The devtools' NDJSON downloads of logs and metrics: the same records as
 * `runtime.onLog` / `runtime.onMetrics` (src/telemetry.ts), tagged with each
 * object's jurisdiction and kept out when it lies outside the app's metadata
 * boundary. A download is an export like any other.
 */
import { exportable, toNdjson, type LogRecord, type MetricsRecord, type TelemetryObject } from '../telemetry.ts';
import type { EventStore } from './event-store.ts';
import { EDGE_LOG_KEY } from '../names.ts';

/** What the page knows of an object: from the coordinator's registry (objects-model.ts). */
export type Describe = (key: string) => { object: TelemetryObject; jurisdiction?: string } | undefined;

function fallbackObject(key: string): TelemetryObject {
  const at = key.lastIndexOf(':');
  const namespaceKey = key.slice(0, at);
  return { namespaceKey, className: namespaceKey.slice(namespaceKey.lastIndexOf('-') + 1), id: key.slice(at + 1) };
}

export function logRecords(store: EventStore, describe: Describe): LogRecord[] {
  const out: LogRecord[] = [];
  for (const l of store.logs) {
    // The edge's lines belong to no object, and a record names one (telemetry.ts `LogRecord`).
    if (l.key === EDGE_LOG_KEY) continue;
    const known = describe(l.key);
    const jurisdiction = l.jurisdiction ?? known?.jurisdiction ?? null;
    if (!exportable(jurisdiction, store.boundary)) continue;
    out.push({ type: 'log', at: l.at, level: l.level, message: l.text, object: known?.object ?? fallbackObject(l.key), jurisdiction, hostId: l.hostId });
  }
  return out;
}

export function metricsRecords(store: EventStore, describe: Describe): MetricsRecord[] {
  const out: MetricsRecord[] = [];
  for (const { key, ...sample } of store.metricsSamples) {
    const known = describe(key);
    const jurisdiction = known?.jurisdiction ?? null;
    if (!exportable(jurisdiction, store.boundary)) continue;
    out.push({ type: 'metrics', ...sample, object: known?.object ?? fallbackObject(key), jurisdiction });
  }
  return out;
}

/** Offer `records` as a `.ndjson` file download. */
export function download(name: string, records: readonly object[]): void {
  const url = URL.createObjectURL(new Blob([toNdjson(records)], { type: 'application/x-ndjson' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
