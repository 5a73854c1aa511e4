/**
 * What one event kind's module provides (see dispatch.ts for how a kind
 * plugs in), and what it may use of the object.
 */
import type { AlarmOutcome, EventPayload } from '../../protocol.ts';
import type { CallerSession } from '../caller-session.ts';
import type { SqliteDb } from '../../storage/sqlite-types.ts';
import type { DurableObjectStorage } from '../storage.ts';

/** What a handler's result becomes: the reply's value, and what to transfer with it. */
export interface Delivered {
  value: unknown;
  transfer: Transferable[];
}

/** What a kind's `deliver` may use. */
export interface Target {
  instance: Record<string, unknown>;
  /** The class `extends DurableObject`, so it serves JS RPC. */
  supportsRpc(): boolean;
  /** The caller's RPC session (exports and imports by reference), made on first use. */
  session(): CallerSession;
  /** Run the object's alarm for this delivery (events/alarm.ts keeps the alarm's rules). */
  runAlarm(payload: Extract<EventPayload, { kind: 'alarm' }>): Promise<AlarmOutcome>;
  /** The object's storage and lifecycle, for devtools events only (see devtools.ts). */
  internals(): ObjectInternals;
}

export interface EventKind<P extends EventPayload> {
  deliver(target: Target, payload: P): Promise<Delivered>;
  /** A short description for the observer (`rpc add`, `fetch GET /path`); built only when someone listens. */
  label(payload: P): string;
  /** `false`: deliver without constructing the instance (`target.instance` is then an empty object). */
  constructs?: false;
}

/** What devtools events (devtools.ts) may use of the object, beyond what a handler may. */
export interface ObjectInternals {
  db: SqliteDb;
  storage: DurableObjectStorage;
  /** The database file's bytes. */
  exportDatabase(): Uint8Array;
  /** Replace the database with a validated image (storage/database-image.ts); commits pending writes first. */
  importDatabase(bytes: Uint8Array): void;
  /** Stop once this event is answered: idle-style eviction, on demand. */
  evict(): void;
  /** Reset as `ctx.abort()` does. */
  abort(reason: string): void;
  /** Reset once this event's reply has been sent (its answer must reach the devtools: a restore's undo bookmark). */
  abortAfterReply(reason: string): void;
  /**
   * Stop once this event is answered, exactly as the idle timer does (so an
   * object whose only sockets are hibernatable hibernates). Throws when the
   * idle path would not stop it either: `accept()`-ed sockets or `waitUntil`
   * work keep it in memory.
   */
  hibernate(): void;
}
