import { describe, expect, it } from 'vitest';
import { ConfigError, normalizeConfig, type WranglerConfig } from '../../src/config.ts';

const SRC = '/app/wrangler.jsonc';
const normalize = (config: WranglerConfig) => normalizeConfig(config, SRC);
const fails = (config: unknown) => () => normalizeConfig(config as WranglerConfig, SRC);
function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}
const bind = (...classes: string[]) => ({
  bindings: classes.map((c) => ({ name: c.toUpperCase(), class_name: c })),
});

describe('migrations decide each class namespace and backend', () => {
  it('new_classes are KV-backed and new_sqlite_classes SQLite-backed, keyed worker-class', () => {
    const config = normalize({
      name: 'chat',
      durable_objects: bind('Room', 'Legacy'),
      migrations: [{ tag: 'v1', new_sqlite_classes: ['Room'], new_classes: ['Legacy'] }],
    });
    expect(config.bindings).toEqual([
      { name: 'ROOM', className: 'Room', namespaceKey: 'chat-Room', sqlite: true },
      { name: 'LEGACY', className: 'Legacy', namespaceKey: 'chat-Legacy', sqlite: false },
    ]);
    expect(config.classes).toEqual([
      { className: 'Legacy', namespaceKey: 'chat-Legacy', sqlite: false },
      { className: 'Room', namespaceKey: 'chat-Room', sqlite: true },
    ]);
    expect(config.migrations).toEqual([{ tag: 'v1', deletedNamespaceKeys: [] }]);
  });

  it('a renamed class keeps the namespace and backend of the class it was', () => {
    const config = normalize({
      name: 'chat',
      durable_objects: bind('ChatRoom'),
      migrations: [
        { tag: 'v1', new_classes: ['Room'] },
        { tag: 'v2', renamed_classes: [{ from: 'Room', to: 'ChatRoom' }] },
      ],
    });
    expect(config.bindings[0]).toEqual({ name: 'CHATROOM', className: 'ChatRoom', namespaceKey: 'chat-Room', sqlite: false });
    expect(config.classes).toEqual([{ className: 'ChatRoom', namespaceKey: 'chat-Room', sqlite: false }]);
  });

  it('renames chain: A to B to C still stores in A namespace', () => {
    const config = normalize({
      name: 'w',
      migrations: [
        { tag: 'v1', new_sqlite_classes: ['A'] },
        { tag: 'v2', renamed_classes: [{ from: 'A', to: 'B' }] },
        { tag: 'v3', renamed_classes: [{ from: 'B', to: 'C' }] },
      ],
    });
    expect(config.classes).toEqual([{ className: 'C', namespaceKey: 'w-A', sqlite: true }]);
  });

  it('a class created under a renamed-away name gets a fresh namespace, not the old data', () => {
    const config = normalize({
      name: 'w',
      migrations: [
        { tag: 'v1', new_sqlite_classes: ['A'] },
        { tag: 'v2', renamed_classes: [{ from: 'A', to: 'B' }] },
        { tag: 'v3', new_sqlite_classes: ['A'] },
      ],
    });
    expect(config.classes).toEqual([
      { className: 'B', namespaceKey: 'w-A', sqlite: true },
      { className: 'A', namespaceKey: 'w-A@v3', sqlite: true },
    ]);
  });

  it('a transferred class uses the other script namespace, SQLite-backed', () => {
    const config = normalize({
      name: 'new-worker',
      durable_objects: bind('Dst'),
      migrations: [{ tag: 'v1', transferred_classes: [{ from: 'Src', from_script: 'old-worker', to: 'Dst' }] }],
    });
    expect(config.bindings[0]).toMatchObject({ className: 'Dst', namespaceKey: 'old-worker-Src', sqlite: true });
  });

  it('deleted_classes lists the namespace to wipe and the class stops existing', () => {
    const config = normalize({
      name: 'w',
      migrations: [
        { tag: 'v1', new_classes: ['Old'], new_sqlite_classes: ['Keep'] },
        { tag: 'v2', renamed_classes: [{ from: 'Old', to: 'Older' }] },
        { tag: 'v3', deleted_classes: ['Older'] },
      ],
    });
    expect(config.migrations).toEqual([
      { tag: 'v1', deletedNamespaceKeys: [] },
      { tag: 'v2', deletedNamespaceKeys: [] },
      { tag: 'v3', deletedNamespaceKeys: ['w-Old'] },
    ]);
    expect(config.classes).toEqual([{ className: 'Keep', namespaceKey: 'w-Keep', sqlite: true }]);
  });

  it('one migration may delete a class and create it again, empty', () => {
    const config = normalize({
      name: 'w',
      migrations: [
        { tag: 'v1', new_classes: ['A'] },
        { tag: 'v2', deleted_classes: ['A'], new_sqlite_classes: ['A'] },
      ],
    });
    expect(config.migrations[1]).toEqual({ tag: 'v2', deletedNamespaceKeys: ['w-A'] });
    expect(config.classes).toEqual([{ className: 'A', namespaceKey: 'w-A', sqlite: true }]);
  });

  it('unbound classes from migrations are listed, and a bound class no migration mentions is SQLite', () => {
    const config = normalize({
      durable_objects: bind('Free'),
      migrations: [{ tag: 'v1', new_classes: ['Unbound'] }],
    });
    expect(config.classes).toEqual([
      { className: 'Unbound', namespaceKey: 'worker-Unbound', sqlite: false },
      { className: 'Free', namespaceKey: 'worker-Free', sqlite: true },
    ]);
    expect(config.bindings[0]).toEqual({ name: 'FREE', className: 'Free', namespaceKey: 'worker-Free', sqlite: true });
  });
});

describe('migration mistakes are refused with Cloudflare-style messages', () => {
  const cases: [string, unknown, string][] = [
    ['deleting a class that does not exist', { migrations: [{ tag: 'v1', deleted_classes: ['Nope'] }] },
      `${SRC}: "migrations[0].deleted_classes": Cannot apply deleted_classes migration to non-existent class Nope`],
    ['renaming a class that does not exist', { migrations: [{ tag: 'v1', renamed_classes: [{ from: 'A', to: 'B' }] }] },
      `${SRC}: "migrations[0].renamed_classes": Cannot apply renamed_classes migration to non-existent class A`],
    ['renaming onto an existing class',
      { migrations: [{ tag: 'v1', new_classes: ['A', 'B'] }, { tag: 'v2', renamed_classes: [{ from: 'A', to: 'B' }] }] },
      `${SRC}: "migrations[1].renamed_classes": Cannot rename class A to B: class B already exists; the destination of a rename must not be created beforehand`],
    ['transferring onto an existing class',
      { migrations: [{ tag: 'v1', new_classes: ['B'] }, { tag: 'v2', transferred_classes: [{ from: 'A', from_script: 'other', to: 'B' }] }] },
      `${SRC}: "migrations[1].transferred_classes": Cannot transfer class A from other to B: class B already exists; the destination of a transfer must not be created beforehand`],
    ['transferring from the same Worker',
      { name: 'me', migrations: [{ tag: 'v1', transferred_classes: [{ from: 'A', from_script: 'me', to: 'B' }] }] },
      `${SRC}: "migrations[0].transferred_classes": Cannot transfer class A from this same Worker "me"; use renamed_classes`],
    ['transferring one class twice',
      { migrations: [{ tag: 'v1', transferred_classes: [{ from: 'A', from_script: 'o', to: 'B' }, { from: 'A', from_script: 'o', to: 'C' }] }] },
      `${SRC}: "migrations[0].transferred_classes": class A of o is transferred here twice`],
    ['declaring a class twice', { migrations: [{ tag: 'v1', new_classes: ['A'] }, { tag: 'v2', new_classes: ['A'] }] },
      `${SRC}: "migrations[1].new_classes": Cannot apply new_classes migration to existing class A`],
    ['declaring a class twice in one list', { migrations: [{ tag: 'v1', new_sqlite_classes: ['A', 'A'] }] },
      `${SRC}: "migrations[0].new_sqlite_classes": Cannot apply new_sqlite_classes migration to existing class A`],
    ['switching an existing class to SQLite', { migrations: [{ tag: 'v1', new_classes: ['A'] }, { tag: 'v2', new_sqlite_classes: ['A'] }] },
      `${SRC}: "migrations[1].new_sqlite_classes": Cannot apply new_sqlite_classes migration to existing class A (the SQLite backend cannot be switched on for an existing class)`],
    ['a duplicate tag', { migrations: [{ tag: 'v1', new_classes: ['A'] }, { tag: 'v1', new_classes: ['B'] }] },
      `${SRC}: "migrations[1].tag" repeats the tag "v1" of migrations[0]; each tag must be unique`],
    ['a missing tag', { migrations: [{ new_classes: ['A'] }] }, `${SRC}: "migrations[0].tag" is a required field.`],
    ['a tag that is not a string', { migrations: [{ tag: 1 }] }, `${SRC}: Expected "migrations[0].tag" to be of type string but got 1.`],
    ['an unknown key', { migrations: [{ tag: 'v1', new_clases: ['A'] }] },
      `${SRC}: Unexpected fields found in migrations[0] field: "new_clases"`],
    ['migrations that are not an array', { migrations: { tag: 'v1' } },
      `${SRC}: Expected "migrations" to be an array of objects but got {"tag":"v1"}`],
    ['a migration that is not an object', { migrations: ['v1'] }, `${SRC}: Expected "migrations[0]" to be of type object but got "v1".`],
    ['new_classes not an array', { migrations: [{ tag: 'v1', new_classes: 'A' }] },
      `${SRC}: Expected "migrations[0].new_classes" to be an array of strings but got "A"`],
    ['new_sqlite_classes with a non-string', { migrations: [{ tag: 'v1', new_sqlite_classes: ['A', 2] }] },
      `${SRC}: Expected "migrations[0].new_sqlite_classes.[1]" to be of type string but got 2.`],
    ['deleted_classes not an array', { migrations: [{ tag: 'v1', deleted_classes: {} }] },
      `${SRC}: Expected "migrations[0].deleted_classes" to be an array of strings but got {}`],
    ['a bad renamed_classes entry', { migrations: [{ tag: 'v1', renamed_classes: [{ from: 'A', to: 'B' }, { a: 'x', b: 'y' }] }] },
      `${SRC}: Expected "migrations[0].renamed_classes" to be an array of "{from: string, to: string}" objects but got [{"from":"A","to":"B"},{"a":"x","b":"y"}].`],
    ['a bad transferred_classes entry', { migrations: [{ tag: 'v1', transferred_classes: [{ from: 'A', to: 'B' }] }] },
      `${SRC}: Expected "migrations[0].transferred_classes" to be an array of "{from: string, from_script: string, to: string}" objects but got [{"from":"A","to":"B"}].`],
    ['a binding to a deleted class',
      { durable_objects: bind('Old'), migrations: [{ tag: 'v1', new_classes: ['Old'] }, { tag: 'v2', deleted_classes: ['Old'] }] },
      `${SRC}: "durable_objects.bindings[0].class_name": binding "OLD" names class Old, which migration "v2" deleted`],
    ['a binding to a renamed-away class',
      { durable_objects: bind('A'), migrations: [{ tag: 'v1', new_classes: ['A'] }, { tag: 'v2', renamed_classes: [{ from: 'A', to: 'B' }] }, { tag: 'v3', renamed_classes: [{ from: 'B', to: 'C' }] }] },
      `${SRC}: "durable_objects.bindings[0].class_name": binding "A" names class A, which migration "v2" renamed to B; bind "C" instead`],
    ['a binding to a class renamed and then deleted',
      { durable_objects: bind('A'), migrations: [{ tag: 'v1', new_classes: ['A'] }, { tag: 'v2', renamed_classes: [{ from: 'A', to: 'B' }] }, { tag: 'v3', deleted_classes: ['B'] }] },
      `${SRC}: "durable_objects.bindings[0].class_name": binding "A" names class A, which migration "v2" renamed to B, which no longer exists`],
  ];
  for (const [what, config, message] of cases) {
    it(`refuses ${what}`, () => {
      const error = thrown(fails(config));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toBe(message);
    });
  }
});
