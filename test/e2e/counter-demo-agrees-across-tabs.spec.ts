import { test, expect } from './fixtures.ts';

test('the counter demo shows one count in every tab and which tab hosts each counter', async ({ context }) => {
  const first = await context.newPage();
  await first.goto('/');
  await expect(first.locator('body')).toHaveAttribute('data-ready', 'true');
  const second = await context.newPage();
  await second.goto('/');
  await expect(second.locator('body')).toHaveAttribute('data-ready', 'true');

  const rowA = (page: typeof first) => page.locator('li[data-name="A"]');
  await expect(rowA(first).locator('output')).toHaveText('0');
  for (let i = 0; i < 3; i++) await rowA(first).getByRole('button', { name: 'increment' }).click();
  await expect(rowA(first).locator('output')).toHaveText('3');
  // The other tab hears about it and re-reads the same object.
  await expect(rowA(second).locator('output')).toHaveText('3');
  await rowA(second).getByRole('button', { name: 'decrement' }).click();
  await expect(rowA(first).locator('output')).toHaveText('2');

  // Both tabs agree on where counter A lives.
  const firstTab = (await first.locator('#tab').textContent())!;
  await expect(rowA(first).locator('.host')).toHaveText(/live in this tab|live in tab/);
  const hostSeenBySecond = await rowA(second).locator('.host').textContent();
  const hostSeenByFirst = await rowA(first).locator('.host').textContent();
  expect([hostSeenByFirst, hostSeenBySecond]).toContain('live in this tab');
  if (hostSeenByFirst === 'live in this tab') expect(hostSeenBySecond).toBe(`live in tab ${firstTab}`);

  // The seed Worker, run by the edge for `/increment`, reaches the same object A.
  await first.locator('#edge button[data-path="/increment"]').click();
  await expect(first.locator('#edge output')).toHaveText("200 Durable Object 'A' count: 3");
  await expect(rowA(second).locator('output')).toHaveText('3');
  expect(await second.evaluate(async () => (await fetch('/decrement')).text())).toBe("Durable Object 'A' count: 2");

  // Adding a counter makes a new object.
  await first.locator('#name').fill('Zed');
  await first.locator('#name').press('Enter');
  await expect(first.locator('li[data-name="Zed"] output')).toHaveText('0');
});
