/**
 * Logs and metrics leave the device only through an export — `runtime.onLog`,
 * `runtime.onMetrics`, or the devtools' NDJSON download — and every exported
 * record names its object's jurisdiction. With `hearth.metadata_boundary`
 * set, records of objects in a jurisdiction outside it are kept out of every
 * export, while the devtools still show them locally. The page's console
 * shows each line prefixed with its object.
 */
import { readFile } from 'node:fs/promises';
import { test, expect, openApp } from './fixtures.ts';
import { openDevtools } from './devtools-page.ts';

/** Log a line from a Probe (in `jurisdiction`, if given). */
async function logFrom(page: import('@playwright/test').Page, name: string, text: string, jurisdiction?: string) {
  await page.evaluate(async ([name, text, jurisdiction]) => {
    const PROBE = (window.hearth.runtime.env as any).PROBE;
    const ns = jurisdiction ? PROBE.jurisdiction(jurisdiction) : PROBE;
    const response = await ns.get(ns.idFromName(name)).fetch('https://probe.test/', { method: 'POST', body: `() => console.log(${JSON.stringify(text)})` });
    await response.json();
  }, [name, text, jurisdiction] as const);
}

test('exports tag records with the jurisdiction and leave out objects outside the metadata boundary', async ({ context }) => {
  test.setTimeout(90_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000, metadata_boundary: 'us' });
  const consoleLines: string[] = [];
  app.on('console', (m) => consoleLines.push(m.text()));
  await app.evaluate(() => {
    const w = window as any;
    w.logs = [];
    w.metrics = [];
    // Only the test's own lines (under `vite`, each worker also logs "[vite] connected.").
    w.stopLogs = window.hearth.runtime.onLog((r) => r.level === 'log' && w.logs.push(r));
    w.stopMetrics = window.hearth.runtime.onMetrics((r) => w.metrics.push(r));
  });
  const devtools = await openDevtools(context, '#tab=logs');

  await logFrom(app, 'plain', 'hello from nowhere in particular');
  await logFrom(app, 'in-us', 'hello from the US', 'us');
  await logFrom(app, 'in-eu', 'hello from the EU', 'eu');

  // onLog: tagged, and the EU object's line kept out of an export bound to the US.
  await expect.poll(() => app.evaluate(() => (window as any).logs.length)).toBe(2);
  const logs = await app.evaluate(() => (window as any).logs);
  expect(logs.map((r: any) => [r.message, r.jurisdiction, r.object.name, r.object.className, r.level])).toEqual([
    ['hello from nowhere in particular', null, 'plain', 'Probe', 'log'],
    ['hello from the US', 'us', 'in-us', 'Probe', 'log'],
  ]);

  // onMetrics: per object per second, tagged the same way; the EU object never appears.
  await expect.poll(() => app.evaluate(() => (window as any).metrics.filter((r: any) => r.object.name === 'in-us').length)).toBeGreaterThan(0);
  const metrics = await app.evaluate(() => (window as any).metrics);
  const us = metrics.find((r: any) => r.object.name === 'in-us');
  expect(us).toMatchObject({ type: 'metrics', jurisdiction: 'us', requests: 1, errors: 0 });
  expect(metrics.some((r: any) => r.object.name === 'in-eu')).toBe(false);

  // The devtools show every line locally, the EU one included…
  await expect(devtools.getByTestId('log-line').filter({ hasText: 'hello from the EU' })).toHaveCount(1);
  // …but the download leaves it out, like every export.
  const [download] = await Promise.all([devtools.waitForEvent('download'), devtools.getByTestId('export-logs').click()]);
  const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.level === 'log');
  expect(lines.map((r) => [r.message, r.jurisdiction])).toEqual([
    ['hello from nowhere in particular', null],
    ['hello from the US', 'us'],
  ]);

  // So does the metrics download: per object per second, tagged, the EU object left out.
  await devtools.locator('nav button[data-tab=metrics]').click();
  await expect(devtools.getByTestId('metrics-row')).toHaveCount(3);
  await devtools.waitForTimeout(1500); // the current second is closed into a record
  const [metricsDownload] = await Promise.all([devtools.waitForEvent('download'), devtools.getByTestId('export-metrics').click()]);
  const records = (await readFile((await metricsDownload.path())!, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  expect(records.find((r) => r.object.name === 'in-us')).toMatchObject({ type: 'metrics', jurisdiction: 'us', requests: 1 });
  expect(records.find((r) => r.object.name === 'plain')).toMatchObject({ jurisdiction: null, requests: 1 });
  expect(records.some((r) => r.object.name === 'in-eu')).toBe(false);

  // The page's own console shows each line prefixed with its object.
  expect(consoleLines).toContain('[Probe in-eu] hello from the EU');

  // Unsubscribing stops the hooks.
  await app.evaluate(() => {
    (window as any).stopLogs();
    (window as any).stopMetrics();
  });
  await logFrom(app, 'plain', 'after unsubscribing');
  await app.waitForTimeout(1500);
  expect(await app.evaluate(() => (window as any).logs.length)).toBe(2);
});

test('with observability disabled no log line is kept or exported', async ({ context }) => {
  test.setTimeout(60_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000 }, undefined, { enabled: false });
  await app.evaluate(() => {
    (window as any).logs = [];
    window.hearth.runtime.onLog((r) => r.level === 'log' && (window as any).logs.push(r));
  });
  const devtools = await openDevtools(context, '#tab=logs');
  await logFrom(app, 'quiet', 'never kept');
  // The call itself went through (metrics still count it); its line was dropped.
  await devtools.locator('nav button[data-tab=metrics]').click();
  await expect(devtools.getByTestId('metrics-row')).not.toHaveCount(0);
  await devtools.locator('nav button[data-tab=logs]').click();
  await expect(devtools.getByTestId('log-line').filter({ hasText: 'never kept' })).toHaveCount(0);
  await expect(devtools.getByTestId('log-line')).toHaveCount(0);
  expect(await app.evaluate(() => (window as any).logs.length)).toBe(0);
});
