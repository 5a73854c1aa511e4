import { afterEach, describe, expect, it } from 'vitest';
import { setSpareWorkers } from '../../src/host/object-host.ts';
import { address, hostWithFakeWorkers as setup, tick } from './fake-object-worker.ts';

afterEach(() => setSpareWorkers(1));

describe('the live-object bound', () => {
  it('starts no worker beyond maxLiveObjectsPerHost until an evicted object has stopped', async () => {
    setSpareWorkers(0);
    const { workers, place, host } = setup(2);
    const a = await place('a');
    await place('b');
    const placing = host.place(address('c'), 1);
    await tick();
    // The least recently active object was asked to stop, and no third object worker exists yet.
    expect(a.posted.at(-1)).toEqual({ type: 'stop', reason: 'lru' });
    expect(workers).toHaveLength(2);
    a.say({ type: 'stopped', reason: 'lru' });
    await tick();
    // It is told to end itself once it has refused what is still queued for it (object-host.ts #retire).
    expect(a.posted.at(-1)).toEqual({ type: 'exit' });
    expect(workers).toHaveLength(3);
    workers[2]!.say({ type: 'ready' });
    await placing;
  });
});
