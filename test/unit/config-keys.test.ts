import { describe, expect, it } from 'vitest';
import { ConfigError, normalizeConfig, type WranglerConfig } from '../../src/config.ts';

const SRC = '/app/wrangler.toml';
function thrown(config: unknown): Error {
  try {
    normalizeConfig(config as WranglerConfig, SRC);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a ConfigError, but the config was accepted');
}

describe('normalizeConfig: keys other than migrations', () => {
  it('fills defaults for an empty config', () => {
    expect(normalizeConfig({}, SRC)).toEqual({
      name: 'worker',
      compatibilityFlags: [],
      routes: [],
      classes: [],
      migrations: [],
      bindings: [],
      vars: {},
      idleTimeoutMs: 10_000,
      maxLiveObjectsPerHost: 64,
      lockTimeoutMs: 10_000,
      durability: 'normal',
      cpuMs: 30_000,
    });
  });

  it('keeps main, compatibility_date and flags, vars of every allowed kind, and hearth settings', () => {
    const config = normalizeConfig(
      {
        name: 'app',
        main: 'src/index.ts',
        compatibility_date: '2026-02-28',
        compatibility_flags: ['nodejs_compat', 7 as unknown as string],
        vars: { S: 's', N: 1.5, B: true, O: { a: [1] }, A: ['x'] },
        limits: { cpu_ms: 100 },
        hearth: { routes: ['/*'], idleTimeoutMs: 1, maxLiveObjectsPerHost: 2, lockTimeoutMs: 3, coordinator: 'leader-tab', durability: 'full' },
      },
      SRC,
    );
    expect(config).toMatchObject({
      name: 'app',
      main: 'src/index.ts',
      compatibilityDate: '2026-02-28',
      compatibilityFlags: ['nodejs_compat'],
      vars: { S: 's', N: 1.5, B: true, O: { a: [1] }, A: ['x'] },
      routes: ['/*'],
      idleTimeoutMs: 1,
      maxLiveObjectsPerHost: 2,
      lockTimeoutMs: 3,
      coordinator: 'leader-tab',
      durability: 'full',
      cpuMs: 100,
    });
  });

  it('ignores top-level keys Hearth does not use, and flags that are not a list', () => {
    const config = normalizeConfig(
      { observability: { enabled: true }, kv_namespaces: [], compatibility_flags: 'x' } as unknown as WranglerConfig,
      SRC,
    );
    expect(config.name).toBe('worker');
    expect(config.compatibilityFlags).toEqual([]);
  });

  it('takes classes from declarative exports: a renamed class keeps its namespace; deleted ones are gone', () => {
    const config = normalizeConfig(
      {
        name: 'w',
        exports: {
          ChatRoom: { type: 'durable-object', state: 'renamed', renamed_to: 'Room' },
          Room: { type: 'durable-object', storage: 'sqlite' },
          Legacy: { type: 'durable-object', storage: 'legacy-kv' },
          Old: { type: 'durable-object', state: 'deleted' },
          Incoming: { type: 'durable-object', state: 'expecting-transfer', storage: 'sqlite', transfer_from: 'old' },
          Entry: { type: 'worker-entrypoint' },
        },
        durable_objects: { bindings: [{ name: 'ROOM', class_name: 'Room' }] },
      },
      SRC,
    );
    expect(config.classes).toEqual([
      { className: 'Room', namespaceKey: 'w-ChatRoom', sqlite: true },
      { className: 'Legacy', namespaceKey: 'w-Legacy', sqlite: false },
      { className: 'Incoming', namespaceKey: 'old-Incoming', sqlite: true },
    ]);
    expect(config.bindings).toEqual([{ name: 'ROOM', className: 'Room', namespaceKey: 'w-ChatRoom', sqlite: true }]);
    expect(config.migrations).toEqual([]);
    expect(thrown({ exports: { Old: { type: 'durable-object', state: 'deleted' } }, durable_objects: { bindings: [{ name: 'O', class_name: 'Old' }] } }).message).toBe(
      `${SRC}: "durable_objects.bindings[0].class_name": binding "O" names class Old, which "exports.Old" deleted`,
    );
  });
});

describe('normalizeConfig refuses mistakes, naming the file and the key', () => {
  const cases: [string, unknown, string][] = [
    ['a config that is not an object', [], `${SRC}: expected an object`],
    ['a name that is not a string', { name: 3 }, `${SRC}: Expected "name" to be of type string but got 3.`],
    ['a main that is not a string', { main: ['a'] }, `${SRC}: Expected "main" to be of type string but got ["a"].`],
    ['a compatibility_date not written YYYY-MM-DD', { compatibility_date: '2026-6-1' },
      `${SRC}: "compatibility_date" must be a date written YYYY-MM-DD but got "2026-6-1".`],
    ['a compatibility_date that is no date', { compatibility_date: '2026-02-30' },
      `${SRC}: "compatibility_date" must be a date written YYYY-MM-DD but got "2026-02-30".`],
    ['exports together with migrations', { exports: {}, migrations: [] },
      `${SRC}: "exports" and "migrations" cannot be combined: declare Durable Object classes with one or the other`],
    ['vars that are not an object', { vars: 'x' }, `${SRC}: Expected "vars" to be of type object but got "x".`],
    ['a var that is null', { vars: { A: null } },
      `${SRC}: "vars.A" must be a string, number, boolean or JSON object or array but got null`],
    ['limits.cpu_ms that is not positive', { limits: { cpu_ms: 0 } }, `${SRC}: "limits.cpu_ms" must be a positive number but got 0`],
    ['a coordinator that is neither place', { hearth: { coordinator: 'iframe' } as unknown as WranglerConfig['hearth'] },
      `${SRC}: "hearth.coordinator" must be one of "shared-worker", "leader-tab" but got "iframe"`],
    ['a durability that is not a level', { hearth: { durability: 'extra' } as unknown as WranglerConfig['hearth'] },
      `${SRC}: "hearth.durability" must be one of "normal", "full" but got "extra"`],
    ['a hearth timeout that is not a number', { hearth: { idleTimeoutMs: '5s' } },
      `${SRC}: "hearth.idleTimeoutMs" must be a positive number but got "5s"`],
    ['an unknown key under hearth', { hearth: { route: ['/api/*'] } }, `${SRC}: Unexpected fields found in hearth field: "route"`],
    ['hearth.routes that is not a list', { hearth: { routes: '/api/*' } },
      `${SRC}: Expected "hearth.routes" to be an array of strings but got "/api/*"`],
    ['a route without a leading slash', { hearth: { routes: ['/ok', 'api/*'] } },
      `${SRC}: "hearth.routes[1]" must start with "/" but got "api/*"`],
    ['a route with a * inside', { hearth: { routes: ['/a*/b'] } },
      `${SRC}: "hearth.routes[0]" may use "*" only as its whole last segment ("/api/*") but got "/a*/b"`],
    ['durable_objects that is not an object', { durable_objects: [] }, `${SRC}: Expected "durable_objects" to be of type object but got [].`],
    ['bindings that are not a list', { durable_objects: { bindings: { name: 'A' } } },
      `${SRC}: Expected "durable_objects.bindings" to be an array of objects but got {"name":"A"}`],
    ['a binding without a name', { durable_objects: { bindings: [{ class_name: 'A' }] } },
      `${SRC}: "durable_objects.bindings[0].name" must be a non-empty string`],
    ['a binding without a class', { durable_objects: { bindings: [{ name: 'A' }] } },
      `${SRC}: "durable_objects.bindings[0].class_name" must be a non-empty string`],
    ['a binding to another Worker', { durable_objects: { bindings: [{ name: 'A', class_name: 'A', script_name: 'x' }] } },
      `${SRC}: "durable_objects.bindings[0].script_name" binds another Worker, which Hearth does not run`],
    ['a binding declared twice', { durable_objects: { bindings: [{ name: 'A', class_name: 'A' }, { name: 'A', class_name: 'B' }] } },
      `${SRC}: binding "A" is declared twice`],
  ];
  for (const [what, config, message] of cases) {
    it(`refuses ${what}`, () => {
      const error = thrown(config);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toBe(message);
    });
  }
});
