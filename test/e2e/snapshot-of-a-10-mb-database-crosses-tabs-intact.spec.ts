/**
 * A snapshot carries the database's bytes (storage/database-snapshot.ts), so
 * its cost grows with the database: a 10 MB database is snapshotted, handed
 * to an object on another tab and restored there whole. The times are
 * reported as annotations (and in docs/intended-differences.md), never asserted.
 *
 * In a persistent profile, as a user's browser is: in the ephemeral contexts the other specs use, every OPFS
 * read and write is a round trip to the browser process, and the ~10,000 page writes of staging and restoring
 * 10 MB took ~10 s each (the longest case of the suite); on disk they take well under a second.
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, openApp } from './fixtures.ts';
import { inAlarmist } from './alarm-fixtures.ts';

const MB = 1024 * 1024;

test('a 10 MB database snapshotted in one tab is restored whole in an object on another tab', async ({ baseURL, launchOptions }) => {
  test.setTimeout(400_000);
  const profile = mkdtempSync(join(tmpdir(), 'hearth-profile-'));
  const context = await chromium.launchPersistentContext(profile, { ...launchOptions, baseURL });
  try {
    await restoreAcrossTabs(context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

async function restoreAcrossTabs(context: BrowserContext): Promise<void> {
  // Large synchronous writes here (one 10 MB image) can block an object worker longer than the default CPU limit.
  const source = await openApp(context, {}, { cpu_ms: 150_000 });
  const destination = await openApp(context, {}, { cpu_ms: 150_000 });
  await inAlarmist(destination, 'big-dst', `async (storage) => { await storage.put('placed', true); }`);
  const filled = await inAlarmist(source, 'big-src', `async (storage) => {
    storage.sql.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB)');
    // In 1 MB commits, each its own turn.
    for (let i = 0; i < 160; i++) {
      storage.sql.exec('INSERT INTO blobs (b) VALUES (randomblob(65536))');
      if (i % 16 === 15) await new Promise((r) => setTimeout(r, 0));
    }
    await storage.sync();
    return { size: storage.sql.databaseSize, digest: storage.sql.exec('SELECT count(*) AS n, sum(length(b)) AS bytes, group_concat(hex(substr(b, 1, 4))) AS head FROM blobs').one() };
  }`);
  expect(filled.size).toBeGreaterThan(10 * MB);

  const timing = await inAlarmist(source, 'big-src', `async (storage, ctx, self) => {
    const t0 = performance.now();
    const snapshot = await storage.snapshot();
    const t1 = performance.now();
    const restoreMs = await self.env.ALARMIST.getByName('big-dst').run(
      'async (storage, ctx, self, snapshot) => { const t = performance.now(); await storage.onNextSessionRestore(snapshot); return performance.now() - t; }',
      snapshot,
    );
    const t2 = performance.now();
    return { snapshotMs: t1 - t0, handOverMs: t2 - t1, stageMs: restoreMs };
  }`);
  await inAlarmist(destination, 'big-dst', `async (storage, ctx) => { ctx.abort('restart on the copy'); }`).catch(() => {});
  const t = Date.now();
  const copied = await inAlarmist(destination, 'big-dst', `async (storage) => ({
    size: storage.sql.databaseSize,
    digest: storage.sql.exec('SELECT count(*) AS n, sum(length(b)) AS bytes, group_concat(hex(substr(b, 1, 4))) AS head FROM blobs').one(),
  })`);
  const firstCallMs = Date.now() - t;
  expect(copied).toEqual(filled);

  const numbers = { databaseBytes: filled.size, ...timing, firstCallAfterRestartMs: firstCallMs };
  console.log('[snapshot 10 MB]', JSON.stringify(numbers));
  test.info().annotations.push({ type: 'snapshot 10 MB', description: JSON.stringify(numbers) });
}
