/**
 * A spare worker makes a pool ahead (storage/staged-pool.ts) and a brand-new
 * object placed on that spare starts on it: the object's pool holds the very
 * files the spare made, its storage is what any new object's is, and what it
 * writes lasts. Staging directories of workers that ended are swept; one whose
 * lock is held is not. Real OPFS, read from the page.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';

const FIRST_CALL = `async (storage) => ({
  size: storage.sql.databaseSize,
  tables: storage.sql.exec("SELECT name FROM sqlite_master ORDER BY name").toArray().map((r) => r.name),
})`;

test('a brand-new object starts on the pool a spare made ahead, as any new object would', async ({ app }) => {
  // The page's first object comes before any spare: it makes its own pool.
  const own = await app.evaluate((code) => window.hearth.probe('staged-first', code), FIRST_CALL);
  expect(own.ok).toBe(true);

  // Made: the spare marks its staging directory `ready` once the pool's files are closed.
  let staged: Record<string, string[]> = {};
  await expect
    .poll(async () => {
      staged = await stagedPools(app);
      return Object.keys(staged).length > 0;
    })
    .toBe(true);

  const adopted = await app.evaluate((code) => window.hearth.probe('staged-second', code), FIRST_CALL);
  expect(adopted).toEqual(own);
  const id = await app.evaluate(() => window.hearth.stub('PROBE', 'staged-second').id.toString());
  const files = await objectPoolFiles(app, id);
  const from = Object.entries(staged).find(([, made]) => made.join() === files.join());
  expect(from, `the object's pool files ${files} are one staged pool's: ${JSON.stringify(staged)}`).toBeDefined();
  // Its staging directory goes once the files are moved out of it.
  await expect.poll(async () => await stagingDirectories(app)).not.toContain(from![0]);

  // Written, restarted (on the next spare, which has a pool ready: an object that exists never takes one), read back.
  let next: string[] = [];
  await expect.poll(async () => (next = Object.keys(await stagedPools(app))).length).toBeGreaterThan(0);
  const write = await app.evaluate(() =>
    window.hearth.probe('staged-second', `async (storage, ctx) => { await storage.put('kept', 42); storage.sql.exec('CREATE TABLE t (x)'); }`),
  );
  expect(write.ok).toBe(true);
  await app.evaluate(() => window.hearth.probe('staged-second', `async (storage, ctx) => ctx.abort('restart')`)).catch(() => {});
  const reread = await app.evaluate(() =>
    window.hearth.probe('staged-second', `async (storage) => [await storage.get('kept'), storage.sql.exec("SELECT count(*) AS n FROM t").one().n]`),
  );
  expect(reread).toEqual({ ok: true, value: [42, 0] });
  expect(await stagingDirectories(app)).toEqual(expect.arrayContaining(next));
});

test('staging directories of workers that ended are swept, one still held is kept', async ({ app }) => {
  await app.evaluate(async () => {
    const staging = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('hearth', { create: true })).getDirectoryHandle('staging', {
      create: true,
    });
    for (const name of ['ended-worker', 'held-worker']) {
      await (await (await staging.getDirectoryHandle(name, { create: true })).getDirectoryHandle('.opaque', { create: true })).getFileHandle('slot', { create: true });
    }
    // The page holds the second one's lock, as a live spare would.
    await new Promise<void>((held) => {
      void navigator.locks.request('hearth:staged-pool:held-worker', () => {
        held();
        return new Promise<never>(() => {});
      });
    });
  });
  // Objects bring spares, and each spare that stages sweeps.
  expect((await app.evaluate(() => window.hearth.probe('sweep-first', 'async () => 1'))).ok).toBe(true);
  await expect.poll(async () => await stagingDirectories(app)).not.toContain('ended-worker');
  expect(await stagingDirectories(app)).toContain('held-worker');
});

/** The pool files of each ready staging directory: `/hearth/staging/<name>/.opaque/*` where `<name>/ready` exists. */
function stagedPools(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const names = async (directory: FileSystemDirectoryHandle) => {
      const out: string[] = [];
      for await (const name of (directory as unknown as { keys(): AsyncIterable<string> }).keys()) out.push(name);
      return out.sort();
    };
    const staging = await (await navigator.storage.getDirectory())
      .getDirectoryHandle('hearth')
      .then((h) => h.getDirectoryHandle('staging'))
      .catch(() => undefined);
    const out: Record<string, string[]> = {};
    if (!staging) return out;
    for (const name of await names(staging)) {
      const directory = await staging.getDirectoryHandle(name);
      if (!(await names(directory)).includes('ready')) continue;
      out[name] = await directory.getDirectoryHandle('.opaque').then(names);
    }
    return out;
  });
}

/** Every directory under `/hearth/staging`, ready or not. */
function stagingDirectories(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const staging = await (await navigator.storage.getDirectory())
      .getDirectoryHandle('hearth')
      .then((h) => h.getDirectoryHandle('staging'))
      .catch(() => undefined);
    const out: string[] = [];
    if (staging) for await (const name of (staging as unknown as { keys(): AsyncIterable<string> }).keys()) out.push(name);
    return out;
  });
}

/** The pool files of the object with this id, in whichever namespace directory holds it. */
function objectPoolFiles(page: Page, id: string): Promise<string[]> {
  return page.evaluate(async (objectId) => {
    const names = async (directory: FileSystemDirectoryHandle) => {
      const out: string[] = [];
      for await (const name of (directory as unknown as { keys(): AsyncIterable<string> }).keys()) out.push(name);
      return out.sort();
    };
    const v1 = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('hearth')).getDirectoryHandle('v1');
    for (const namespace of await names(v1)) {
      const found = await (await v1.getDirectoryHandle(namespace)).getDirectoryHandle(objectId).catch(() => undefined);
      if (found) return (await found.getDirectoryHandle('.opaque').then(names)) as string[];
    }
    return [];
  }, id);
}
