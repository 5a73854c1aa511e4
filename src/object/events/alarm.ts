/**
 * The alarm, inside one object worker: what `getAlarm`/`setAlarm`/`deleteAlarm`
 * see, the `alarm(alarmInfo)` event, and keeping the coordinator's schedule in
 * step with the object's own database (DO-API §7).
 *
 * The object's database is the truth (`_cf_METADATA`, storage/alarm-metadata.ts);
 * the coordinator's schedule only says when to knock. So:
 *  - A delivery runs the handler only if the stored alarm still is the one
 *    scheduled and is due. A late, duplicate or stale delivery (a coordinator
 *    that restarted, two coordinators for a moment) runs nothing and answers
 *    with what is stored now: at-least-once, never a run of an alarm that was
 *    replaced or deleted.
 *  - One `alarm()` at a time: a second delivery while one runs waits for its
 *    outcome instead of starting another.
 *  - While the handler runs, `getAlarm()` is null unless something set a new
 *    alarm (workerd's rule). After it:
 *      success, alarm untouched → deleted;
 *      failure, alarm untouched → kept for the retry (dropped after
 *        `ALARM_RETRY_MAX_TRIES` retries);
 *      touched (setAlarm/deleteAlarm) → the new state stands, no retry.
 *  - Every committed change is reported to the coordinator (through the host)
 *    with a sequence number; replies that follow a confirmed change wait for
 *    the coordinator to have recorded it (`holdOutput`, bounded by
 *    `RECORD_WAIT_MS` so no reply hangs on a coordinator that is gone; an
 *    unanswered report is sent again until one is recorded). A
 *    change made inside an open explicit transaction is reported when it
 *    commits; a rolled-back change is never reported (the stored value, read
 *    after the commit, is what gets reported).
 */
import type { AlarmOutcome, CallPayload } from '../../protocol.ts';
import type { Delivered, EventKind } from './event-kind.ts';
import { serializeError } from '../../errors.ts';
import { macrotask } from '../../macrotask.ts';
import type { AlarmMetadata } from '../../storage/alarm-metadata.ts';
import type { ImplicitTransaction } from '../../storage/implicit-transaction.ts';

/** workerd's `ALARM_RETRY_MAX_TRIES`: retries after the first run, then the alarm is dropped. */
export const ALARM_RETRY_MAX_TRIES = 6;
/** Wall-time limit of one `alarm()` run. */
export const ALARM_WALL_LIMIT_MS = 15 * 60_000;
/** How long a reply waits for the coordinator to record an alarm change. */
const RECORD_WAIT_MS = 2_000;

const NO_HANDLER_WARNING =
  'Attempted to run a scheduled alarm without a handler, did you remember to export an alarm() function?';

export interface AlarmInfo {
  readonly retryCount: number;
  readonly isRetry: boolean;
  readonly scheduledTime: number;
}

interface Running {
  scheduledTime: number;
  /** setAlarm/deleteAlarm ran during the handler. */
  touched: boolean;
  outcome: Promise<AlarmOutcome>;
}

export class ObjectAlarms {
  readonly #metadata: AlarmMetadata;
  readonly #txn: ImplicitTransaction;
  readonly #epoch: number;
  readonly #report: (seq: number, time: number | null) => void;
  #running: Running | undefined;
  #seq = 0;
  /** The last value reported (undefined: nothing yet). */
  #reported: number | null | undefined;
  /** A change not yet reported; `#dirtyConfirmed`: one that holds output. */
  #dirty = false;
  #dirtyConfirmed = false;
  #recordWaiters: { seq: number; done: () => void }[] = [];
  #retryScheduled = false;
  /**
   * A handler past the wall-time limit cannot be cancelled in JavaScript, so
   * the runtime resets the object with this error (workerd aborts the run);
   * the scheduler counts it as a failed run.
   */
  onWallLimit: ((error: Error) => void) | undefined;

  constructor(metadata: AlarmMetadata, txn: ImplicitTransaction, epoch: number, report: (seq: number, time: number | null) => void) {
    this.#metadata = metadata;
    this.#txn = txn;
    this.#epoch = epoch;
    this.#report = report;
  }

  /** `getAlarm()`: null while the handler of the stored alarm runs. */
  get(): number | null {
    const stored = this.#metadata.get();
    const running = this.#running;
    if (running && !running.touched && stored === running.scheduledTime) return null;
    return stored;
  }

  /** `setAlarm(time)` / `deleteAlarm()` (`null`), already validated and clamped. */
  set(time: number | null, confirmed: boolean): void {
    this.#metadata.set(time, confirmed);
    if (this.#running) this.#running.touched = true;
    this.#markDirty(confirmed);
  }

  /** `deleteAll()` dropped `_cf_METADATA` with everything else. */
  wiped(): void {
    if (this.#running) this.#running.touched = true;
    this.#markDirty(true);
  }

  #markDirty(confirmed: boolean): void {
    this.#dirty = true;
    if (confirmed) this.#dirtyConfirmed = true;
    // Report even if no reply ever asks (a change made in a timer or a waitUntil).
    macrotask(() => void this.#flush());
  }

  /** Tell the coordinator what is stored when this instance starts: the schedule may be behind. */
  reportInitial(): void {
    this.#reported = this.#metadata.get();
    this.#report(++this.#seq, this.#reported);
  }

  /**
   * For the output gate: a promise while a confirmed change has not reached
   * the coordinator's schedule yet, else undefined (the fast path of every reply).
   */
  holdOutput(): Promise<void> | undefined {
    if (!this.#dirtyConfirmed && this.#recordWaiters.length === 0) return undefined;
    return this.#flush();
  }

  /** The coordinator recorded report `seq`. */
  recorded(seq: number): void {
    const waiters = this.#recordWaiters;
    this.#recordWaiters = waiters.filter((w) => w.seq > seq);
    for (const w of waiters) if (w.seq <= seq) w.done();
  }

  async #flush(): Promise<void> {
    if (this.#txn.broken) return;
    // Report committed state only: wait for the implicit commit; an explicit transaction reports when it ends.
    if (this.#txn.open) await this.#txn.whenCommitted().catch(() => {});
    if (this.#txn.broken) return;
    const pending = this.#recordWaiters.at(-1);
    if (this.#dirty && this.#txn.inTransaction) {
      // Not before the explicit transaction ends (it may roll back), and never holding output meanwhile:
      // its own closure may await output (a fetch). Look again soon, even if no reply asks.
      if (!this.#retryScheduled) {
        this.#retryScheduled = true;
        setTimeout(() => {
          this.#retryScheduled = false;
          void this.#flush();
        }, 20);
      }
      return;
    }
    if (this.#dirty) {
      this.#dirty = false;
      this.#dirtyConfirmed = false;
      const stored = this.#metadata.get();
      if (stored !== this.#reported) {
        this.#reported = stored;
        const seq = ++this.#seq;
        this.#report(seq, stored);
        return this.#waitRecorded(seq);
      }
    }
    if (pending) return this.#waitRecorded(pending.seq);
  }

  #waitRecorded(seq: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // No answer: the coordinator may have died with the report. Let the reply go (the alarm is durable
        // here), and report again until one answers (a new coordinator, once the host has re-attached).
        this.recorded(seq);
        if (seq === this.#seq) {
          this.#reported = undefined;
          this.#dirty = true;
          setTimeout(() => void this.#flush(), RECORD_WAIT_MS);
        }
      }, RECORD_WAIT_MS);
      this.#recordWaiters.push({
        seq,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /**
   * Deliver one alarm. `invoke` runs the handler after the input gate admits
   * the event (the runtime's job: constructing the instance, admission). A
   * thrown handler is an outcome, not an error: the caller is the scheduler.
   */
  deliver(
    invocation: { scheduledTime: number; retryCount: number; drop?: boolean; early?: true },
    invoke: (info: AlarmInfo) => Promise<'ran' | 'no-handler'>,
  ): Promise<AlarmOutcome> {
    if (this.#running) return this.#running.outcome;
    const stored = this.#metadata.get();
    // `early`: the devtools' "fire now" runs the stored alarm before its time, otherwise exactly as when due.
    if (stored === null || stored !== invocation.scheduledTime || (stored > Date.now() && !invocation.early)) {
      return this.#settled({ ran: false, retry: false, next: stored });
    }
    if (invocation.drop) {
      this.set(null, true);
      return this.#settled({ ran: false, retry: false, next: null });
    }
    const running: Running = { scheduledTime: invocation.scheduledTime, touched: false, outcome: undefined! };
    this.#running = running;
    running.outcome = this.#run(running, invocation.retryCount, invoke).finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    return running.outcome;
  }

  async #run(
    running: Running,
    retryCount: number,
    invoke: (info: AlarmInfo) => Promise<'ran' | 'no-handler'>,
  ): Promise<AlarmOutcome> {
    const info: AlarmInfo = Object.freeze({ retryCount, isRetry: retryCount > 0, scheduledTime: running.scheduledTime });
    let error: unknown;
    let failed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = Object.assign(new Error('Alarm exceeded its allowed execution time'), { overloaded: true });
          reject(error);
          this.onWallLimit?.(error);
        }, ALARM_WALL_LIMIT_MS);
      });
      const how = await Promise.race([invoke(info), limit]);
      if (how === 'no-handler') {
        console.warn(NO_HANDLER_WARNING);
        // No handler: nothing to retry; the alarm is done.
        if (!running.touched) this.set(null, true);
      }
    } catch (thrown) {
      failed = true;
      error = thrown;
    } finally {
      clearTimeout(timer);
    }
    // Decide in one synchronous step, so no other event changes the alarm in between.
    this.#running = undefined;
    let retry = false;
    if (!running.touched && this.#metadata.get() === running.scheduledTime) {
      // (A `ctx.abort()` never gets here: the reset fails the delivery, and the runtime tells it about retryAlarm.)
      if (failed && retryCount < ALARM_RETRY_MAX_TRIES) retry = true;
      else this.set(null, true);
    }
    await this.#txn.whenDurable();
    const next = this.#metadata.get();
    return this.#settled({ ran: true, retry, next, ...(failed ? { error: serializeError(error) } : {}) });
  }

  async #settled(outcome: Omit<AlarmOutcome, 'epoch' | 'seq'>): Promise<AlarmOutcome> {
    await this.#txn.whenDurable();
    return { ...outcome, epoch: this.#epoch, seq: this.#seq };
  }
}

/** The `alarm` event: run `instance.alarm(alarmInfo)` for one delivery (admitted by the input gate already). */
export function deliverAlarm(
  alarms: ObjectAlarms,
  instance: Record<string, unknown>,
  payload: Extract<CallPayload, { kind: 'alarm' }>,
): Promise<AlarmOutcome> {
  return alarms.deliver(payload, async (info) => {
    if (typeof instance.alarm !== 'function') return 'no-handler';
    await (instance.alarm as (info: AlarmInfo) => unknown).call(instance, info);
    return 'ran';
  });
}

/** The `alarm` event kind behind the dispatch (events/dispatch.ts): its reply's value is the `AlarmOutcome`. */
export const alarmEvent: EventKind<Extract<CallPayload, { kind: 'alarm' }>> = {
  label: (payload) => (payload.drop ? 'alarm (delete)' : payload.retryCount > 0 ? `alarm retry ${payload.retryCount}` : 'alarm'),
  async deliver(target, payload): Promise<Delivered> {
    return { value: await target.runAlarm(payload), transfer: [] };
  },
};
