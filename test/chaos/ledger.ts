/**
 * The chaos suite's bookkeeping (pure logic, unit-tested): what the tabs said
 * about each call, compared with what the object logged it ran.
 */
import type { ChaosEvent } from '../chaos-app/main.ts';
import type { Execution } from '../chaos-app/src/worker.ts';
import type { ChurnKind } from './chaos.ts';

export interface Counters {
  churnTrials: number;
  churn: Partial<Record<ChurnKind, number>>;
  browserKills: number;
  callsSent: number;
  acknowledged: number;
  doubleInstances: number;
  acknowledgedButLost: number;
  appliedTwice: number;
  /**
   * Edge calls run twice because the browser dispatched the fetch event again
   * to a restarted service worker (each run from a different run of the edge).
   * Not a Hearth re-send: counted apart, see docs/reliability.md.
   */
  redispatchedByBrowser: number;
  hung: number;
  /** `name: message` → how many, and how many of them were retryable. */
  rejections: Record<string, { count: number; retryable: number }>;
  notes: string[];
}

export function emptyCounters(): Counters {
  return {
    churnTrials: 0,
    churn: {},
    browserKills: 0,
    callsSent: 0,
    acknowledged: 0,
    doubleInstances: 0,
    acknowledgedButLost: 0,
    appliedTwice: 0,
    redispatchedByBrowser: 0,
    hung: 0,
    rejections: {},
    notes: [],
  };
}

/** What this process heard from the tabs, per object name. */
export class Ledger {
  readonly sent = new Map<string, Set<string>>();
  readonly acked = new Map<string, Set<string>>();
  readonly counters: Counters;

  constructor(counters: Counters) {
    this.counters = counters;
  }

  on(event: ChaosEvent): void {
    const set = (map: Map<string, Set<string>>) => {
      let s = map.get(event.name);
      if (!s) map.set(event.name, (s = new Set()));
      return s;
    };
    if (event.t === 'sent') {
      set(this.sent).add(event.callId);
      this.counters.callsSent++;
    } else if (event.t === 'ack') {
      set(this.acked).add(event.callId);
      this.counters.acknowledged++;
    } else if (event.t === 'reject') {
      // Per-incident references would make every internal error its own row.
      const key = `${event.errorName}: ${event.message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<uuid>')}`;
      const row = (this.counters.rejections[key] ??= { count: 0, retryable: 0 });
      row.count++;
      if (event.retryable) row.retryable++;
    }
  }

  ackedCount(name: string): number {
    return this.acked.get(name)?.size ?? 0;
  }

  /** Compare what callers saw with the object's own log. */
  audit(name: string, log: Execution[]): { lost: number; twice: number; doubleInstance: boolean } {
    const seen = new Map<string, number>();
    for (const row of log) seen.set(row.call_id, (seen.get(row.call_id) ?? 0) + 1);
    let lost = 0;
    for (const id of this.acked.get(name) ?? []) if (!seen.has(id)) lost++;
    let twice = 0;
    for (const [id, n] of seen) {
      if (n <= 1) continue;
      const runs = log.filter((r) => r.call_id === id);
      // Every run from a different run of the edge: the browser re-dispatched the fetch event.
      if (runs.every((r) => r.origin.startsWith('edge:')) && new Set(runs.map((r) => r.origin)).size === n) {
        this.counters.redispatchedByBrowser += n - 1;
        continue;
      }
      twice += n - 1;
      this.counters.notes.push(`${name}: ${id} ran ${n} times (${runs.map((r) => `#${r.seq} by ${r.instance.slice(0, 8)} from ${r.origin}`).join(', ')})`);
    }
    // Executions are logged in commit order; an instance that runs again after another one started was alive alongside it.
    const finished = new Set<string>();
    let current: string | undefined;
    let doubleInstance = false;
    for (const row of log) {
      if (row.instance === current) continue;
      if (finished.has(row.instance)) doubleInstance = true;
      if (current) finished.add(current);
      current = row.instance;
    }
    this.counters.acknowledgedButLost += lost;
    this.counters.appliedTwice += twice;
    if (doubleInstance) this.counters.doubleInstances++;
    return { lost, twice, doubleInstance };
  }
}

