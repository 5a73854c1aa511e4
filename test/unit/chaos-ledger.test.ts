import { describe, expect, it } from 'vitest';
import { emptyCounters, Ledger } from '../chaos/ledger.ts';

const run = (seq: number, call_id: string, instance: string, origin = 'page') => ({ seq, call_id, instance, origin });

function ledgerWith(acked: string[]): Ledger {
  const ledger = new Ledger(emptyCounters());
  for (const callId of acked) {
    ledger.on({ t: 'sent', callId, name: 'o' });
    ledger.on({ t: 'ack', callId, name: 'o' });
  }
  return ledger;
}

describe("the chaos suite's audit", () => {
  it('finds nothing wrong in a clean log: instances follow one another, each call once', () => {
    const ledger = ledgerWith(['a', 'b', 'c']);
    expect(ledger.audit('o', [run(1, 'a', 'I1'), run(2, 'b', 'I1'), run(3, 'c', 'I2'), run(4, 'x', 'I2')])).toEqual({ lost: 0, twice: 0, doubleInstance: false });
    expect(ledger.counters.notes).toEqual([]);
  });

  it('counts two instances alive at once when the log goes back to an instance after another ran', () => {
    const ledger = ledgerWith([]);
    expect(ledger.audit('o', [run(1, 'a', 'I1'), run(2, 'b', 'I2'), run(3, 'c', 'I1')]).doubleInstance).toBe(true);
    expect(ledger.counters.doubleInstances).toBe(1);
  });

  it('counts an acknowledged call missing from the log as lost', () => {
    const ledger = ledgerWith(['a', 'b']);
    expect(ledger.audit('o', [run(1, 'a', 'I1')]).lost).toBe(1);
    expect(ledger.counters.acknowledgedButLost).toBe(1);
  });

  it('counts a call run twice, but puts a fetch the browser dispatched to two runs of the edge apart', () => {
    const ledger = ledgerWith([]);
    const log = [run(1, 'a', 'I1'), run(2, 'a', 'I2'), run(3, 'e', 'I2', 'edge:r1'), run(4, 'e', 'I2', 'edge:r2'), run(5, 'f', 'I2', 'edge:r2'), run(6, 'f', 'I2', 'edge:r2')];
    expect(ledger.audit('o', log).twice).toBe(2); // 'a' from pages, 'f' re-sent within one run of the edge
    expect(ledger.counters.redispatchedByBrowser).toBe(1); // 'e'
  });

  it('keys rejections by error, without per-incident references, and counts the retryable ones', () => {
    const ledger = ledgerWith([]);
    ledger.on({ t: 'reject', callId: 'a', name: 'o', errorName: 'Error', message: 'Network connection lost.', retryable: true });
    ledger.on({ t: 'reject', callId: 'b', name: 'o', errorName: 'Error', message: 'Internal error; reference = 0b2c51d4-1f0e-4a7c-9a7e-6a7b8c9d0e1f', retryable: false });
    expect(ledger.counters.rejections).toEqual({
      'Error: Network connection lost.': { count: 1, retryable: 1 },
      'Error: Internal error; reference = <uuid>': { count: 1, retryable: 0 },
    });
  });
});
