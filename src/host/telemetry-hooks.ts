/**
 * A host tab's logs and metrics for `runtime.onLog` / `runtime.onMetrics`
 * (and the logs the devtools keep): `observability` decides which log lines
 * are kept at all, `hearth.metadata_boundary` which records an export may
 * carry (src/telemetry.ts). Metrics cost nothing until someone listens: the
 * gate observer is switched on for the first `onMetrics` listener and off
 * after the last.
 */
import type { NormalizedConfig } from '../config-record.ts';
import type { GateEvent, LogLevel, ObjectAddress } from '../protocol.ts';
import { exportable, logKept, MetricsWindow, type LogRecord, type MetricsRecord, type TelemetryObject } from '../telemetry.ts';

/** How often `onMetrics` listeners hear. */
export const METRICS_INTERVAL_MS = 1000;

export interface TelemetryHooksOptions {
  hostId: string;
  config: NormalizedConfig;
  addressOf(key: string): ObjectAddress | undefined;
  sizeOf(key: string): number | undefined;
  observe(listener: (record: { key: string; event: GateEvent }) => void): () => void;
  /** A log line observability kept: into the devtools' bounded store. */
  keep(key: string, level: LogLevel, text: string, at: number, jurisdiction?: string): void;
}

function objectOf(address: ObjectAddress): TelemetryObject {
  const { namespaceKey, className, id, name } = address;
  return { namespaceKey, className, id, ...(name !== undefined ? { name } : {}) };
}

export function telemetryHooks(options: TelemetryHooksOptions) {
  const { hostId, config } = options;
  const logListeners = new Set<(record: LogRecord) => void>();
  const metricsListeners = new Set<(record: MetricsRecord) => void>();
  let window: MetricsWindow | undefined;
  let stopObserving: (() => void) | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  /** Call each listener; one that throws must not stop the others, nor the object that logged. */
  const tell = <T>(listeners: Set<(r: T) => void>, record: T) => {
    for (const listener of listeners) {
      try {
        listener(record);
      } catch (error) {
        console.warn('[hearth] a telemetry listener threw', error);
      }
    }
  };

  function flushMetrics(): void {
    if (!window) return;
    const { at, intervalMs, counts } = window.flush(Date.now());
    for (const [key, c] of counts) {
      const address = options.addressOf(key);
      if (!address) continue;
      const jurisdiction = address.jurisdiction ?? null;
      if (!exportable(jurisdiction, config.metadataBoundary)) continue;
      const sizeBytes = options.sizeOf(key);
      tell(metricsListeners, {
        type: 'metrics', at, intervalMs, object: objectOf(address), jurisdiction, hostId, ...c, ...(sizeBytes !== undefined ? { sizeBytes } : {}),
      });
    }
  }

  function stopMetrics(): void {
    stopObserving?.();
    stopObserving = undefined;
    clearInterval(timer);
    timer = undefined;
    window = undefined;
  }

  return {
    log(key: string, level: LogLevel, text: string, at: number): void {
      if (!logKept(config.observability)) return;
      const address = options.addressOf(key);
      const jurisdiction = address?.jurisdiction;
      options.keep(key, level, text, at, jurisdiction);
      if (!address || logListeners.size === 0 || !exportable(jurisdiction, config.metadataBoundary)) return;
      tell(logListeners, { type: 'log', at, level, message: text, object: objectOf(address), jurisdiction: jurisdiction ?? null, hostId });
    },
    socketMessage(key: string): void {
      window?.socketMessage(key);
    },
    onLog(listener: (record: LogRecord) => void): () => void {
      logListeners.add(listener);
      return () => void logListeners.delete(listener);
    },
    onMetrics(listener: (record: MetricsRecord) => void): () => void {
      metricsListeners.add(listener);
      if (!window) {
        const w = (window = new MetricsWindow(Date.now()));
        stopObserving = options.observe(({ key, event }) => w.add(key, event));
        timer = setInterval(flushMetrics, METRICS_INTERVAL_MS);
      }
      return () => {
        if (!metricsListeners.delete(listener)) return;
        if (metricsListeners.size === 0) stopMetrics();
      };
    },
    close(): void {
      logListeners.clear();
      metricsListeners.clear();
      stopMetrics();
    },
  };
}
