import { describe, expect, it } from 'vitest';
import type { NormalizedMigration } from '../../src/config-record.ts';
import { Coordinator, type HostLink } from '../../src/coordinator/coordinator.ts';
import { planMigrations } from '../../src/coordinator/migration-plan.ts';
import type { AppVersion, CoordinatorToHost, ObjectAddress } from '../../src/protocol.ts';

const m = (tag: string, deletedNamespaceKeys: string[] = []): NormalizedMigration => ({ tag, deletedNamespaceKeys });
const address: ObjectAddress = { namespaceKey: 'app-Room', className: 'Room', id: 'b'.repeat(64), name: 'r' };
const key = `app-Room:${'b'.repeat(64)}`;
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('planMigrations', () => {
  it('returns the tags after the applied prefix, in order', () => {
    expect(planMigrations([], [m('v1'), m('v2')])).toEqual({ pending: [m('v1'), m('v2')] });
    expect(planMigrations(['v1'], [m('v1'), m('v2')])).toEqual({ pending: [m('v2')] });
    expect(planMigrations(['v1', 'v2'], [m('v1'), m('v2')])).toEqual({ pending: [] });
  });

  it('treats a list that lacks only the newest applied tags as an older config, not an error', () => {
    expect(planMigrations(['v1', 'v2', 'v3'], [m('v1')])).toEqual({ pending: [] });
    expect(planMigrations(['v1'], [])).toEqual({ pending: [] });
  });

  it('names the first tag that differs when applied tags were changed or reordered', () => {
    const changed = planMigrations(['v1', 'v2'], [m('v1'), m('v3')]);
    expect('error' in changed && changed.error.message).toContain('migrations[1] has tag "v3", but the migration applied at that position has tag "v2", which was not found in your config');
    const reordered = planMigrations(['v1', 'v2'], [m('v2'), m('v1')]);
    expect('error' in reordered && reordered.error.message).toContain('migrations[0] has tag "v2", but the migration applied at that position has tag "v1", which is listed at migrations[1] instead');
  });
});

function setup(applied: Record<string, string[]> = {}) {
  const calls: string[] = [];
  let release: (() => void) | undefined;
  const coordinator = new Coordinator({
    watchHost: () => {},
    appliedMigrations: async (script) => [...(applied[script] ?? [])],
    applyMigration: async (script, migration) => {
      calls.push(`${script}:${migration.tag}`);
      if (migration.tag === 'slow') await new Promise<void>((r) => (release = r));
    },
  });
  const host = (hostId: string, migrations: NormalizedMigration[], version: AppVersion = { id: 'v', builtAt: 0 }, script = 'app') => {
    const inbox: CoordinatorToHost[] = [];
    const link: HostLink = { hostId, post: (msg) => void inbox.push(msg) };
    coordinator.receive(link, { type: 'hello', hostId, objects: [], version, script, migrations, classes: [] });
    return { link, inbox, last: () => inbox[inbox.length - 1]! };
  };
  return { coordinator, host, calls, release: () => release?.() };
}

describe('coordinator applying migrations', () => {
  it('applies each pending migration once, in order, before placing anything', async () => {
    const { coordinator, host, calls, release } = setup({ app: ['v1'] });
    const a = host('A', [m('v1'), m('slow'), m('v3')]);
    coordinator.receive(a.link, { type: 'resolve', rid: 1, address });
    expect(a.inbox.filter((x) => x.type === 'place')).toEqual([]);
    await flush();
    expect(calls).toEqual(['app:slow']);
    expect(a.inbox.filter((x) => x.type === 'place')).toEqual([]);
    release();
    await flush();
    expect(calls).toEqual(['app:slow', 'app:v3']);
    expect(a.last()).toMatchObject({ type: 'place', address });

    // Another tab with the same config applies nothing again.
    host('B', [m('v1'), m('slow'), m('v3')]);
    await flush();
    expect(calls).toEqual(['app:slow', 'app:v3']);
  });

  it('stops live objects of a deleted namespace and applies the delete only once they stopped', async () => {
    const { coordinator, host, calls } = setup();
    const a = host('A', []);
    coordinator.receive(a.link, { type: 'resolve', rid: 1, address });
    const place = a.last() as Extract<CoordinatorToHost, { type: 'place' }>;
    coordinator.receive(a.link, { type: 'placed', rid: place.rid, key, epoch: place.epoch });

    host('B', [m('v1'), m('v2', ['app-Room'])]);
    await flush();
    expect(calls).toEqual(['app:v1']);
    expect(a.last()).toEqual({ type: 'stop', key, epoch: place.epoch, reason: 'update' });
    coordinator.receive(a.link, { type: 'stopped', key, epoch: place.epoch });
    await flush();
    expect(calls).toEqual(['app:v1', 'app:v2']);
  });

  it('fails every resolve with the mismatch error while the applied tags conflict, and recovers when the config is fixed', async () => {
    const { coordinator, host, calls } = setup({ app: ['v1', 'v2'] });
    const a = host('A', [m('v1'), m('v3')]);
    await flush();
    coordinator.receive(a.link, { type: 'resolve', rid: 1, address });
    const failed = a.last() as Extract<CoordinatorToHost, { type: 'resolve-failed' }>;
    expect(failed.type).toBe('resolve-failed');
    expect(failed.error.message).toContain('tag "v2", which was not found in your config');
    expect(calls).toEqual([]);

    const b = host('B', [m('v1'), m('v2'), m('v3')]);
    await flush();
    expect(calls).toEqual(['app:v3']);
    coordinator.receive(b.link, { type: 'resolve', rid: 2, address });
    expect(b.last()).toMatchObject({ type: 'place' });
  });

  it('records tags per script: another Worker name starts from none', async () => {
    const { host, calls } = setup({ app: ['v1'] });
    host('A', [m('v1')], undefined, 'app');
    host('O', [m('v1')], undefined, 'other');
    await flush();
    expect(calls).toEqual(['other:v1']);
  });

  it('applies only the active version\'s migrations: an older tab with other tags changes nothing', async () => {
    const { host, calls } = setup({ app: ['v1', 'v2'] });
    host('new', [m('v1'), m('v2')], { id: 'b', builtAt: 2 });
    host('old', [m('v1'), m('x')], { id: 'a', builtAt: 1 });
    await flush();
    expect(calls).toEqual([]);
  });
});
