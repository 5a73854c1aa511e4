import { afterEach, describe, expect, it } from 'vitest';
import { setSpareWorkers } from '../../src/client/host.ts';
import { hostWithFakeWorkers as setup } from './fake-object-worker.ts';

afterEach(() => setSpareWorkers(1));

describe('spare object workers', () => {
  it('keeps one spare once the host has hosted an object, and posts nothing to it until it is assigned', async () => {
    const { workers, place } = setup();
    await place('a');
    const spares = workers.filter((w) => w.name === 'hearth spare');
    expect(spares).toHaveLength(1);
    // No init (so no lock, no storage): the spare has only loaded its modules.
    expect(spares[0]!.posted).toEqual([]);
  });

  it('gives the spare to the next object and spawns a replacement at once', async () => {
    const { workers, place } = setup();
    await place('a');
    const spare = workers.find((w) => w.name === 'hearth spare')!;
    const b = await place('b');
    expect(b).toBe(spare);
    expect(spare.posted[0]).toMatchObject({ type: 'init', init: { address: { name: 'b' } } });
    expect(workers.filter((w) => w.name === 'hearth spare' && w.posted.length === 0)).toHaveLength(1);
  });

  it('drops a spare whose modules fail to load, so no object is ever given it', async () => {
    const { workers, place } = setup();
    await place('a');
    const broken = workers.find((w) => w.name === 'hearth spare')!;
    broken.fail();
    expect(broken.terminated).toBe(true);
    const b = await place('b');
    expect(b).not.toBe(broken);
    expect(broken.posted).toEqual([]);
  });

  it('spawns no spares when turned off, and close() ends the ones it has', async () => {
    const { host, workers, place } = setup();
    await place('a');
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
