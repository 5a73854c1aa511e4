/**
 * The coordinator's alarm clock: knows when each object's alarm is due, and
 * when it is, has it delivered — placing the object on a live host like any
 * request, so alarms fire with nobody calling, on whichever tab is alive.
 *
 * Why here: the coordinator (a SharedWorker) lives as long as any tab of the
 * origin, and its timers are not throttled like a background tab's.
 *
 * Rules (DO-API §7):
 *  - One record per object. Objects report every committed change of their
 *    alarm (`report`) with `(epoch, seq)`; an older report than one already
 *    applied is ignored (reports and delivery outcomes travel different paths).
 *  - A report of the time already scheduled keeps the retry state (a restarted
 *    object reporting its stored alarm must not reset `retryCount`).
 *  - A failed run (outcome `retry`) is delivered again after `2 s << n` plus
 *    0–25 % jitter, `n` the retries so far; the object itself drops the alarm
 *    after six retries.
 *  - A delivery that fails without running user code to its end (the host
 *    died, no host is open, the object was reset by a code update) is
 *    retried without counting, with a capped backoff, and at once when a host
 *    joins. A reset by the object itself (`ctx.abort()`) counts, unless it
 *    said `retryAlarm: false`: then the alarm is deleted.
 *  - Each record has at most one delivery in flight from this coordinator;
 *    another coordinator (after a restart) may deliver the same alarm again —
 *    the object runs it at most once per stored alarm (events/alarm.ts).
 *  - Every change is written to the store before it is acknowledged.
 */
import { objectKey, type AlarmEntry, type AlarmOutcome, type CallPayload, type ObjectAddress } from '../protocol.ts';
import type { AlarmRecord, AlarmStore } from './alarm-schedule.ts';

/** Longest single timer: the clock re-checks at least this often (a suspended machine, a changed clock). */
const MAX_TIMER_MS = 60_000;
const BASE_BACKOFF_MS = 2_000;
/** Internal failures back off like user ones, capped at 9 doublings (workerd). */
const MAX_INTERNAL_DOUBLINGS = 9;
const CODE_UPDATE_RESET = 'Durable Object reset because its code was updated.';

export interface AlarmSchedulerOptions {
  store: AlarmStore;
  /** Run the object's alarm; resolves with its outcome, rejects when the call itself failed. */
  deliver(address: ObjectAddress, payload: Extract<CallPayload, { kind: 'alarm' }>): Promise<AlarmOutcome>;
  /** For observing lateness in tests and the bench. */
  now?: () => number;
  random?: () => number;
}

/** `2 s << n` plus 0–25 % jitter: the wait before retry `n + 1`. */
export function backoffMs(n: number, random: () => number = Math.random): number {
  const base = BASE_BACKOFF_MS * 2 ** n;
  return Math.round(base * (1 + 0.25 * random()));
}

export class AlarmScheduler {
  readonly #options: AlarmSchedulerOptions;
  readonly #records = new Map<string, AlarmRecord>();
  /** The newest `(epoch, seq)` applied per object (kept after a delete, so a late report cannot revive it). */
  readonly #marks = new Map<string, [number, number]>();
  readonly #inFlight = new Set<string>();
  /** Uncounted failures in a row, per object. */
  readonly #internalFailures = new Map<string, number>();
  #writes: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly loaded: Promise<void>;

  constructor(options: AlarmSchedulerOptions) {
    this.#options = options;
    this.loaded = options.store.all().then(
      (records) => {
        for (const r of records) if (!this.#records.has(r.key)) this.#records.set(r.key, r);
        this.#arm();
      },
      (error) => console.warn('[hearth] alarm schedule could not be read', error),
    );
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /** What `runtime.inspect()` shows. */
  entries(): AlarmEntry[] {
    return [...this.#records.values()]
      .filter((r) => !r.drop)
      .map(({ key, address, scheduledTime, retryCount, runAt }) => ({
        key,
        className: address.className,
        id: address.id,
        ...(address.name !== undefined ? { name: address.name } : {}),
        scheduledTime,
        retryCount,
        runAt,
      }));
  }

  /** An object's stored alarm is now `time` (or none). Resolves once the schedule has stored it. */
  async report(address: ObjectAddress, epoch: number, seq: number, time: number | null): Promise<void> {
    await this.loaded;
    const key = objectKey(address);
    if (!this.#advance(key, epoch, seq)) return this.#writes;
    this.#apply(address, time);
    return this.#writes;
  }

  /** A migration deleted these namespaces (and their objects' storage): their alarms go too. */
  async forgetNamespaces(namespaceKeys: string[]): Promise<void> {
    await this.loaded;
    for (const [key, record] of [...this.#records]) {
      if (!namespaceKeys.includes(record.address.namespaceKey)) continue;
      this.#records.delete(key);
      this.#persist(() => this.#options.store.delete(key));
    }
    this.#arm();
    return this.#writes;
  }

  /**
   * The devtools' "fire the alarm now": deliver `key`'s alarm at once,
   * through the same delivery, outcome and retry path as when it comes due
   * (a failure is retried with backoff, each retry early too). False when
   * it has no alarm; a delivery already in flight is left to finish.
   */
  async fireNow(key: string): Promise<boolean> {
    await this.loaded;
    const record = this.#records.get(key);
    if (!record || record.drop) return false;
    if (this.#inFlight.has(key)) return true;
    record.runAt = this.#now();
    if (record.scheduledTime > record.runAt) record.early = true;
    this.#save(record);
    await this.#writes;
    this.#arm(true);
    return true;
  }

  /** A host joined: whatever is due (perhaps waiting for one) goes now. */
  hostAvailable(): void {
    void this.loaded.then(() => {
      const now = this.#now();
      for (const key of this.#internalFailures.keys()) {
        const record = this.#records.get(key);
        if (record) record.runAt = Math.min(record.runAt, now);
      }
      this.#internalFailures.clear();
      this.#arm(true);
    });
  }

  /** Is `(epoch, seq)` newer than (or as new as) what was applied for `key`? Records it if so. */
  #advance(key: string, epoch: number, seq: number): boolean {
    const mark = this.#marks.get(key);
    if (mark && (epoch < mark[0] || (epoch === mark[0] && seq < mark[1]))) return false;
    this.#marks.set(key, [epoch, seq]);
    return true;
  }

  #apply(address: ObjectAddress, time: number | null): void {
    const key = objectKey(address);
    const existing = this.#records.get(key);
    if (time === null) {
      if (!existing) return;
      this.#records.delete(key);
      this.#persist(() => this.#options.store.delete(key));
    } else {
      if (existing && existing.scheduledTime === time && !existing.drop) return;
      const record: AlarmRecord = { key, address, scheduledTime: time, retryCount: 0, runAt: time };
      this.#records.set(key, record);
      this.#persist(() => this.#options.store.put({ ...record }));
    }
    this.#arm();
  }

  #persist(write: () => Promise<void>): void {
    this.#writes = this.#writes.then(write).catch((error) => console.warn('[hearth] alarm schedule write failed', error));
  }

  #save(record: AlarmRecord): void {
    this.#persist(() => this.#options.store.put({ ...record }));
  }

  /** Set the timer for the earliest record not in flight; `now`: deliver what is due right away. */
  #arm(now = false): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    let earliest = Infinity;
    for (const r of this.#records.values()) if (!this.#inFlight.has(r.key)) earliest = Math.min(earliest, r.runAt);
    if (earliest === Infinity) return;
    const wait = now ? 0 : Math.max(0, Math.min(earliest - this.#now(), MAX_TIMER_MS));
    this.#timer = setTimeout(() => this.#fireDue(), wait);
  }

  #fireDue(): void {
    const now = this.#now();
    for (const record of this.#records.values()) {
      if (record.runAt <= now && !this.#inFlight.has(record.key)) void this.#fire(record);
    }
    this.#arm();
  }

  async #fire(record: AlarmRecord): Promise<void> {
    const key = record.key;
    this.#inFlight.add(key);
    const delivered = { ...record };
    try {
      const outcome = await this.#options.deliver(record.address, {
        kind: 'alarm',
        scheduledTime: record.scheduledTime,
        retryCount: record.retryCount,
        ...(record.drop ? { drop: true } : {}),
        ...(record.early ? { early: true as const } : {}),
      });
      this.#internalFailures.delete(key);
      this.#onOutcome(delivered, outcome);
    } catch (error) {
      this.#onFailure(delivered, error);
    } finally {
      this.#inFlight.delete(key);
      this.#arm();
    }
  }

  #onOutcome(delivered: AlarmRecord, outcome: AlarmOutcome): void {
    const key = delivered.key;
    if (!this.#advance(key, outcome.epoch, outcome.seq)) return; // a newer report already decided
    const current = this.#records.get(key);
    if (outcome.retry) {
      // The object kept the same alarm for a retry; unless a report replaced it meanwhile.
      if (!current || current.scheduledTime !== delivered.scheduledTime) return;
      current.retryCount = delivered.retryCount + 1;
      current.runAt = this.#now() + backoffMs(delivered.retryCount, this.#options.random);
      this.#save(current);
      return;
    }
    if (outcome.next === delivered.scheduledTime && current?.scheduledTime === delivered.scheduledTime && !outcome.ran) {
      // Not due yet in the object's eyes (a timer that fired a hair early): wait for its time.
      current.runAt = Math.max(current.runAt, delivered.scheduledTime);
      this.#save(current);
      return;
    }
    if (current?.drop && outcome.next === null) {
      this.#records.delete(key);
      this.#persist(() => this.#options.store.delete(key));
      return;
    }
    this.#apply(delivered.address, outcome.next);
  }

  #onFailure(delivered: AlarmRecord, error: unknown): void {
    const key = delivered.key;
    const current = this.#records.get(key);
    if (!current || current.scheduledTime !== delivered.scheduledTime) return; // replaced meanwhile
    const props = error as { durableObjectReset?: boolean; retryAlarm?: boolean; message?: string };
    if (props?.retryAlarm === false) {
      // Delete it in the object too, or its next start would report it again.
      current.drop = true;
      current.runAt = this.#now();
    } else if (props?.durableObjectReset && props.message !== CODE_UPDATE_RESET) {
      // The object reset itself during the run (`ctx.abort()`): a failed run.
      if (current.retryCount >= 6) {
        current.drop = true;
        current.runAt = this.#now();
      } else {
        current.runAt = this.#now() + backoffMs(current.retryCount, this.#options.random);
        current.retryCount++;
      }
    } else {
      const n = this.#internalFailures.get(key) ?? 0;
      this.#internalFailures.set(key, n + 1);
      current.runAt = this.#now() + backoffMs(Math.min(n, MAX_INTERNAL_DOUBLINGS), this.#options.random) / 2;
    }
    this.#save(current);
  }
}
