/**
 * "Wipe <namespace>" stops every object of the namespace and deletes their
 * storage, alarms and registry records, as a `deleted_classes` migration
 * does — live and sleeping objects alike. The next call finds a fresh, empty
 * object; other namespaces keep everything.
 */
import { test, expect, openApp } from './fixtures.ts';
import { inAlarmist, scheduled } from './alarm-fixtures.ts';
import { openDevtools } from './devtools-page.ts';

test('wiping a namespace empties its live and evicted objects and forgets their alarms, other namespaces keep theirs', async ({ context }) => {
  test.setTimeout(120_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  const fill = `async (storage) => { await storage.put('k', 1); await storage.setAlarm(Date.now() + 3_600_000); }`;
  await inAlarmist(app, 'doomed-live', fill);
  await inAlarmist(app, 'doomed-asleep', fill);
  await app.evaluate(() => window.hearth.json('LEDGER', 'bystander', '/increment'));

  const devtools = await openDevtools(context);
  devtools.on('dialog', (dialog) => void dialog.accept());
  const asleep = devtools.locator('[data-testid=object-row][data-name=doomed-asleep]');
  await asleep.getByTestId('evict').click();
  await expect(asleep).toHaveAttribute('data-state', 'idle');

  await devtools.locator('[data-testid=wipe-namespace][data-namespace="hearth-test-app-Alarmist"]').click();
  await expect(devtools.getByTestId('action-message')).toHaveText('Wiped namespace hearth-test-app-Alarmist.');
  // Forgotten by the registry: the rows are gone.
  await expect(devtools.locator('[data-testid=object-row][data-class=Alarmist]')).toHaveCount(0);
  expect(await scheduled(app, 'doomed-live')).toBeUndefined();
  expect(await scheduled(app, 'doomed-asleep')).toBeUndefined();

  // A new call finds empty objects; the other namespace is untouched.
  const contents = `async (storage) => ({ kv: [...(await storage.list()).keys()], alarm: await storage.getAlarm() })`;
  expect(await inAlarmist(app, 'doomed-live', contents)).toEqual({ kv: [], alarm: null });
  expect(await inAlarmist(app, 'doomed-asleep', contents)).toEqual({ kv: [], alarm: null });
  expect((await app.evaluate(() => window.hearth.json('LEDGER', 'bystander', '/'))).n).toBe(1);
});

test('wiping a namespace closes the sockets of its live and hibernated objects, as a reset does', async ({ context }) => {
  test.setTimeout(90_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  const awake = await app.evaluate(() => window.hearth.openSocket('CHAT', 'wiped-awake', '/?name=ann'));
  const asleep = await app.evaluate(() => window.hearth.openSocket('CHAT', 'wiped-asleep', '/?name=ben'));

  const devtools = await openDevtools(context);
  devtools.on('dialog', (dialog) => void dialog.accept());
  const sleeper = devtools.locator('[data-testid=object-row][data-name=wiped-asleep]');
  await sleeper.getByTestId('hibernate').click();
  await expect(sleeper).toHaveAttribute('data-state', 'idle');
  expect(await app.evaluate((id) => window.hearth.socket(id).ws.readyState, asleep)).toBe(1);

  await devtools.locator('[data-testid=wipe-namespace][data-namespace="hearth-test-app-ChatRoom"]').click();
  await expect(devtools.getByTestId('action-message')).toHaveText('Wiped namespace hearth-test-app-ChatRoom.');
  for (const id of [awake, asleep]) {
    await expect.poll(() => app.evaluate((i) => window.hearth.socket(i).closes, id)).toEqual([{ code: 1011, reason: 'Durable Object reset.', wasClean: true }]);
  }
  // The next call finds a fresh object with no sockets.
  const state = JSON.parse((await app.evaluate(() => window.hearth.fetch('CHAT', 'wiped-asleep', '/'))).text);
  expect(state.sockets).toEqual([]);
  expect(state.constructed).toBe(1);
});
