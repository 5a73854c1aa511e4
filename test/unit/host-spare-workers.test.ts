import { afterEach, describe, expect, it } from 'vitest';
import { setSpareWorkers } from '../../src/host/object-host.ts';
import { hostWithFakeWorkers as setup } from './fake-object-worker.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => setSpareWorkers(1));

describe('spare object workers', () => {
  it('keeps one spare once the host has hosted an object, warms its SQLite and app, and names no object until it is assigned', async () => {
    const { workers, place } = setup();
    (await place('a')).answer();
    const spares = workers.filter((w) => w.name === 'hearth spare');
    expect(spares).toHaveLength(1);
    await Promise.resolve();
    // Only `warm` (instantiate SQLite, evaluate the app): no init, so no lock and no storage.
    expect(spares[0]!.posted.map((m) => m.type)).toEqual(['warm']);
    expect(spares[0]!.posted[0]).toMatchObject({ type: 'warm', app: { kind: 'url', url: 'https://app.test/worker.js' } });
  });

  it('replaces a used spare after the object first answers, not while it starts; with no answer through this page, after 200 ms', async () => {
    const answered = setup();
    const a = await answered.place('a');
    expect(answered.workers.filter((w) => w.name === 'hearth spare')).toHaveLength(0);
    a.answer();
    expect(answered.workers.filter((w) => w.name === 'hearth spare')).toHaveLength(1);

    const silent = setup();
    await silent.place('a');
    expect(silent.workers.filter((w) => w.name === 'hearth spare')).toHaveLength(0);
    await sleep(250); // the 200 ms fallback timer was set first, so it has fired by now
    expect(silent.workers.filter((w) => w.name === 'hearth spare')).toHaveLength(1);
  });

  it('gives the spare to the next object; in a burst two load behind it, and after the burst only one is kept', async () => {
    const { workers, place } = setup();
    (await place('a')).answer();
    const spare = workers.find((w) => w.name === 'hearth spare')!;
    const b = await place('b');
    expect(b).toBe(spare);
    expect(spare.posted.find((m) => m.type === 'init')).toMatchObject({ type: 'init', init: { address: { name: 'b' } } });
    // The next placement of a burst comes before one spare spawned now could load: keep one more loading behind it.
    const unassigned = () => workers.filter((w) => w.name === 'hearth spare' && !w.posted.some((m) => m.type === 'init'));
    expect(unassigned()).toHaveLength(2);
    // A placement well after the last became ready (the burst window is 100 ms) takes one and spawns none while it
    // starts: the one left is the ordinary spare, and no more are kept.
    await sleep(250);
    const c = await place('c');
    expect(c.name).toBe('hearth spare');
    expect(unassigned()).toHaveLength(1);
    expect(workers.filter((w) => w.terminated)).toHaveLength(0);
  });

  it('drops a spare whose modules fail to load, so no object is ever given it', async () => {
    const { workers, place } = setup();
    (await place('a')).answer();
    const broken = workers.find((w) => w.name === 'hearth spare')!;
    broken.fail();
    expect(broken.terminated).toBe(true);
    const b = await place('b');
    expect(b).not.toBe(broken);
    expect(broken.posted.filter((m) => m.type !== 'warm')).toEqual([]);
  });

  it('spawns no spares when turned off, and close() ends the ones it has', async () => {
    const { host, workers, place } = setup();
    (await place('a')).answer();
    const spare = workers.find((w) => w.name === 'hearth spare')!;
    await host.close();
    expect(spare.terminated).toBe(true);

    setSpareWorkers(0);
    const second = setup();
    await second.place('a');
    await second.place('b');
    expect(second.workers.filter((w) => w.name === 'hearth spare')).toHaveLength(0);
  });
});
