/**
 * The playground is honest about where Hearth differs from Cloudflare: its
 * Differences panel lists every row of docs/intended-differences.md.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openPlayground } from './playground-page.ts';

const DOC = readFileSync(path.resolve(import.meta.dirname, '../../docs/intended-differences.md'), 'utf8');
const SCENARIOS = [...DOC.split('## The differences')[1]!.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!);

test('the Differences panel lists every intended difference from docs/intended-differences.md', async ({ page }) => {
  test.setTimeout(90_000);
  await openPlayground(page);
  await page.locator('[data-watch-tab="differences"]').click();
  const rows = page.locator('[data-testid="difference"]');
  await expect(rows).toHaveCount(SCENARIOS.length);
  for (const [i, scenario] of SCENARIOS.entries()) await expect(rows.nth(i).locator('td').first()).toContainText(scenario);
});
