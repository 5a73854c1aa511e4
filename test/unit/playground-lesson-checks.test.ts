/**
 * The lessons' checks read what the runtime did. Fed recorded runs, they pass
 * on what shows the behaviour and fail on what does not.
 */
import { describe, expect, it } from 'vitest';
import { inputGate } from '../../playground/lessons/input-gate.ts';
import { eventStories } from '../../playground/lessons/output-gate.ts';
import type { CallRecord } from '../../playground/call-log.ts';
import type { GateRecord } from '../../playground/gate-feed.ts';
import type { GateEvent, GateRecord as Record_ } from '../../src/protocol.ts';

const ID = 'a'.repeat(64);
const idOf = () => ID;
let at = 0;
const gate = (record: Record_): GateRecord => ({ key: `playground-Racer:${ID}`, event: { ...record, at: ++at } as GateEvent });

function batch(wait: string, values: number[]): CallRecord[] {
  const id = `${wait}-${Math.random()}`;
  return values.map((value, i) => ({
    id: `${id}-${i}`, tab: 'h', kind: 'rpc', binding: 'RACER', name: 'race', method: 'bump', args: [wait],
    batch: id, batchSize: values.length, ok: true, value, started: 1, ended: 2,
  }));
}

const kept = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const lost = (n: number) => Array.from({ length: n }, (_, i) => 1 + (i % 3));

describe('the input-gate check', () => {
  const interleaved = [
    gate({ kind: 'arrived', event: 1, label: 'rpc bump' }), gate({ kind: 'arrived', event: 2, label: 'rpc bump' }),
    gate({ kind: 'delivered', event: 1 }), gate({ kind: 'delivered', event: 2 }),
  ];

  it('passes with every row of the table seen and requests seen interleaving', () => {
    const calls = [...batch('storage', kept(20)), ...batch('timer', lost(20)), ...batch('fetch', lost(20))];
    expect(inputGate.check({ calls, gates: interleaved, idOf }).passed).toBe(true);
  });

  it('fails when a timer kept every update (it ran inside blockConcurrencyWhile), or a batch is too small or incomplete', () => {
    expect(inputGate.check({ calls: [...batch('storage', kept(20)), ...batch('timer', kept(20)), ...batch('fetch', lost(20))], gates: interleaved, idOf }).passed).toBe(false);
    expect(inputGate.check({ calls: [...batch('storage', kept(5)), ...batch('timer', lost(5)), ...batch('fetch', lost(5))], gates: interleaved, idOf }).passed).toBe(false);
    const incomplete = batch('timer', lost(20)).slice(1);
    expect(inputGate.check({ calls: [...batch('storage', kept(20)), ...incomplete, ...batch('fetch', lost(20))], gates: interleaved, idOf }).passed).toBe(false);
  });

  it('does not count one request after another as interleaving', () => {
    const serial = [
      gate({ kind: 'arrived', event: 1, label: 'rpc bump' }), gate({ kind: 'arrived', event: 2, label: 'rpc bump' }),
      gate({ kind: 'delivered', event: 1 }), gate({ kind: 'storage-write', op: 'put' }), gate({ kind: 'delivered', event: 2 }),
      gate({ kind: 'storage-write', op: 'put' }),
    ];
    const calls = [...batch('storage', kept(20)), ...batch('timer', lost(20)), ...batch('fetch', lost(20))];
    expect(inputGate.check({ calls, gates: serial, idOf }).passed).toBe(false);
  });
});

describe('the output-gate story of an event', () => {
  it('says a reply waited for the commit only when it was held and left after the commit finished', () => {
    const stories = eventStories([
      gate({ kind: 'arrived', event: 1, label: 'rpc write' }), gate({ kind: 'delivered', event: 1 }),
      gate({ kind: 'output-held', output: 'reply', event: 1 }), gate({ kind: 'commit-finished', ok: true }),
      gate({ kind: 'reply-sent', event: 1, ok: true }),
      gate({ kind: 'arrived', event: 2, label: 'rpc writeUnconfirmed' }), gate({ kind: 'delivered', event: 2 }),
      gate({ kind: 'reply-sent', event: 2, ok: true }),
    ]);
    expect(stories).toEqual([
      { label: 'rpc write', held: true, waitedForCommit: true, replied: true, heldAt: expect.any(Number) },
      { label: 'rpc writeUnconfirmed', held: false, waitedForCommit: false, replied: true },
    ]);
  });
});
