/**
 * The Timeline draws each event from the gate observer. A call that writes and
 * then replies shows the output gate at work, live: its reply is held until
 * the write's commit finishes, and only then sent; a read-only call is never held.
 */
import { test, expect } from './fixtures.ts';
import { openDevtools, screenshot } from './devtools-page.ts';

test('the timeline shows a write-then-reply call held at the output gate until its commit, then replied', async ({ app, context }) => {
  test.setTimeout(90_000);
  await app.evaluate(async () => void (await (window.hearth.stub('CALCULATOR', 'gates') as any).current));
  const devtools = await openDevtools(context);
  await devtools.locator('[data-testid=object-row][data-name=gates]').getByRole('button', { name: 'Timeline' }).click();
  // Hosts report only while a devtools page is there: wait until this one is heard, then call.
  await expect(devtools.locator('[data-panel=timeline]')).toBeVisible();
  await expect
    .poll(async () => {
      await app.evaluate(async () => void (await (window.hearth.stub('CALCULATOR', 'gates') as any).current));
      return devtools.locator('[data-testid=timeline-bar][data-label="rpc current"]').count();
    })
    .toBeGreaterThan(0);
  await app.evaluate(async () => void (await (window.hearth.stub('CALCULATOR', 'gates') as any).persist('k', 42)));

  const persist = devtools.locator('[data-testid=timeline-bar][data-label="rpc persist"]').first();
  await expect(persist).toHaveAttribute(
    'data-sequence',
    'arrived delivered storage-write:put storage-read:get output-held commit-started commit-finished output-released reply-sent',
  );
  await expect(devtools.locator('[data-testid=timeline-bar][data-label="rpc current"]').first()).toHaveAttribute(
    'data-sequence',
    'arrived delivered reply-sent',
  );
  await persist.click();
  await expect(devtools.getByTestId('timeline-details')).toContainText('output-held reply');
  // Calls that overlap, for the picture: later ones wait while earlier ones' replies are held.
  await app.evaluate(async () => {
    const calc = window.hearth.stub('CALCULATOR', 'gates') as any;
    await Promise.all([calc.persist('a', 1), calc.addLater(2), calc.persist('b', 2), calc.current, calc.persist('c', 3)]);
  });
  await expect(devtools.locator('[data-testid=timeline-bar][data-label="rpc persist"]')).toHaveCount(4);
  await screenshot(devtools, 'timeline');
  await devtools.locator('nav button[data-tab=metrics]').click();
  await expect(devtools.getByTestId('metrics-row')).toHaveCount(1);
  await screenshot(devtools, 'metrics');
});
