/**
 * The timeline's "Restore to before this event": after a confirmation, the
 * object restarts with its state just before the chosen event was delivered
 * (point-in-time recovery through the object's own gates), and "Undo" brings
 * back the state from before the restore.
 */
import { test, expect, openApp } from './fixtures.ts';
import { inAlarmist } from './alarm-fixtures.ts';
import { openDevtools, screenshot } from './devtools-page.ts';

const STEP = `async (storage) => ({ step: await storage.get('step'), rows: storage.sql.exec('SELECT n FROM steps ORDER BY n').toArray().map((r) => r.n) })`;
const write = (n: number) => `async (storage) => { await storage.put('step', ${n}); storage.sql.exec('INSERT INTO steps VALUES (${n})'); }`;

test('restore to before an event rewinds the object to that moment, and undo brings the later state back', async ({ context }) => {
  test.setTimeout(120_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  await inAlarmist(app, 'rewind', `async (storage) => { storage.sql.exec('CREATE TABLE steps (n)'); await storage.put('step', 0); }`);

  const devtools = await openDevtools(context);
  devtools.on('dialog', (dialog) => void dialog.accept());
  await devtools.locator('[data-testid=object-row][data-name=rewind]').getByRole('button', { name: 'Timeline' }).click();
  await expect(devtools.locator('[data-panel=timeline]')).toBeVisible();
  // Hosts report only while a devtools page is there: wait until this one is heard.
  await expect
    .poll(async () => {
      await inAlarmist(app, 'rewind', STEP);
      return devtools.locator('[data-testid=timeline-bar][data-label="rpc run"]').count();
    })
    .toBeGreaterThan(0);

  for (const n of [1, 2, 3]) await inAlarmist(app, 'rewind', write(n));
  expect(await inAlarmist(app, 'rewind', STEP)).toEqual({ step: 3, rows: [1, 2, 3] });

  // The second of the three writing events: before it, step 1 had been written.
  const writes = devtools.locator('[data-testid=timeline-bar][data-label="rpc run"][data-sequence*="storage-write"]');
  await expect(writes).toHaveCount(3);
  await writes.nth(1).click();
  await devtools.getByTestId('restore-before').click();
  await expect(devtools.getByTestId('restore-notice')).toContainText('Restored to before #');
  await screenshot(devtools, 'restore');
  await expect.poll(() => inAlarmist(app, 'rewind', STEP), { timeout: 30_000 }).toEqual({ step: 1, rows: [1] });
  // The restart shows on the timeline.
  await expect(devtools.locator('.end span', { hasText: 'restored to an earlier state' }).first()).toBeVisible();

  await devtools.getByTestId('restore-undo').click();
  await expect(devtools.getByTestId('restore-notice')).toContainText('Undone');
  await expect.poll(() => inAlarmist(app, 'rewind', STEP), { timeout: 30_000 }).toEqual({ step: 3, rows: [1, 2, 3] });
});
