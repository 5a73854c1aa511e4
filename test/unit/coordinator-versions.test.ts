import { describe, expect, it } from 'vitest';
import { Coordinator, type HostLink } from '../../src/coordinator/coordinator.ts';
import { compareVersions, newestVersion } from '../../src/coordinator/versions.ts';
import type { AppVersion, CoordinatorToHost, ObjectAddress } from '../../src/protocol.ts';

const address: ObjectAddress = { namespaceKey: 'app-Counter', className: 'Counter', id: 'a'.repeat(64), name: 'A' };
const key = `app-Counter:${'a'.repeat(64)}`;
const v1: AppVersion = { id: 'v1', builtAt: 1000 };
const v2: AppVersion = { id: 'v2', builtAt: 2000 };

type Place = Extract<CoordinatorToHost, { type: 'place' }>;
type Stop = Extract<CoordinatorToHost, { type: 'stop' }>;

function setup() {
  const deaths = new Map<string, () => void>();
  const coordinator = new Coordinator({ watchHost: (hostId, gone) => deaths.set(hostId, gone) });
  const host = (hostId: string, version: AppVersion) => {
    const inbox: CoordinatorToHost[] = [];
    const link: HostLink = { hostId, post: (m) => void inbox.push(m) };
    coordinator.receive(link, { type: 'hello', version, script: 'app', migrations: [], classes: [], hostId, objects: [] });
    const of = <T extends CoordinatorToHost['type']>(type: T) =>
      inbox.filter((m) => m.type === type) as Extract<CoordinatorToHost, { type: T }>[];
    return { link, inbox, of, last: () => inbox[inbox.length - 1]! };
  };
  /** Resolve from `from`, and let whichever host is told to place it answer `placed`. */
  const placeVia = (from: ReturnType<typeof host>, hosts: ReturnType<typeof host>[], rid: number) => {
    coordinator.receive(from.link, { type: 'resolve', rid, address });
    for (const h of hosts) {
      const place = h.last();
      if (place.type === 'place') {
        coordinator.receive(h.link, { type: 'placed', rid: place.rid, key, epoch: place.epoch });
        return { host: h, place };
      }
    }
    throw new Error('nobody was asked to place the object');
  };
  return { coordinator, host, placeVia, kill: (hostId: string) => deaths.get(hostId)!() };
}

describe('which version is active', () => {
  it('is the newest builtAt, ties broken by id', () => {
    expect(newestVersion([v1, v2])).toEqual(v2);
    expect(newestVersion([v2, v1])).toEqual(v2);
    expect(newestVersion([{ id: 'b', builtAt: 5 }, { id: 'a', builtAt: 5 }])).toEqual({ id: 'b', builtAt: 5 });
    expect(compareVersions({ id: 'a', builtAt: 5 }, { id: 'a', builtAt: 5 })).toBe(0);
    expect(newestVersion([])).toBeUndefined();
  });
});

describe('coordinator across versions', () => {
  it('places an object asked for by an older tab on a tab of the active version', () => {
    const { coordinator, host, placeVia } = setup();
    const old = host('old', v1);
    const fresh = host('new', v2);
    const { host: placedOn } = placeVia(old, [old, fresh], 1);
    expect(placedOn).toBe(fresh);
    // The old tab gets a port to the new tab's worker.
    const resolved = old.last() as Extract<CoordinatorToHost, { type: 'resolved' }>;
    expect(resolved).toMatchObject({ type: 'resolved', rid: 1, key, hostId: 'new' });
    expect(resolved.port).toBeDefined();
    expect(coordinator.snapshot()).toEqual([expect.objectContaining({ key, hostId: 'new', version: 'v2', state: 'live' })]);
  });

  it('when a newer tab joins, stops objects on older tabs and places them again only after they stopped', () => {
    const { coordinator, host, placeVia } = setup();
    const old = host('old', v1);
    const { place: first } = placeVia(old, [old], 1);
    const fresh = host('new', v2);
    expect(old.last()).toEqual({ type: 'stop', key, epoch: first.epoch, reason: 'update' });

    // Callers that come meanwhile wait: no second instance while the first still runs.
    coordinator.receive(old.link, { type: 'resolve', rid: 2, address });
    coordinator.receive(fresh.link, { type: 'resolve', rid: 3, address });
    expect(fresh.of('place')).toHaveLength(0);
    expect(old.of('place')).toHaveLength(1);

    coordinator.receive(old.link, { type: 'stopped', key, epoch: first.epoch });
    expect(fresh.of('lost')).toEqual([{ type: 'lost', key, epoch: first.epoch }]);
    const places = fresh.of('place');
    expect(places).toHaveLength(1);
    const second = places[0]!;
    expect(second.epoch).toBeGreaterThan(first.epoch);
    coordinator.receive(fresh.link, { type: 'placed', rid: second.rid, key, epoch: second.epoch });
    expect(old.of('resolved').map((m) => m.rid)).toEqual([1, 2]);
    expect(fresh.of('resolved').map((m) => m.rid)).toEqual([3]);
    expect(coordinator.snapshot()).toEqual([expect.objectContaining({ hostId: 'new', epoch: second.epoch })]);
  });

  it('a tab of the same or an older version joining stops nothing', () => {
    const { host, placeVia } = setup();
    const a = host('a', v2);
    placeVia(a, [a], 1);
    const b = host('b', v2);
    const c = host('c', v1);
    expect([...a.of('stop'), ...b.of('stop'), ...c.of('stop')]).toEqual([]);
  });

  it('a placement still starting on an old tab is stopped as soon as it is live, and its waiters go to the new version', () => {
    const { coordinator, host } = setup();
    const old = host('old', v1);
    coordinator.receive(old.link, { type: 'resolve', rid: 1, address });
    const first = old.last() as Place;
    const fresh = host('new', v2);
    expect(old.of('stop')).toEqual([]);
    coordinator.receive(old.link, { type: 'placed', rid: first.rid, key, epoch: first.epoch });
    expect(old.last()).toEqual({ type: 'stop', key, epoch: first.epoch, reason: 'update' } satisfies Stop);
    expect(old.of('resolved')).toEqual([]);
    coordinator.receive(old.link, { type: 'stopped', key, epoch: first.epoch });
    expect(fresh.last()).toMatchObject({ type: 'place', address });
  });

  it('when the newest tab leaves, the active version falls back to the newest remaining one', () => {
    const { coordinator, host, placeVia, kill } = setup();
    const old = host('old', v1);
    const fresh = host('new', v2);
    placeVia(old, [old, fresh], 1);
    kill('new');
    expect(coordinator.activeVersion()).toEqual(v1);
    coordinator.receive(old.link, { type: 'resolve', rid: 2, address });
    expect(old.last()).toMatchObject({ type: 'place', address });
  });

  it('runs the class the new version names for a namespace (a rename keeps the namespace)', () => {
    const { coordinator } = setup();
    const inbox: CoordinatorToHost[] = [];
    const link: HostLink = { hostId: 'n', post: (m) => void inbox.push(m) };
    coordinator.receive(link, {
      type: 'hello',
      hostId: 'n',
      objects: [],
      version: v2,
      script: 'app',
      migrations: [],
      classes: [{ className: 'Tally', namespaceKey: 'app-Counter', sqlite: true }],
    });
    coordinator.receive(link, { type: 'resolve', rid: 1, address });
    expect(inbox[inbox.length - 1]).toMatchObject({ type: 'place', address: { ...address, className: 'Tally' } });
  });
});
