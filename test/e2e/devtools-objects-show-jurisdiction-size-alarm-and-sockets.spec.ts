/**
 * The Objects panel shows, for each object, its jurisdiction, its stored size
 * (kept while it sleeps), its scheduled alarm and its open sockets — and
 * follows them live as they change.
 */
import { test, expect, openApp } from './fixtures.ts';
import { inAlarmist } from './alarm-fixtures.ts';
import { openDevtools } from './devtools-page.ts';

test('the objects panel shows jurisdiction, storage size, the scheduled alarm and open sockets, and follows them', async ({ context }) => {
  test.setTimeout(90_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  await app.evaluate(async () => {
    const PROBE = (window.hearth.runtime.env as any).PROBE;
    const stub = PROBE.get(PROBE.jurisdiction('eu').idFromName('in-eu'));
    await stub.fetch('https://probe.test/', { method: 'POST', body: '(storage) => storage.put("k", 1)' });
  });
  const time = await inAlarmist<number>(app, 'with-alarm', `async (storage) => { await storage.setAlarm(Date.now() + 3_600_000); return storage.getAlarm(); }`);
  const socket = await app.evaluate(() => window.hearth.openSocket('CHAT', 'with-socket', '/?name=carol'));

  const devtools = await openDevtools(context);
  const eu = devtools.locator('[data-testid=object-row][data-name=in-eu]');
  await expect(eu.getByTestId('jurisdiction')).toHaveText('eu');
  // Size: the database's pages, as the object last reported them.
  await expect(eu).toHaveAttribute('data-size', /^\d+$/);
  expect(Number(await eu.getAttribute('data-size'))).toBeGreaterThan(0);
  await expect(eu.getByTestId('size')).toContainText(/KiB|B/);

  const alarmed = devtools.locator('[data-testid=object-row][data-name=with-alarm]');
  await expect(alarmed).toHaveAttribute('data-alarm', String(time));
  await expect(alarmed.getByTestId('jurisdiction')).toHaveText('—');

  const chat = devtools.locator('[data-testid=object-row][data-name=with-socket]');
  await expect(chat).toHaveAttribute('data-sockets', '1');

  // Live: a deleted alarm and a closed socket leave the panel without a reload; the size stays while evicted.
  await inAlarmist(app, 'with-alarm', '(storage) => storage.deleteAlarm()');
  await expect(alarmed).toHaveAttribute('data-alarm', '');
  await app.evaluate((id) => window.hearth.socket(id).ws.close(1000, 'bye'), socket);
  await expect(chat).toHaveAttribute('data-sockets', '0');
  const size = await eu.getAttribute('data-size');
  await eu.getByTestId('evict').click();
  await expect(eu).toHaveAttribute('data-state', 'idle');
  await expect(eu).toHaveAttribute('data-size', size!);
});
