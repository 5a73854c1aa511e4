/**
 * DO-API §10.1: migrations change what stored data belongs to which class.
 * Hearth applies each one to OPFS once, in order, and records its tag (per
 * script): a rename or a transfer keeps the data where it is, a delete wipes
 * it. Each test reloads one tab with the next config, as a redeploy would.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { gotoApp, openAppWith } from './open-app-with.ts';

const APP_NAME = 'migrating-app';

function config(migrations: object[], bindings: [string, string][], name = APP_NAME) {
  return {
    name,
    main: 'worker.ts',
    compatibility_date: '2026-11-01',
    durable_objects: { bindings: bindings.map(([binding, className]) => ({ name: binding, class_name: className })) },
    migrations,
  };
}

const V1 = { tag: 'v1', new_sqlite_classes: ['Probe'] };

/** Write KV and SQL data into the object `name` behind the PROBE binding. */
async function writeData(page: Page, name: string, value: string) {
  const result = await page.evaluate(
    ({ name, value }) =>
      window.hearth.probe(
        name,
        `async (storage) => {
          await storage.put('greeting', ${JSON.stringify(value)});
          storage.sql.exec('CREATE TABLE IF NOT EXISTS notes (body TEXT)');
          storage.sql.exec('INSERT INTO notes VALUES (?)', ${JSON.stringify(value)});
        }`,
      ),
    { name, value },
  );
  expect(result).toEqual({ ok: true, value: null });
}

/** What the object `name` behind PROBE has stored (KV and SQL). */
async function readData(page: Page, name: string) {
  const result = await page.evaluate(
    (name) =>
      window.hearth.probe(
        name,
        `async (storage) => ({
          greeting: (await storage.get('greeting')) ?? null,
          notes: storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'notes'").toArray().length
            ? storage.sql.exec('SELECT body FROM notes').toArray().map((r) => r.body)
            : null,
        })`,
      ),
    name,
  );
  expect(result.ok).toBe(true);
  return result.value as { greeting: string | null; notes: string[] | null };
}

test('renamed_classes: the same name reaches its data under the new class', async ({ context }) => {
  const page = await openAppWith(context, { config: config([V1], [['PROBE', 'Probe']]) });
  await writeData(page, 'kept', 'hello');

  const renamed = config([V1, { tag: 'v2', renamed_classes: [{ from: 'Probe', to: 'RenamedProbe' }] }], [['PROBE', 'RenamedProbe']]);
  expect(await gotoApp(page, { config: renamed })).toBe('true');
  // The registry follows the rename when the migration is applied, before the object runs again.
  await expect
    .poll(async () => (await page.evaluate(() => window.hearth.runtime.inspect())).registry.filter((r) => r.name === 'kept').map((r) => r.className))
    .toEqual(['RenamedProbe']);
  expect(await readData(page, 'kept')).toEqual({ greeting: 'hello', notes: ['hello'] });
  const { live } = await page.evaluate(() => window.hearth.runtime.inspect());
  expect(live.filter((e) => e.name === 'kept').map((e) => e.className)).toEqual(['RenamedProbe']);
});

test('transferred_classes: data written by another script is visible under the class it moved to', async ({ context }) => {
  const other = config([{ tag: 'o1', new_sqlite_classes: ['Probe'] }], [['PROBE', 'Probe']], 'other-script');
  const page = await openAppWith(context, { config: other });
  await writeData(page, 'moved', 'from the other script');

  const receiving = config(
    [{ tag: 'v1', transferred_classes: [{ from: 'Probe', from_script: 'other-script', to: 'TransferredProbe' }] }],
    [['PROBE', 'TransferredProbe']],
  );
  expect(await gotoApp(page, { config: receiving })).toBe('true');
  expect(await readData(page, 'moved')).toEqual({ greeting: 'from the other script', notes: ['from the other script'] });
});

test('deleted_classes: the data is gone, a binding to the class fails at start(), and the class recreated later starts empty', async ({ context }) => {
  const page = await openAppWith(context, { config: config([V1, { tag: 'k1', new_sqlite_classes: ['KvProbe'] }], [['PROBE', 'Probe'], ['KEEP', 'KvProbe']]) });
  await writeData(page, 'doomed', 'soon gone');
  expect(await page.evaluate(() => window.hearth.probe('kept', `async (s) => { await s.put('k', 1); }`, 'KEEP'))).toEqual({ ok: true, value: null });

  const deleting = [V1, { tag: 'k1', new_sqlite_classes: ['KvProbe'] }, { tag: 'v2', deleted_classes: ['Probe'] }];
  // A binding may not name a deleted class.
  expect(await gotoApp(page, { config: config(deleting, [['PROBE', 'Probe'], ['KEEP', 'KvProbe']]) })).toBe(
    `ConfigError: config: "durable_objects.bindings[0].class_name": binding "PROBE" names class Probe, which migration "v2" deleted`,
  );
  expect(await gotoApp(page, { config: config(deleting, [['KEEP', 'KvProbe']]) })).toBe('true');
  // Other classes keep their data.
  expect(await page.evaluate(() => window.hearth.probe('kept', `async (s) => s.get('k')`, 'KEEP'))).toEqual({ ok: true, value: 1 });
  const { registry } = await page.evaluate(() => window.hearth.runtime.inspect());
  expect(registry.filter((r) => r.name === 'doomed')).toEqual([]);

  const recreated = config([...deleting, { tag: 'v3', new_sqlite_classes: ['Probe'] }], [['PROBE', 'Probe'], ['KEEP', 'KvProbe']]);
  expect(await gotoApp(page, { config: recreated })).toBe('true');
  expect(await readData(page, 'doomed')).toEqual({ greeting: null, notes: null });

  // Applied once: reloading with the same migrations wipes nothing again.
  await writeData(page, 'doomed', 'written after the delete');
  expect(await gotoApp(page, { config: recreated })).toBe('true');
  expect(await readData(page, 'doomed')).toEqual({ greeting: 'written after the delete', notes: ['written after the delete'] });
});

test('deleted_classes from a newer tab stops the object live in an older tab before wiping it', async ({ context }) => {
  const older = await openAppWith(context, { config: config([V1], [['PROBE', 'Probe']]), version: { id: 'old', builtAt: 1 } });
  await writeData(older, 'live-one', 'in use');
  const live = await older.evaluate(() => window.hearth.runtime.inspect());
  expect(live.live.filter((e) => e.name === 'live-one')).toHaveLength(1);

  const deleting = config([V1, { tag: 'v2', deleted_classes: ['Probe'] }, { tag: 'v3', new_sqlite_classes: ['Probe'] }], [['PROBE', 'Probe']]);
  const newer = await openAppWith(context, { config: deleting, version: { id: 'new', builtAt: 2 } });
  expect(await readData(newer, 'live-one')).toEqual({ greeting: null, notes: null });
  // The older tab's stub reaches the same (new, empty) instance.
  expect(await readData(older, 'live-one')).toEqual({ greeting: null, notes: null });
});

test('migrations whose applied tags were changed or reordered fail every call with an error naming the tag', async ({ context }) => {
  const page = await openAppWith(context, { config: config([V1, { tag: 'v2', new_sqlite_classes: ['Ledger'] }], [['PROBE', 'Probe']]) });
  await writeData(page, 'first', 'x');

  // An older config that merely lacks the newest tag is fine.
  expect(await gotoApp(page, { config: config([V1], [['PROBE', 'Probe']]) })).toBe('true');
  expect(await readData(page, 'first')).toEqual({ greeting: 'x', notes: ['x'] });

  const reordered = config([V1, { tag: 'v3', new_sqlite_classes: ['Ledger'] }], [['PROBE', 'Probe']]);
  expect(await gotoApp(page, { config: reordered })).toBe('true');
  const result = await page.evaluate(() => window.hearth.settle(window.hearth.stub('PROBE', 'first').fetch('https://probe.test/', { method: 'POST', body: '() => 1' })));
  expect(result.ok).toBe(false);
  expect(result.error.message).toBe(
    `The Durable Object migrations of "migrating-app" do not match the ones already applied to this origin's storage: migrations[1] has tag "v3", but the migration applied at that position has tag "v2", which was not found in your config. Applied migrations: ["v1", "v2"]. Migrations that were applied cannot be changed, removed or reordered; add new ones at the end of the list.`,
  );
});

test('a registry written before migration tags were recorded keeps its records when its schema is upgraded', async ({ context }) => {
  // A same-origin page that does not start Hearth writes the version-1 schema, as an older Hearth did.
  const page = await context.newPage();
  await page.goto('/test/app/wrangler.jsonc');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('hearth-coordinator', 1);
        open.onupgradeneeded = () => {
          const objects = open.result.createObjectStore('objects', { keyPath: 'key' });
          objects.createIndex('byNamespace', 'namespaceKey');
          objects.put({
            key: `old-Probe:${'c'.repeat(64)}`,
            namespaceKey: 'old-Probe',
            className: 'Probe',
            id: 'c'.repeat(64),
            name: 'from-before',
            created: 1,
            lastPlaced: 1,
            placements: 1,
          });
        };
        open.onsuccess = () => {
          open.result.close();
          resolve();
        };
        open.onerror = () => reject(open.error);
      }),
  );

  expect(await gotoApp(page, { config: config([V1], [['PROBE', 'Probe']]) })).toBe('true');
  await writeData(page, 'after', 'new');
  const { registry } = await page.evaluate(() => window.hearth.runtime.inspect());
  expect(registry.map((r) => r.name).sort()).toEqual(['after', 'from-before']);
  // The new store holds the applied tag, for this script.
  const recorded = await page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('hearth-coordinator');
        open.onsuccess = () => {
          const all = open.result.transaction('migrations').objectStore('migrations').getAll();
          all.onsuccess = () => {
            open.result.close();
            resolve(all.result.map(({ script, position, tag }) => ({ script, position, tag })));
          };
          all.onerror = () => reject(all.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  expect(recorded).toEqual([{ script: APP_NAME, position: 0, tag: 'v1' }]);
});
