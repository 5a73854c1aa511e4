/**
 * From an object's gate records (in stream order) to the Timeline's bars:
 * one bar per event, with its phases.
 *
 *   arrived ──waiting──▶ delivered ──running──▶ output-held ──held──▶ output-released ─▶ reply-sent
 *
 * - `waiting`: from arrival to delivery (`inputWait`: the input gate held it
 *   back, behind a `blockConcurrencyWhile` or an operation holding the gate);
 * - `running`: the handler, until its reply waits at the output gate (or is sent);
 * - `held`: the reply waited for a commit; commits and storage calls in the
 *   stream are marks on the event that was running when they happened.
 * Storage and commit records carry no event number (gate-observer.ts): they
 * go to the most recently delivered event that has not replied yet.
 * Event numbers restart with each instance, so an `arrived` whose number is
 * not above the last one, or an `evicted` / `reset`, starts a new instance.
 *
 * Pure: unit-tested in test/unit/devtools-timeline-model.test.ts.
 */
import type { GateEvent } from '../protocol.ts';

export interface Mark {
  at: number;
  kind: 'storage-read' | 'storage-write' | 'commit-started' | 'commit-finished' | 'output-held' | 'output-released';
  detail: string;
}

export interface Bar {
  /** `<instance>:<event>`: unique within one object's stream. */
  id: string;
  instance: number;
  event: number;
  label: string;
  arrived: number;
  inputWait: boolean;
  delivered?: number;
  held?: number;
  released?: number;
  replied?: number;
  ok?: boolean;
  marks: Mark[];
  /** Every record of this event, in order: `kind` or `kind:detail`. */
  sequence: string[];
}

export interface Timeline {
  bars: Bar[];
  /** Instance ends (evicted, reset), as markers across the timeline. */
  ends: { at: number; label: string }[];
  start: number;
  end: number;
}

export function buildTimeline(events: readonly GateEvent[]): Timeline {
  const bars: Bar[] = [];
  const ends: Timeline['ends'] = [];
  let instance = 1;
  let lastEvent = 0;
  let byEvent = new Map<number, Bar>();
  /** Delivered, not yet replied, most recent last. */
  let running: Bar[] = [];

  const newInstance = () => {
    instance++;
    lastEvent = 0;
    byEvent = new Map();
    running = [];
  };

  for (const e of events) {
    switch (e.kind) {
      case 'arrived': {
        if (e.event <= lastEvent) newInstance();
        lastEvent = e.event;
        const bar: Bar = { id: `${instance}:${e.event}`, instance, event: e.event, label: e.label, arrived: e.at, inputWait: false, marks: [], sequence: ['arrived'] };
        bars.push(bar);
        byEvent.set(e.event, bar);
        break;
      }
      case 'input-waiting': {
        const bar = byEvent.get(e.event);
        if (bar) {
          bar.inputWait = true;
          bar.sequence.push('input-waiting');
        }
        break;
      }
      case 'delivered': {
        const bar = byEvent.get(e.event);
        if (bar) {
          bar.delivered = e.at;
          bar.sequence.push('delivered');
          running.push(bar);
        }
        break;
      }
      case 'storage-read':
      case 'storage-write': {
        const bar = running[running.length - 1];
        if (bar) {
          bar.marks.push({ at: e.at, kind: e.kind, detail: e.op });
          bar.sequence.push(`${e.kind}:${e.op}`);
        }
        break;
      }
      case 'commit-started':
      case 'commit-finished': {
        // A commit belongs to every event whose output waits for it, and to the one running.
        const detail = e.kind === 'commit-finished' ? (e.ok ? 'ok' : `failed: ${e.error ?? ''}`) : '';
        const owners = new Set(running.filter((b) => b.held !== undefined && b.released === undefined));
        const current = running[running.length - 1];
        if (current) owners.add(current);
        for (const bar of owners) {
          bar.marks.push({ at: e.at, kind: e.kind, detail });
          bar.sequence.push(e.kind);
        }
        break;
      }
      case 'output-held':
      case 'output-released': {
        const bar = e.event !== undefined ? byEvent.get(e.event) : running[running.length - 1];
        if (!bar) break;
        if (e.kind === 'output-held' && e.output === 'reply') bar.held = e.at;
        if (e.kind === 'output-released' && e.output === 'reply') bar.released = e.at;
        bar.marks.push({ at: e.at, kind: e.kind, detail: e.output });
        bar.sequence.push(e.kind);
        break;
      }
      case 'reply-sent': {
        const bar = byEvent.get(e.event);
        if (bar) {
          bar.replied = e.at;
          bar.ok = e.ok;
          bar.sequence.push('reply-sent');
          running = running.filter((b) => b !== bar);
        }
        break;
      }
      case 'evicted':
      case 'reset':
        ends.push({ at: e.at, label: e.kind === 'evicted' ? `evicted (${e.reason})` : `reset: ${e.message}` });
        newInstance();
        break;
    }
  }
  const times = events.map((e) => e.at);
  return { bars, ends, start: times.length ? Math.min(...times) : 0, end: times.length ? Math.max(...times) : 0 };
}
