/**
 * A hibernated object's sockets stay with the tab that hosted it. When that
 * tab reports the worker `stopped` with `keepsSockets`, the object's next
 * placement goes back to that tab — even when another tab asks first — so
 * its sockets and the object meet again.
 */
import { describe, expect, it } from 'vitest';
import { Coordinator, type HostLink } from '../../src/coordinator/coordinator.ts';
import type { CoordinatorToHost, ObjectAddress } from '../../src/protocol.ts';

const address: ObjectAddress = { namespaceKey: 'app-Room', className: 'Room', id: 'b'.repeat(64), name: 'lobby' };
const key = `app-Room:${'b'.repeat(64)}`;

function setup() {
  const coordinator = new Coordinator({ watchHost: () => {} });
  const host = (hostId: string) => {
    const inbox: CoordinatorToHost[] = [];
    const link: HostLink = { hostId, post: (m) => void inbox.push(m) };
    coordinator.receive(link, { type: 'hello', version: { id: 'v', builtAt: 0 }, script: 'app', migrations: [], classes: [], hostId, objects: [] });
    return { link, inbox, last: () => inbox[inbox.length - 1]! };
  };
  return { coordinator, host };
}

function placeOn(coordinator: Coordinator, asker: ReturnType<ReturnType<typeof setup>['host']>, rid: number) {
  coordinator.receive(asker.link, { type: 'resolve', rid, address });
}

/** Tabs A and B; the object is placed on A (A asked first), then A's worker stops — keeping its sockets or not. */
function stoppedOnA(stopped: { keepsSockets?: true }) {
  const { coordinator, host } = setup();
  const a = host('A');
  const b = host('B');
  placeOn(coordinator, a, 1);
  const first = a.last() as Extract<CoordinatorToHost, { type: 'place' }>;
  coordinator.receive(a.link, { type: 'placed', rid: first.rid, key, epoch: first.epoch });
  coordinator.receive(a.link, { type: 'stopped', key, epoch: first.epoch, ...stopped });
  return { coordinator, a, b };
}

describe('placement after hibernation', () => {
  it('goes back to the tab that keeps the sockets, not to the tab that asked', () => {
    const { coordinator, a, b } = stoppedOnA({ keepsSockets: true });

    placeOn(coordinator, b, 2);
    const again = a.inbox.filter((m) => m.type === 'place');
    expect(again).toHaveLength(2);
    expect(b.inbox.some((m) => m.type === 'place')).toBe(false);
  });

  it('without kept sockets, places on the tab that asked, as always', () => {
    const { coordinator, b } = stoppedOnA({});

    placeOn(coordinator, b, 2);
    expect(b.last()).toMatchObject({ type: 'place', address });
  });
});
