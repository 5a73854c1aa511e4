/** The devtools' timeline model: gate records → one bar per event, with its phases (src/devtools/timeline-model.ts). */
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/devtools/timeline-model.ts';
import type { GateEvent } from '../../src/protocol.ts';

let t = 1000;
const at = <T extends object>(r: T) => ({ ...r, at: t++ }) as unknown as GateEvent;

describe('the timeline model', () => {
  it('gives a write-then-reply event its phases in order, with the commit inside its output hold', () => {
    const events = [
      at({ kind: 'arrived', event: 1, label: 'rpc persist' }),
      at({ kind: 'delivered', event: 1 }),
      at({ kind: 'storage-write', op: 'put' }),
      at({ kind: 'output-held', output: 'reply', event: 1 }),
      at({ kind: 'commit-started' }),
      at({ kind: 'commit-finished', ok: true }),
      at({ kind: 'output-released', output: 'reply', ok: true, event: 1 }),
      at({ kind: 'reply-sent', event: 1, ok: true }),
    ];
    const [bar] = buildTimeline(events).bars;
    expect(bar!.sequence).toEqual(['arrived', 'delivered', 'storage-write:put', 'output-held', 'commit-started', 'commit-finished', 'output-released', 'reply-sent']);
    expect(bar!.held! < bar!.released!).toBe(true);
    expect(bar!.replied).toBe(events[7]!.at);
  });

  it('marks an event that waited at the input gate, and gives storage calls to the event running', () => {
    const { bars } = buildTimeline([
      at({ kind: 'arrived', event: 1, label: 'a' }),
      at({ kind: 'delivered', event: 1 }),
      at({ kind: 'arrived', event: 2, label: 'b' }),
      at({ kind: 'input-waiting', event: 2 }),
      at({ kind: 'storage-read', op: 'get' }),
      at({ kind: 'reply-sent', event: 1, ok: true }),
      at({ kind: 'delivered', event: 2 }),
      at({ kind: 'storage-write', op: 'put' }),
      at({ kind: 'reply-sent', event: 2, ok: false }),
    ]);
    expect(bars.map((b) => b.sequence)).toEqual([
      ['arrived', 'delivered', 'storage-read:get', 'reply-sent'],
      ['arrived', 'input-waiting', 'delivered', 'storage-write:put', 'reply-sent'],
    ]);
    expect(bars[1]!.inputWait).toBe(true);
    expect(bars[1]!.ok).toBe(false);
  });

  it('starts a new instance after an eviction, so restarted event numbers do not merge', () => {
    const timeline = buildTimeline([
      at({ kind: 'arrived', event: 1, label: 'a' }),
      at({ kind: 'reply-sent', event: 1, ok: true }),
      at({ kind: 'evicted', reason: 'evict' }),
      at({ kind: 'arrived', event: 1, label: 'b' }),
    ]);
    expect(timeline.bars.map((b) => b.id)).toEqual(['1:1', '2:1']);
    expect(timeline.ends.map((e) => e.label)).toEqual(['evicted (evict)']);
  });
});
