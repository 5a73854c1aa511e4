/**
 * The devtools page lists every object of the origin by class and name, with
 * the tab that hosts it — objects placed on two different tabs included —
 * and keeps the list live as new objects appear.
 */
import { test, expect, openApp } from './fixtures.ts';
import { openDevtools, screenshot } from './devtools-page.ts';

test('the devtools list objects with their names and host tabs across two tabs', async ({ context }) => {
  test.setTimeout(90_000);
  // Objects must stay live while the devtools open, however slow the machine: no idle eviction here.
  const tabA = await openApp(context, { idleTimeoutMs: 120_000 });
  const tabB = await openApp(context, { idleTimeoutMs: 120_000 });
  await tabA.evaluate(async () => void (await (window.hearth.stub('CALCULATOR', 'alpha') as any).add(1)));
  await tabB.evaluate(async () => void (await (window.hearth.stub('CALCULATOR', 'beta') as any).add(2)));
  const hostA = await tabA.evaluate(() => window.hearth.runtime.hostId);
  const hostB = await tabB.evaluate(() => window.hearth.runtime.hostId);

  const devtools = await openDevtools(context);
  const alpha = devtools.locator('[data-testid=object-row][data-name=alpha]');
  const beta = devtools.locator('[data-testid=object-row][data-name=beta]');
  await expect(alpha).toHaveAttribute('data-class', 'Calculator');
  await expect(alpha).toHaveAttribute('data-state', 'live');
  await expect(beta).toHaveAttribute('data-state', 'live');
  // Each is shown on the tab that hosts it.
  await expect(alpha.getByTestId('host')).toHaveAttribute('title', hostA);
  await expect(beta.getByTestId('host')).toHaveAttribute('title', hostB);

  // Live: an object created after the page opened appears without a reload.
  await tabB.evaluate(() => window.hearth.probe('gamma', '() => 1'));
  await expect(devtools.locator('[data-testid=object-row][data-name=gamma]')).toHaveAttribute('data-class', 'Probe');

  // The filter narrows the list.
  await devtools.getByTestId('objects-filter').fill('beta');
  await expect(devtools.locator('[data-testid=object-row]')).toHaveCount(1);
  await devtools.getByTestId('objects-filter').fill('');
  await screenshot(devtools, 'objects');
});
