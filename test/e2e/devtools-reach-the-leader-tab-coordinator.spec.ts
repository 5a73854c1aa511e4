/**
 * Where the coordinator runs in a leader tab (`hearth.coordinator:
 * "leader-tab"`, or no SharedWorker), the devtools page reaches it through
 * the relay as a tab that is not leader does — it starts no coordinator of
 * its own and never becomes leader — lists the objects of two tabs, reads an
 * object's storage through the object, and when the leader tab closes,
 * re-attaches to the coordinator of the tab elected next; nothing hangs.
 * Opened before any app tab, it starts no coordinator and waits for one.
 *
 * In the `chromium` project the page has a SharedWorker it must not use (the
 * tabs are told `coordinator: "leader-tab"`); in the `leader-tab` project
 * SharedWorker is gone from every page, the devtools' too.
 */
import { test, expect } from './fixtures.ts';
import type { BrowserContext, Page } from '@playwright/test';
import { APP } from './fixtures.ts';
import { openDevtools } from './devtools-page.ts';

async function openLeaderTabApp(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  const settings = { coordinator: 'leader-tab', idleTimeoutMs: 120_000 };
  await page.goto(`${APP}?${new URLSearchParams({ hearth: JSON.stringify(settings) })}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await page.evaluate(() => window.hearth.runtime.coordinator)).toBe('leader-tab');
  return page;
}

/** Coordinators alive on the origin: each holds its liveness lock (names.ts `coordinatorLockName`). */
function coordinatorLocks(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const { held = [] } = await navigator.locks.query();
    return held.map((l) => l.name!).filter((name) => name.startsWith('hearth:coordinator:'));
  });
}

test('the devtools reach the leader tab, list both tabs\' objects, read storage, and follow the next leader', async ({ context }) => {
  test.setTimeout(120_000);
  // The first tab finds the leader lock free and leads.
  const leader = await openLeaderTabApp(context);
  const other = await openLeaderTabApp(context);
  const leaderHost = await leader.evaluate(() => window.hearth.runtime.hostId);
  const otherHost = await other.evaluate(() => window.hearth.runtime.hostId);
  const firstCoordinator = (await leader.evaluate(() => window.hearth.runtime.inspect())).coordinatorId;
  await leader.evaluate(() => window.hearth.probe('on-leader', `async (storage) => { await storage.put('where', 'leader tab'); return 1; }`));
  await other.evaluate(() => window.hearth.probe('on-other', `async (storage) => { await storage.put('where', 'other tab'); return 1; }`));

  const devtools = await openDevtools(context);
  const header = devtools.getByTestId('coordinator');
  await expect(header).toHaveAttribute('data-mode', 'leader-tab');
  await expect(header).toHaveAttribute('data-id', firstCoordinator);
  const onLeader = devtools.locator('[data-testid=object-row][data-name=on-leader]');
  const onOther = devtools.locator('[data-testid=object-row][data-name=on-other]');
  await expect(onLeader.getByTestId('host')).toHaveAttribute('title', leaderHost);
  await expect(onOther.getByTestId('host')).toHaveAttribute('title', otherHost);
  await expect(onOther).toHaveAttribute('data-state', 'live');
  // One coordinator on the origin: the devtools started none (no SharedWorker, no second leader).
  expect(await coordinatorLocks(devtools)).toHaveLength(1);

  // Storage, read through the object on the other tab (a port brokered by the leader).
  await onOther.getByRole('button', { name: 'Storage' }).click();
  await expect(devtools.locator('[data-testid=kv-row][data-key=where] [data-testid=kv-value]')).toHaveText('"other tab"');

  // The leader closes: the other tab is elected, and the devtools re-attach to its coordinator.
  await leader.close();
  await expect.poll(async () => (await other.evaluate(() => window.hearth.runtime.inspect())).coordinatorId, { timeout: 30_000 }).not.toBe(firstCoordinator);
  const secondCoordinator = (await other.evaluate(() => window.hearth.runtime.inspect())).coordinatorId;
  await devtools.locator('nav button[data-tab=objects]').click();
  await expect(header).toHaveAttribute('data-id', secondCoordinator, { timeout: 30_000 });
  await expect(header).toHaveAttribute('data-mode', 'leader-tab');
  expect(await coordinatorLocks(devtools)).toHaveLength(1);
  // The dead tab's object is no longer live; the other tab's still is.
  await expect(onLeader).not.toHaveAttribute('data-state', 'live');
  await expect(onOther).toHaveAttribute('data-state', 'live');

  // Reading storage still works: the object of the closed tab comes back on the one left, with its data.
  await onLeader.getByRole('button', { name: 'Storage' }).click();
  await expect(devtools.locator('[data-testid=kv-row][data-key=where] [data-testid=kv-value]')).toHaveText('"leader tab"', { timeout: 30_000 });
  await devtools.locator('nav button[data-tab=objects]').click();
  await expect(onLeader.getByTestId('host')).toHaveAttribute('title', otherHost);
  // Actions work after the move: evict it now, and the next call constructs it again.
  await onLeader.getByTestId('evict').click();
  await expect(devtools.getByTestId('action-message')).toContainText('Evicted Probe on-leader');
});

test('opened before any app tab, the devtools start no coordinator of their own and reach the leader once one is elected', async ({ context }) => {
  test.setTimeout(90_000);
  const devtools = await openDevtools(context);
  await expect(devtools.getByTestId('coordinator')).toHaveText('connecting…');
  // Nothing to show yet, and no coordinator was started for the page (a SharedWorker one would hold its lock).
  await devtools.waitForTimeout(1500);
  expect(await coordinatorLocks(devtools)).toEqual([]);

  const app = await openLeaderTabApp(context);
  await app.evaluate(() => window.hearth.probe('late', '() => 1'));
  const coordinatorId = (await app.evaluate(() => window.hearth.runtime.inspect())).coordinatorId;
  await expect(devtools.getByTestId('coordinator')).toHaveAttribute('data-id', coordinatorId, { timeout: 30_000 });
  await expect(devtools.getByTestId('coordinator')).toHaveAttribute('data-mode', 'leader-tab');
  await expect(devtools.locator('[data-testid=object-row][data-name=late]')).toHaveAttribute('data-state', 'live');
  expect(await coordinatorLocks(devtools)).toHaveLength(1);
});
