import { describe, expect, it } from 'vitest';
import { Coordinator, type HostLink } from '../../src/coordinator/coordinator.ts';
import type { CoordinatorToHost, ObjectAddress } from '../../src/protocol.ts';

const address: ObjectAddress = { namespaceKey: 'app-Counter', className: 'Counter', id: 'a'.repeat(64), name: 'A' };
const key = `app-Counter:${'a'.repeat(64)}`;

function setup() {
  const deaths = new Map<string, () => void>();
  const coordinator = new Coordinator({ watchHost: (hostId, gone) => deaths.set(hostId, gone) });
  const host = (hostId: string) => {
    const inbox: CoordinatorToHost[] = [];
    const link: HostLink = { hostId, post: (m) => void inbox.push(m) };
    coordinator.receive(link, { type: 'hello', version: { id: 'v', builtAt: 0 }, script: 'app', migrations: [], classes: [], hostId, objects: [] });
    return { link, inbox, last: () => inbox[inbox.length - 1]! };
  };
  return { coordinator, host, kill: (hostId: string) => deaths.get(hostId)!() };
}

describe('coordinator', () => {
  it('places a new object on the tab that asked, then answers it without a port', () => {
    const { coordinator, host } = setup();
    const a = host('A');
    coordinator.receive(a.link, { type: 'resolve', rid: 1, address });
    const place = a.last();
    expect(place).toMatchObject({ type: 'place', address });
    const { rid, epoch } = place as Extract<CoordinatorToHost, { type: 'place' }>;
    coordinator.receive(a.link, { type: 'placed', rid, key, epoch });
    expect(a.last()).toEqual({ type: 'resolved', rid: 1, key, epoch, hostId: 'A' });
  });

  it('gives a caller on another tab a port whose other end goes to the host', () => {
    const { coordinator, host } = setup();
    const a = host('A');
    const b = host('B');
    coordinator.receive(a.link, { type: 'resolve', rid: 1, address });
    const { rid, epoch } = a.last() as Extract<CoordinatorToHost, { type: 'place' }>;
    coordinator.receive(a.link, { type: 'placed', rid, key, epoch });
    coordinator.receive(b.link, { type: 'resolve', rid: 7, address });
    const connect = a.last() as Extract<CoordinatorToHost, { type: 'connect' }>;
    const resolved = b.last() as Extract<CoordinatorToHost, { type: 'resolved' }>;
    expect(connect).toMatchObject({ type: 'connect', key, epoch });
    expect(resolved).toMatchObject({ type: 'resolved', rid: 7, key, epoch, hostId: 'A' });
    expect(resolved.port).toBeDefined();
    connect.port.close();
    resolved.port!.close();
  });

  it('queues resolves while placing, and answers them all once placed', () => {
    const { coordinator, host } = setup();
    const a = host('A');
    coordinator.receive(a.link, { type: 'resolve', rid: 1, address });
    coordinator.receive(a.link, { type: 'resolve', rid: 2, address });
    const places = a.inbox.filter((m) => m.type === 'place');
    expect(places).toHaveLength(1);
    const { rid, epoch } = places[0] as Extract<CoordinatorToHost, { type: 'place' }>;
    coordinator.receive(a.link, { type: 'placed', rid, key, epoch });
    expect(a.inbox.filter((m) => m.type === 'resolved').map((m) => (m as { rid: number }).rid)).toEqual([1, 2]);
  });

  it('when the host dies, tells everyone the epoch is lost and places the object again on the next resolve', () => {
    const { coordinator, host, kill } = setup();
    const a = host('A');
    const b = host('B');
    coordinator.receive(a.link, { type: 'resolve', rid: 1, address });
    const first = a.last() as Extract<CoordinatorToHost, { type: 'place' }>;
    coordinator.receive(a.link, { type: 'placed', rid: first.rid, key, epoch: first.epoch });
    kill('A');
    expect(b.last()).toEqual({ type: 'lost', key, epoch: first.epoch });
    coordinator.receive(b.link, { type: 'resolve', rid: 2, address });
    const second = b.last() as Extract<CoordinatorToHost, { type: 'place' }>;
    expect(second.type).toBe('place');
    expect(second.epoch).toBeGreaterThan(first.epoch);
  });

  it('re-places waiters whose placement died with its host', () => {
    const { coordinator, host, kill } = setup();
    const a = host('A');
    const b = host('B');
    coordinator.receive(a.link, { type: 'resolve', rid: 1, address });
    coordinator.receive(b.link, { type: 'resolve', rid: 2, address }); // waits on A's placement
    kill('A');
    expect(b.last()).toMatchObject({ type: 'place', address });
  });

  it('a stale epoch waits for the stopping instance, then gets a fresh one', () => {
    const { coordinator, host } = setup();
    const a = host('A');
    coordinator.receive(a.link, { type: 'resolve', rid: 1, address });
    const first = a.last() as Extract<CoordinatorToHost, { type: 'place' }>;
    coordinator.receive(a.link, { type: 'placed', rid: first.rid, key, epoch: first.epoch });
    coordinator.receive(a.link, { type: 'resolve', rid: 2, address, staleEpoch: first.epoch });
    expect(a.last()).toMatchObject({ type: 'resolved', rid: 1 }); // nothing new yet
    coordinator.receive(a.link, { type: 'stopped', key, epoch: first.epoch });
    const lost = a.inbox.find((m) => m.type === 'lost');
    expect(lost).toEqual({ type: 'lost', key, epoch: first.epoch });
    expect(a.last()).toMatchObject({ type: 'place' });
  });

  it('a failed placement fails every waiter with the error and forgets the object', () => {
    const { coordinator, host } = setup();
    const a = host('A');
    coordinator.receive(a.link, { type: 'resolve', rid: 1, address });
    const place = a.last() as Extract<CoordinatorToHost, { type: 'place' }>;
    const error = { name: 'TypeError', message: 'Worker does not export a Durable Object class named "Counter"' };
    coordinator.receive(a.link, { type: 'place-failed', rid: place.rid, key, epoch: place.epoch, error });
    expect(a.last()).toEqual({ type: 'resolve-failed', rid: 1, error });
    expect(coordinator.snapshot()).toEqual([]);
  });

  it('a fresh coordinator rebuilds its directory from what hosts say they run', () => {
    const { coordinator } = setup();
    const inbox: CoordinatorToHost[] = [];
    const link: HostLink = { hostId: 'A', post: (m) => void inbox.push(m) };
    coordinator.receive(link, { type: 'hello', version: { id: 'v', builtAt: 0 }, script: 'app', migrations: [], classes: [], hostId: 'A', objects: [{ key, address, epoch: 42 }] });
    coordinator.receive(link, { type: 'resolve', rid: 1, address });
    expect(inbox[inbox.length - 1]).toEqual({ type: 'resolved', rid: 1, key, epoch: 42, hostId: 'A' });
  });
});
