/**
 * What one event kind's module provides (see dispatch.ts for how a kind
 * plugs in), and what it may use of the object.
 */
import type { AlarmOutcome, EventPayload } from '../../protocol.ts';
import type { CallerSession } from '../caller-session.ts';

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
}

export interface EventKind<P extends EventPayload> {
  deliver(target: Target, payload: P): Promise<Delivered>;
  /** A short description for the observer (`rpc add`, `fetch GET /path`); built only when someone listens. */
  label(payload: P): string;
}
