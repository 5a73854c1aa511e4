/**
 * Hearth: Cloudflare Durable Objects in the browser.
 *
 *   const runtime = await start({ config, main: new URL('./worker.ts', import.meta.url) });
 *   const stub = runtime.env.COUNTER.getByName('a');
 *   await stub.fetch('https://counter/increment');
 */
export {
  start,
  UnsupportedBrowserError,
  type Runtime,
  type StartOptions,
  type Inspection,
  type ObservedGateEvent,
} from './host/runtime.ts';
export type { GateEvent } from './protocol.ts';
export type { LogRecord, MetricsRecord, TelemetryObject } from './telemetry.ts';
export type { WranglerConfig, NormalizedConfig } from './config.ts';
export { ConfigError } from './config.ts';
export type { DurableObjectNamespace } from './caller/namespace.ts';
export type { DurableObjectStub } from './caller/stub.ts';
export type { DurableObjectId } from './object-id.ts';
export { QuotaExceededError, StorageBusyError, StorageCorruptError, StorageUnavailableError } from './errors.ts';
export { patchGlobalWebSocket } from './websocket/global-websocket.ts';
export type { PageWebSocket } from './websocket/page-websocket.ts';
