/**
 * The edge's console — the service worker running the app's `fetch` — reaches
 * the devtools' Logs panel, tagged `edge`, with its level: lines written
 * before the page opened (the edge keeps the recent ones) and live ones.
 */
import { test, expect } from './fixtures.ts';
import { EDGE_ORIGIN, openEdgeApp } from './edge-app-page.ts';

test('console output of the Worker running in the edge appears in the logs panel as edge, from before and live', async ({ context }) => {
  test.setTimeout(90_000);
  const app = await context.newPage();
  await openEdgeApp(app);
  const fetchText = (path: string) => app.evaluate((p) => fetch(p).then((r) => r.text()), path);
  expect(await fetchText('/api/log/x?text=before-the-devtools')).toBe('logged');

  const devtools = await context.newPage();
  devtools.on('pageerror', (error) => console.log(`[devtools pageerror] ${error.message}`));
  await devtools.goto(`${EDGE_ORIGIN}/__hearth/#tab=logs`);
  await expect(devtools.locator('body')).toHaveAttribute('data-ready', 'true');
  const before = devtools.getByTestId('log-line').filter({ hasText: 'the edge says: before-the-devtools' });
  await expect(before).toHaveCount(1);
  await expect(before).toHaveAttribute('data-source', 'edge');
  await expect(before.locator('.who')).toHaveText('edge');
  await expect(before).toHaveClass(/log-log/);

  expect(await fetchText('/api/log/x?text=while-watching&level=warn')).toBe('logged');
  const live = devtools.getByTestId('log-line').filter({ hasText: 'the edge warns: while-watching {"n":1}' });
  await expect(live).toHaveCount(1);
  await expect(live).toHaveClass(/log-warn/);
  await expect(live.locator('.who')).toHaveText('edge');
});
