import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlarmScheduler, backoffMs } from '../../src/coordinator/alarm-scheduler.ts';
import { MemoryAlarmStore } from '../../src/coordinator/alarm-schedule.ts';
import type { AlarmOutcome, CallPayload, ObjectAddress } from '../../src/protocol.ts';

const address: ObjectAddress = { namespaceKey: 'app-A', className: 'A', id: 'a'.repeat(64), name: 'a' };
const key = `app-A:${'a'.repeat(64)}`;
type AlarmCall = Extract<CallPayload, { kind: 'alarm' }>;

function setup(answer: (call: AlarmCall) => Promise<AlarmOutcome> | AlarmOutcome) {
  const store = new MemoryAlarmStore();
  const calls: (AlarmCall & { at: number })[] = [];
  const scheduler = new AlarmScheduler({
    store,
    random: () => 0,
    deliver: async (_address, call) => {
      calls.push({ ...call, at: Date.now() });
      return answer(call);
    },
  });
  return { store, calls, scheduler };
}

const outcome = (o: Partial<AlarmOutcome>): AlarmOutcome => ({ ran: true, retry: false, next: null, epoch: 1, seq: 1, ...o });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

describe('alarm scheduler', () => {
  it('backs off 2 s << n plus at most 25 % jitter', () => {
    expect([0, 1, 2, 5].map((n) => backoffMs(n, () => 0))).toEqual([2000, 4000, 8000, 64000]);
    expect(backoffMs(1, () => 0.999)).toBeLessThanOrEqual(5000);
  });

  it('delivers when due, and retries with the same scheduled time and a growing count', async () => {
    let failures = 2;
    const { calls, scheduler, store } = setup(() => (failures-- > 0 ? outcome({ retry: true, next: 1_000_500 }) : outcome({})));
    await scheduler.report(address, 1, 1, 1_000_500);
    expect(store.records.get(key)).toMatchObject({ scheduledTime: 1_000_500, retryCount: 0, runAt: 1_000_500 });
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(2000);
    await vi.advanceTimersByTimeAsync(4000);
    expect(calls.map(({ scheduledTime, retryCount, at }) => [scheduledTime, retryCount, at])).toEqual([
      [1_000_500, 0, 1_000_500],
      [1_000_500, 1, 1_002_500],
      [1_000_500, 2, 1_006_500],
    ]);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.records.size).toBe(0);
    expect(scheduler.entries()).toEqual([]);
  });

  it('ignores a report older than one already applied, and keeps the retry state when an object reports the same time again', async () => {
    const { scheduler, store } = setup(() => outcome({ retry: true, next: 1_000_000, epoch: 5, seq: 2 }));
    await scheduler.report(address, 5, 2, 1_000_000);
    await scheduler.report(address, 5, 1, null); // late, older: ignored
    expect(store.records.get(key)?.scheduledTime).toBe(1_000_000);
    await vi.advanceTimersByTimeAsync(10); // the run fails: retry 1 is due in 2 s
    expect(scheduler.entries()).toEqual([expect.objectContaining({ retryCount: 1, runAt: 1_002_000 })]);
    await scheduler.report(address, 6, 1, 1_000_000); // a restarted instance reports what it has stored
    expect(scheduler.entries()).toEqual([expect.objectContaining({ retryCount: 1, runAt: 1_002_000 })]);
    await scheduler.report(address, 6, 2, null);
    expect(scheduler.entries()).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.records.size).toBe(0);
  });

  it('retries a delivery that could not reach the object without counting it, and at once when a host joins', async () => {
    let reachable = false;
    const { calls, scheduler } = setup(() => {
      if (!reachable) throw new Error('Network connection lost.');
      return outcome({});
    });
    await scheduler.report(address, 1, 1, 1_000_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    reachable = true;
    scheduler.hostAvailable();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.retryCount)).toEqual([0, 0]);
    expect(scheduler.entries()).toEqual([]);
  });

  it('turns a reset with retryAlarm: false into a delivery that only deletes the alarm', async () => {
    const { calls, scheduler } = setup((call) => {
      if (!call.drop) throw Object.assign(new Error('bye'), { durableObjectReset: true, retryAlarm: false });
      return outcome({ ran: false, next: null });
    });
    await scheduler.report(address, 1, 1, 1_000_000);
    await vi.advanceTimersByTimeAsync(10);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.map((c) => c.drop ?? false)).toEqual([false, true]);
    expect(scheduler.entries()).toEqual([]);
  });

  it('counts a reset by the object itself (ctx.abort) as a failed run', async () => {
    let aborts = 1;
    const { calls, scheduler } = setup(() => {
      if (aborts-- > 0) throw Object.assign(new Error('Application called abort() to reset Durable Object.'), { durableObjectReset: true });
      return outcome({});
    });
    await scheduler.report(address, 1, 1, 1_000_000);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls.map((c) => [c.retryCount, c.at])).toEqual([[0, 1_000_000], [1, 1_002_000]]);
  });

  it('a new coordinator rebuilds the schedule from the store', async () => {
    const first = setup(() => outcome({}));
    await first.scheduler.report(address, 1, 1, 1_000_300);
    const second = new AlarmScheduler({ store: first.store, deliver: async () => outcome({}) });
    await second.loaded;
    expect(second.entries()).toEqual([expect.objectContaining({ key, scheduledTime: 1_000_300, retryCount: 0 })]);
  });
});

describe('alarm scheduler and migrations', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('forgets the alarms of namespaces a migration deleted', async () => {
    const { scheduler, store, calls } = setup(() => outcome({}));
    await scheduler.report(address, 1, 1, Date.now() + 1000);
    await scheduler.report({ ...address, namespaceKey: 'app-B', className: 'B' }, 1, 1, Date.now() + 1000);
    await scheduler.forgetNamespaces(['app-A']);
    expect(scheduler.entries().map((e) => e.className)).toEqual(['B']);
    expect([...store.records.values()].map((r) => r.address.namespaceKey)).toEqual(['app-B']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
  });
});
