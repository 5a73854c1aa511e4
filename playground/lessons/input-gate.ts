/**
 * Lesson 2: the input gate, the lost-update table row by row (DO-API §15):
 * many concurrent `v = await get('n'); await X; await put('n', v + 1)` —
 * awaiting storage keeps every update; awaiting a timer or a fetch lets
 * other requests in, and updates are lost.
 */
import type { CallRecord } from '../call-log.ts';
import { callsTo, gatesOf, oneClassProject, result, type CheckInput, type Lesson } from './lesson.ts';

const RACER = `import { DurableObject } from 'cloudflare:workers';

interface Env {
  RACER: DurableObjectNamespace<Racer>;
}

export class Racer extends DurableObject<Env> {
  /** Read n, wait for something, write n + 1: the classic lost update — unless the input gate holds. */
  async bump(wait: 'storage' | 'timer' | 'fetch') {
    const n = (await this.ctx.storage.get<number>('n')) ?? 0;
    if (wait === 'storage') await this.ctx.storage.get('something else'); // the gate stays closed
    if (wait === 'timer') await new Promise((resolve) => setTimeout(resolve, 5)); // the gate opens
    if (wait === 'fetch') await this.env.RACER.getByName('helper').fetch('https://helper/'); // the gate opens
    await this.ctx.storage.put('n', n + 1);
    return n + 1;
  }

  async reset() {
    await this.ctx.storage.put('n', 0);
    return 0;
  }

  async count() {
    return (await this.ctx.storage.get<number>('n')) ?? 0;
  }

  // The "helper" object answers the fetch above.
  async fetch() {
    return new Response('hello from ' + this.ctx.id.name);
  }
}
`;

/** The batches of `bump(wait)` to the race object: how many ran at once, and whether every update was kept. */
export function bumpBatches(input: CheckInput): { wait: string; size: number; kept: boolean }[] {
  const byBatch = new Map<string, CallRecord[]>();
  for (const call of callsTo(input, 'RACER', 'race', 'bump')) {
    if (!call.ok) continue;
    byBatch.set(call.batch, [...(byBatch.get(call.batch) ?? []), call]);
  }
  return [...byBatch.values()]
    .filter((calls) => calls.length === calls[0]!.batchSize && calls.length >= 10)
    .map((calls) => {
      // Each bump returns the value it wrote: all different when every update was kept, repeats when some were lost.
      const values = new Set(calls.map((c) => c.value));
      return { wait: String(calls[0]!.args?.[0]), size: calls.length, kept: values.size === calls.length };
    });
}

/**
 * Did the timeline show a request let in while another was still running:
 * two deliveries with no write between them? Each bump writes once before it
 * returns, so while the gate holds, every delivery is followed by its write
 * before the next delivery; when the gate opens, deliveries pile up first.
 */
export function sawInterleaving(input: CheckInput): boolean {
  let deliveredSinceWrite = 0;
  const bumps = new Set<number>();
  for (const { event } of gatesOf(input, 'RACER', 'race')) {
    if (event.kind === 'arrived' && event.label === 'rpc bump') bumps.add(event.event);
    if (event.kind === 'delivered' && bumps.has(event.event) && ++deliveredSinceWrite >= 2) return true;
    if (event.kind === 'storage-write') deliveredSinceWrite = 0;
    if (event.kind === 'evicted' || event.kind === 'reset') (deliveredSinceWrite = 0), bumps.clear();
  }
  return false;
}

export const inputGate: Lesson = {
  id: 'input-gate',
  title: '2. The input gate: lost updates',
  summary:
    'While an object awaits its own storage, the input gate keeps other events out, so read-modify-write is safe without locks. Awaiting anything else — a timer, a fetch — opens the gate: other requests run in between, and updates are lost.',
  project: oneClassProject({ binding: 'RACER', className: 'Racer', file: 'racer.ts', source: RACER }),
  call: { binding: 'RACER', name: 'race', method: 'bump', args: '"storage"', times: 50 },
  steps: [
    'Call reset(), then bump("storage") 50 × at once: the answers are 1…50, every update kept, and count() is 50.',
    'reset(), then bump("timer") 50 × at once: answers repeat, count() is far below 50 — updates were lost.',
    'reset(), then bump("fetch") 50 × at once: the same — a fetch opens the gate too.',
    'Try: wrap the body of bump in this.ctx.blockConcurrencyWhile(async () => { … }) and run "timer" again: nothing is lost.',
  ],
  watch:
    'On the Timeline, with "storage" each bar runs alone; with "timer" or "fetch" the next request is delivered while the previous one is still running.',
  docs: [
    { label: 'Rules of Durable Objects: input gates', url: 'https://developers.cloudflare.com/durable-objects/best-practices/rules-of-durable-objects/' },
    { label: 'Durable Objects: Easy, Fast, Correct — Choose three', url: 'https://blog.cloudflare.com/durable-objects-easy-fast-correct-choose-three/' },
  ],
  check(input) {
    const batches = bumpBatches(input);
    const row = (wait: string, kept: boolean) => batches.some((b) => b.wait === wait && b.kept === kept);
    return result([
      { text: 'awaiting storage: a batch of ≥ 10 bumps at once kept every update', done: row('storage', true) },
      { text: 'awaiting a timer: a batch of ≥ 10 bumps at once lost updates', done: row('timer', false) },
      { text: 'awaiting a fetch: a batch of ≥ 10 bumps at once lost updates', done: row('fetch', false) },
      { text: 'the timeline showed a request let in while another was still running', done: sawInterleaving(input) },
    ]);
  },
};
