/**
 * The output gate's alarm rule (object/events/alarm.ts): a reply that follows
 * a confirmed alarm change waits until the coordinator has recorded it; an
 * unconfirmed change does not hold output; a rolled-back change is never
 * reported. The object's storage is replaced by the two things ObjectAlarms
 * reads of it: the stored time and the transaction state.
 */
import { describe, expect, it, vi } from 'vitest';
import { ObjectAlarms } from '../../src/object/events/alarm.ts';
import type { AlarmMetadata } from '../../src/storage/alarm-metadata.ts';
import type { ImplicitTransaction } from '../../src/storage/implicit-transaction.ts';

function setup() {
  let stored: number | null = null;
  const metadata = { get: () => stored, set: (t: number | null) => void (stored = t) } as unknown as AlarmMetadata;
  const txn = { open: false, inTransaction: false, broken: undefined, whenCommitted: async () => {}, whenDurable: async () => {} };
  const reports: [number, number | null][] = [];
  const alarms = new ObjectAlarms(metadata, txn as unknown as ImplicitTransaction, 7, (seq, time) => void reports.push([seq, time]));
  return { alarms, reports, txn, setStored: (t: number | null) => void (stored = t) };
}

const settled = async (promise: Promise<unknown> | undefined) => {
  let done = false;
  void promise?.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 10));
  return done;
};

describe('alarm reports and the output gate', () => {
  it('holds a reply after setAlarm until the coordinator recorded the report', async () => {
    const { alarms, reports } = setup();
    alarms.reportInitial();
    alarms.set(5_000, true);
    const held = alarms.holdOutput();
    expect(held).toBeInstanceOf(Promise);
    expect(await settled(held)).toBe(false);
    expect(reports).toEqual([[1, null], [2, 5_000]]);
    alarms.recorded(2);
    expect(await settled(held)).toBe(true);
    expect(alarms.holdOutput()).toBeUndefined();
  });

  it('does not hold output for an allowUnconfirmed change, and still reports it', async () => {
    const { alarms, reports } = setup();
    alarms.reportInitial();
    alarms.set(6_000, false);
    expect(alarms.holdOutput()).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(reports.at(-1)).toEqual([2, 6_000]);
  });

  it('reports nothing for a change an explicit transaction rolled back', async () => {
    const { alarms, reports, txn, setStored } = setup();
    alarms.reportInitial();
    txn.inTransaction = true;
    alarms.set(7_000, true);
    expect(await settled(alarms.holdOutput())).toBe(true); // an open transaction never holds its own output
    setStored(null); // rolled back
    txn.inTransaction = false;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alarms.holdOutput()).toBeUndefined();
    expect(reports).toEqual([[1, null]]);
  });

  it('lets the reply go after a bounded wait when no coordinator answers, and reports again', async () => {
    vi.useFakeTimers();
    try {
      const { alarms, reports } = setup();
      alarms.reportInitial();
      alarms.set(8_000, true);
      const held = alarms.holdOutput()!;
      await vi.advanceTimersByTimeAsync(2_000);
      await held;
      await vi.advanceTimersByTimeAsync(2_000);
      expect(reports.filter(([, t]) => t === 8_000).length).toBeGreaterThanOrEqual(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
