/**
 * The Worker's request at the edge carries `request.cf` — simulated from the
 * browser's time zone and language (documented) — and the `CF-Connecting-IP`
 * header, as code written for Cloudflare's edge expects.
 */
import { expect, test } from '@playwright/test';
import { EDGE_APP_PORT } from '../../playwright.config.ts';

const ORIGIN = `http://localhost:${EDGE_APP_PORT}`;

test('the Worker sees request.cf made from the browser\'s time zone and language, and CF-Connecting-IP', async ({ page }) => {
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  await page.goto(`${ORIGIN}/index.html`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const { answer, timeZone, region } = await page.evaluate(async () => {
    const response = await fetch('/api/cf/x', { headers: { 'x-probe': '1' } });
    return {
      answer: await response.json(),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      region: new Intl.Locale(navigator.language).maximize().region ?? 'XX',
    };
  });
  expect(answer.ip).toBe('127.0.0.1');
  expect(answer.cf).toMatchObject({
    timezone: timeZone,
    country: region,
    continent: expect.stringMatching(/^(AF|AN|AS|EU|NA|OC|SA)$/),
    colo: expect.stringMatching(/^[A-Z]{3}$/),
    httpProtocol: 'HTTP/2',
    tlsVersion: 'TLSv1.3',
    asn: expect.any(Number),
  });
});
