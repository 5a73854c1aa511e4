import { describe, expect, it } from 'vitest';
import { hostWithFakeWorkers as setup } from './fake-object-worker.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const askedToStop = (posted: { type: string }[]) => posted.some((m) => m.type === 'stop');

describe('the live-object bound in a burst of placements', () => {
  it('asks the least recently used object to stop ahead of the next placement when placements come back to back', async () => {
    const { place } = setup(2);
    const a = await place('a');
    const b = await place('b'); // right after `a` became ready: a burst, and `b` fills the bound of 2
    expect(askedToStop(a.posted)).toBe(true);
    expect(askedToStop(b.posted)).toBe(false);
  });

  it('leaves a full working set alone when placements are spaced out', async () => {
    const { place } = setup(2);
    const a = await place('a');
    await sleep(150);
    const b = await place('b');
    expect(askedToStop(a.posted)).toBe(false);
    expect(askedToStop(b.posted)).toBe(false);
  });
});
