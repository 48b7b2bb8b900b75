import { expect, saveScreenshot, test } from './support/fixtures.js';

test('an empty store offers the demo dataset and loads it with progress', async ({ serveFresh, openConsole }) => {
  const server = await serveFresh();
  const page = await openConsole(server, '#/overview');
  const empty = page.getByTestId('empty-store');
  await expect(empty).toContainText('This store has no events yet');
  await expect(empty).toContainText('pconsole import');
  await expect(page.getByTestId('metric-events')).toHaveText('0');
  await saveScreenshot(page, 'empty-store');

  await empty.getByRole('button', { name: 'Load demo dataset' }).click();
  const job = empty.getByTestId('demo-job');
  await expect(job.getByRole('progressbar')).toBeVisible();
  // Counts against the total and a rate, while it runs and (a quiet machine loads 100,000 events in ~4 s, before
  // a slow assertion sees it running) in the finished summary.
  await expect(job).toContainText(/100,000 events/);
  await expect(job).toContainText(/[\d,.]+ events\/s/);
  await expect(page.getByTestId('jobs-button')).toContainText(/running|Jobs/);
  await expect(empty.getByTestId('demo-outcome')).toContainText('100,000 events in', { timeout: 90_000 });
  await expect(job.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('metric-events')).toHaveText('100,000');

  // The streams are there to browse.
  await empty.getByRole('link', { name: 'Browse the events' }).click();
  await expect(page.getByTestId('event-list').locator('[data-position="1"]')).toBeVisible();
});
