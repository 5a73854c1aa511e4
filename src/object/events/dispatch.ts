/**
 * Event delivery: one module per event kind, behind this one dispatch.
 *
 * What every kind gets from here, the same way (so no kind re-implements it):
 *  1. the input gate admits the event (`InputGate.admit`), in arrival order;
 *  2. the instance is constructed on the first event (the constructor runs
 *     lazily, as on Cloudflare; one that throws fails this event, and the
 *     next event constructs again), and the gate is asked again, because a
 *     constructor's `blockConcurrencyWhile` holds back the very event that
 *     constructed it;
 *  3. the observer hears `delivered`;
 *  4. the kind's `deliver` runs the handler and returns what the reply carries.
 * The reply itself, and the output gate it passes, stay with the caller of
 * `dispatch` (`ObjectRuntime`): not every event has a caller to answer.
 *
 * How a new event kind plugs in (alarm, websocket…):
 *  1. protocol.ts: add its payload to `EventPayload` — to `CallPayload` if a
 *     caller sends it over a connection, as its own member otherwise (an
 *     alarm comes from the host, not from a caller);
 *  2. `events/<kind>.ts`: export an `EventKind` (event-kind.ts): `deliver`
 *     (call the handler, return the reply's value) and `label` (for the
 *     observer);
 *  3. add it to `KINDS` below. The table's type lists every payload kind, so
 *     TypeScript refuses a payload that has no module.
 */
import type { AlarmOutcome, EventPayload } from '../../protocol.ts';
import type { CallEndpoint, CallerSession } from '../caller-session.ts';
import type { GateObserver } from '../gate-observer.ts';
import type { InputGate } from '../input-gate.ts';
import type { Delivered, EventKind, ObjectInternals, Target } from './event-kind.ts';
import { devtoolsEvent } from './devtools.ts';
import { fetchEvent } from './fetch.ts';
import { rpcEvent } from './rpc.ts';
import { alarmEvent } from './alarm.ts';

const KINDS: { [K in EventPayload['kind']]: EventKind<Extract<EventPayload, { kind: K }>> } = {
  fetch: fetchEvent,
  rpc: rpcEvent,
  alarm: alarmEvent,
  devtools: devtoolsEvent,
};

/** The instance a kind that does not construct sees (devtools events look at storage, not at the object). */
const NOT_CONSTRUCTED: Record<string, unknown> = Object.freeze({});

/** What the dispatch needs of the object. */
export interface EventContext {
  readonly inputGate: InputGate;
  readonly observer: GateObserver;
  /** The instance, constructed on first use. */
  instance(): Record<string, unknown>;
  supportsRpc(): boolean;
  session(endpoint: CallEndpoint): CallerSession;
  runAlarm(endpoint: CallEndpoint, instance: Record<string, unknown>, payload: Extract<EventPayload, { kind: 'alarm' }>): Promise<AlarmOutcome>;
  internals(): ObjectInternals;
}

export function labelOf(payload: EventPayload): string {
  return (KINDS[payload.kind] as EventKind<EventPayload>).label(payload);
}

export type { Delivered };

/** Deliver one event (see the top of this file). `event` is its number for the observer. */
export async function dispatch(
  context: EventContext,
  endpoint: CallEndpoint,
  payload: EventPayload,
  event: number,
): Promise<Delivered> {
  const kind = KINDS[payload.kind] as EventKind<EventPayload>;
  await context.inputGate.admit(event);
  let instance = NOT_CONSTRUCTED;
  if (kind.constructs !== false) {
    instance = context.instance();
    // A constructor's blockConcurrencyWhile() holds back the very event that constructed it.
    await context.inputGate.admit(event);
  }
  if (context.observer.on) context.observer.emit({ kind: 'delivered', event });
  const target: Target = {
    instance,
    supportsRpc: context.supportsRpc,
    session: () => context.session(endpoint),
    runAlarm: (alarm) => context.runAlarm(endpoint, instance as Record<string, unknown>, alarm),
    internals: context.internals,
  };
  return kind.deliver(target, payload);
}
