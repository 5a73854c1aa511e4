/**
 * console output of an object's code reaches the devtools' Logs panel, tagged
 * with the object, with its level — live while the page is open, and lines
 * written before it opened too (the host tab keeps the recent ones).
 */
import { test, expect } from './fixtures.ts';
import { openDevtools, screenshot } from './devtools-page.ts';

test('console output of an object appears in the logs panel with its object and level, live and from before', async ({ app, context }) => {
  test.setTimeout(90_000);
  await app.evaluate(() => window.hearth.probe('chatty', `() => { console.log('before the devtools', { n: 1 }); }`));
  const devtools = await openDevtools(context);
  await devtools.locator('[data-testid=object-row][data-name=chatty]').click();
  await devtools.locator('nav button[data-tab=logs]').click();
  await expect(devtools.getByTestId('log-line').filter({ hasText: 'before the devtools {"n":1}' })).toHaveCount(1);

  await app.evaluate(() => window.hearth.probe('chatty', `() => { console.warn('while watching', new Map([['a', 1]])); }`));
  const live = devtools.getByTestId('log-line').filter({ hasText: 'while watching Map(1) {"a":1}' });
  await expect(live).toHaveCount(1);
  await expect(live).toHaveClass(/log-warn/);
  await expect(live.locator('.who')).toHaveText('Probe chatty');
  // Another object's lines are not shown for this one.
  await app.evaluate(() => window.hearth.probe('quiet', `() => { console.log('from another object'); }`));
  await app.evaluate(() => window.hearth.probe('chatty', `() => { console.error('last'); }`));
  await expect(devtools.getByTestId('log-line').filter({ hasText: 'last' })).toHaveCount(1);
  await expect(devtools.getByTestId('log-line').filter({ hasText: 'from another object' })).toHaveCount(0);
  await screenshot(devtools, 'logs');
});
