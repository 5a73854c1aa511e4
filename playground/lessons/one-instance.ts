/** Lesson 1: one object name is one live instance, whichever tab calls it. */
import { callsTo, oneClassProject, result, type Lesson } from './lesson.ts';

const COUNTER = `import { DurableObject } from 'cloudflare:workers';

export class Counter extends DurableObject {
  // A new random name each time the constructor runs: it names this instance.
  instance = crypto.randomUUID().slice(0, 8);

  async visit() {
    const visits = ((await this.ctx.storage.get<number>('visits')) ?? 0) + 1;
    await this.ctx.storage.put('visits', visits);
    return { instance: this.instance, visits };
  }
}
`;

export const oneInstance: Lesson = {
  id: 'one-instance',
  title: '1. One live instance across tabs',
  summary:
    'A Durable Object name maps to exactly one instance in the world. Every caller — here, every tab of this browser — reaches the same instance, with the same memory and the same storage.',
  // A long idle timeout: the instance stays in memory while you switch tabs.
  project: oneClassProject({ binding: 'COUNTER', className: 'Counter', file: 'counter.ts', source: COUNTER, hearth: { idleTimeoutMs: 300000 } }),
  call: { binding: 'COUNTER', name: 'shared', method: 'visit', args: '', times: 1 },
  steps: [
    'Call visit() here: note the instance name and the visit count.',
    'Open this lesson in a second tab (the button below) and call visit() there.',
    'Both tabs get the same instance name, and the count goes on from where the other tab left it.',
  ],
  watch: 'The Objects panel shows one Counter "shared", hosted by one tab; calls from the other tab reach it there.',
  docs: [
    { label: 'What are Durable Objects?', url: 'https://developers.cloudflare.com/durable-objects/what-are-durable-objects/' },
    { label: 'Access a Durable Object from a Worker', url: 'https://developers.cloudflare.com/durable-objects/best-practices/create-durable-object-stubs-and-send-requests/' },
  ],
  check(input) {
    const visits = callsTo(input, 'COUNTER', 'shared', 'visit').filter((c) => c.ok);
    const tabs = new Set(visits.map((c) => c.tab));
    const instanceOf = (c: (typeof visits)[number]) => (c.value as { instance?: string } | null)?.instance;
    const sameInstance = visits.some((a) => visits.some((b) => a.tab !== b.tab && instanceOf(a) && instanceOf(a) === instanceOf(b)));
    return result([
      { text: 'visit() answered in this tab or another', done: visits.length > 0 },
      { text: 'visit() called from two different tabs', done: tabs.size >= 2 },
      { text: 'both tabs were answered by the same instance', done: sameInstance },
    ]);
  },
};
