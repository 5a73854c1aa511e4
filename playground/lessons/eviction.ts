/** Lesson 4: eviction — memory is lost, storage stays, the constructor runs again. */
import { callsTo, evictionsOf, oneClassProject, result, type Lesson } from './lesson.ts';

const MEMO = `import { DurableObject } from 'cloudflare:workers';

export class Memo extends DurableObject {
  // Set when the constructor runs: a new instance gets a new value.
  constructedAt = new Date().toLocaleTimeString();
  inMemory = 0;

  async bump() {
    this.inMemory++;
    const stored = ((await this.ctx.storage.get<number>('stored')) ?? 0) + 1;
    await this.ctx.storage.put('stored', stored);
    return { inMemory: this.inMemory, stored, constructedAt: this.constructedAt };
  }
}
`;

interface Bump {
  inMemory: number;
  stored: number;
  constructedAt: string;
}

export const eviction: Lesson = {
  id: 'eviction',
  title: '4. Eviction, in-memory state and the constructor',
  summary:
    'An idle object is evicted from memory. Its fields are gone; its storage is not. The next request constructs a new instance — so keep in memory only what you can rebuild from storage.',
  // Evicted after 4 s without events (Cloudflare waits longer; the lesson should not).
  project: oneClassProject({ binding: 'MEMO', className: 'Memo', file: 'memo.ts', source: MEMO, hearth: { idleTimeoutMs: 4000 } }),
  call: { binding: 'MEMO', name: 'memo', method: 'bump', args: '', times: 1 },
  steps: [
    'Call bump() three times: inMemory and stored count up together.',
    'Wait 4 seconds without calling (or press "Evict now" on the Objects panel).',
    'Call bump() again: stored goes on, inMemory starts again at 1, and constructedAt is new.',
  ],
  watch: 'The Objects panel shows the object go from live to idle; the Timeline marks the end of the instance ("evicted").',
  docs: [
    { label: 'Lifecycle of a Durable Object', url: 'https://developers.cloudflare.com/durable-objects/concepts/durable-object-lifecycle/' },
    { label: 'In-memory state in a Durable Object', url: 'https://developers.cloudflare.com/durable-objects/reference/in-memory-state/' },
  ],
  check(input) {
    const bumps = callsTo(input, 'MEMO', 'memo', 'bump').filter((c) => c.ok);
    const evictions = evictionsOf(input, 'MEMO', 'memo');
    const afterEviction = bumps.filter((c) => evictions.some((e) => e.event.at < c.started));
    const value = (c: (typeof bumps)[number]) => c.value as Bump;
    const memoryLost = afterEviction.some((later) =>
      bumps.some((earlier) => earlier.ended < later.started && value(later).stored > value(earlier).stored && value(later).inMemory <= value(earlier).inMemory && value(later).constructedAt !== value(earlier).constructedAt),
    );
    return result([
      { text: 'bump() counted in memory and in storage', done: bumps.some((c) => value(c).inMemory >= 2) },
      { text: 'the object was evicted', done: evictions.length > 0 },
      { text: 'after the eviction: storage kept counting, memory started over, the constructor ran again', done: memoryLost },
    ]);
  },
};
