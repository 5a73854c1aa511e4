/** Lesson 3: the output gate — a reply that follows a write waits until the write is durable. */
import type { GateRecord } from '../gate-feed.ts';
import { gatesOf, oneClassProject, result, type Lesson } from './lesson.ts';

const LEDGER = `import { DurableObject } from 'cloudflare:workers';

export class Ledger extends DurableObject {
  async write(amount: number) {
    // No await: the write is queued, and the reply below is held until it is committed.
    this.ctx.storage.put('balance', amount);
    return 'saved ' + amount;
  }

  async writeUnconfirmed(amount: number) {
    // allowUnconfirmed: this reply does not wait for the commit (and could report a write that is then lost).
    this.ctx.storage.put('balance', amount, { allowUnconfirmed: true });
    return 'sent before the commit: ' + amount;
  }

  async read() {
    return (await this.ctx.storage.get<number>('balance')) ?? null;
  }
}
`;

interface EventStory {
  label: string;
  held: boolean;
  /** The reply left only after a commit had finished, with the output held until then. */
  waitedForCommit: boolean;
  replied: boolean;
}

/** Per event of one instance: its label, whether its reply was held, and whether it left after the commit. */
export function eventStories(records: readonly GateRecord[]): EventStory[] {
  const stories = new Map<number, EventStory & { heldAt?: number }>();
  let lastCommit = -Infinity;
  const out: EventStory[] = [];
  for (const { event } of records) {
    switch (event.kind) {
      case 'arrived':
        stories.set(event.event, { label: event.label, held: false, waitedForCommit: false, replied: false });
        break;
      case 'commit-finished':
        if (event.ok) lastCommit = event.at;
        break;
      case 'output-held':
        if (event.output === 'reply' && event.event !== undefined) {
          const s = stories.get(event.event);
          if (s) Object.assign(s, { held: true, heldAt: event.at });
        }
        break;
      case 'reply-sent': {
        const s = stories.get(event.event);
        if (!s) break;
        s.replied = true;
        s.waitedForCommit = s.held && s.heldAt !== undefined && lastCommit >= s.heldAt && event.at >= lastCommit;
        out.push(s);
        stories.delete(event.event);
        break;
      }
      case 'evicted':
      case 'reset':
        stories.clear();
    }
  }
  return out;
}

export const outputGate: Lesson = {
  id: 'output-gate',
  title: '3. The output gate: the reply waits for the commit',
  summary:
    'An object can write without awaiting and answer at once — yet nobody ever hears of a write that is later lost: the output gate holds the reply until the write is durable. allowUnconfirmed opts out.',
  project: oneClassProject({ binding: 'LEDGER', className: 'Ledger', file: 'ledger.ts', source: LEDGER }),
  call: { binding: 'LEDGER', name: 'books', method: 'write', args: '100', times: 1 },
  steps: [
    'Call write(100). It returns "saved 100" — but only once the put is committed.',
    'Call writeUnconfirmed(5): its reply leaves without waiting for the commit.',
    'Call read() to see the balance.',
  ],
  watch:
    'On the Timeline, click the write bar: "output-held (reply)", then "commit-finished", then "output-released" and the reply. The writeUnconfirmed bar has no held (amber) part.',
  docs: [
    { label: 'Rules of Durable Objects: output gates', url: 'https://developers.cloudflare.com/durable-objects/best-practices/rules-of-durable-objects/' },
    { label: 'Storage API: put() and allowUnconfirmed', url: 'https://developers.cloudflare.com/durable-objects/api/storage-api/' },
  ],
  check(input) {
    const stories = eventStories(gatesOf(input, 'LEDGER', 'books'));
    return result([
      { text: 'write(): its reply was held at the output gate and left after the commit', done: stories.some((s) => s.label === 'rpc write' && s.waitedForCommit) },
      { text: 'writeUnconfirmed(): its reply left without being held', done: stories.some((s) => s.label === 'rpc writeUnconfirmed' && s.replied && !s.held) },
    ]);
  },
};
