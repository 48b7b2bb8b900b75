import { expect, format, saveScreenshot, storeStats, test } from './support/fixtures.js';

test('Verify integrity runs as a job with a progress bar and shows its result', async ({ demo, openConsole }) => {
  const page = await openConsole(demo, '#/overview');
  const panel = page.getByTestId('integrity-panel');
  await panel.getByRole('button', { name: 'Verify integrity' }).click();

  const job = panel.getByTestId('verify-job');
  const bar = job.getByRole('progressbar');
  await expect(bar).toBeVisible();
  const result = panel.getByTestId('verify-result');
  await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  const stats = storeStats(demo.store);
  await expect(result).toContainText('No problems found');
  await expect(result).toContainText(`${format(stats.events)} events checked`);

  // The outcome is recorded: Overview, the status bar and the jobs list say so.
  await expect(panel.getByTestId('integrity-last')).toContainText('Passed');
  await expect(page.getByTestId('status-integrity')).toHaveText(/^Verified/);
  await saveScreenshot(page, 'overview');
  // The theme follows the system setting.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(15, 19, 24)');
  await saveScreenshot(page, 'overview-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.getByTestId('jobs-button').click();
  const row = page.getByTestId('jobs-panel').locator('[data-kind="store.verify"]').first();
  await expect(row).toHaveAttribute('data-state', 'succeeded');
  await expect(row).toContainText(`Integrity OK: ${format(stats.events)} events checked`);
  await expect(row).toContainText(/took \d/);
  await saveScreenshot(page, 'jobs');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('jobs-panel')).toBeHidden();
});
