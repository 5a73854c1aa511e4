/**
 * The first lesson: one name, one live instance across tabs. Its check passes
 * only when calls from two tabs were answered by the same instance.
 */
import { expect, test } from '@playwright/test';
import { call, openPlayground } from './playground-page.ts';

test('the one-instance check passes when two tabs reach the same instance, and not with one tab', async ({ context }) => {
  test.setTimeout(150_000);
  const first = await context.newPage();
  await first.addInitScript(() => {
    if (!sessionStorage.getItem('cleared')) localStorage.clear(), sessionStorage.setItem('cleared', '1');
  });
  await openPlayground(first, '#lesson=one-instance');
  await call(first, 'shared', 'visit');
  await expect(first.locator('#log div').first()).toContainText('"visits":1');
  await expect(first.locator('#lesson-check li').nth(0)).toHaveClass('done');
  await expect(first.locator('#lesson-check')).toHaveAttribute('data-passed', 'false');

  // The second tab opens the same lesson with the same code, so it joins the same deployment.
  const second = await context.newPage();
  await openPlayground(second, '#lesson=one-instance');
  await call(second, 'shared', 'visit');
  await expect(second.locator('#log div').first()).toContainText('"visits":2');
  const instances = await Promise.all(
    [first, second].map((p) => p.evaluate(() => (window as any).playground.playground.log.records.filter((r: any) => r.method === 'visit' && r.ok).map((r: any) => r.value.instance))),
  );
  expect(new Set(instances.flat()).size).toBe(1);
  await expect(second.locator('#lesson-check')).toHaveAttribute('data-passed', 'true');
  await expect(first.locator('#lesson-check')).toHaveAttribute('data-passed', 'true');
});
