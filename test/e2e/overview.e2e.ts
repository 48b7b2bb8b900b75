import { expect, format, test, storeStats } from './support/fixtures.js';

test('Overview shows the store’s real numbers', async ({ demo, openConsole }) => {
  const page = await openConsole(demo, '#/overview');
  const stats = storeStats(demo.store);
  await expect(page.getByTestId('metric-events')).toHaveText(format(stats.events));
  await expect(page.getByTestId('metric-streams')).toHaveText(format(stats.streams));
  await expect(page.getByTestId('metric-head')).toHaveText(format(stats.headPosition));
  await expect(page.getByTestId('status-head')).toHaveText(format(stats.headPosition));

  // The head hash: monospace, shortened, the full value in its tooltip.
  const hash = page.getByTestId('metric-head-card').getByRole('button', { name: /Copy head hash/ });
  await expect(hash).toHaveAttribute('data-value', stats.headHash);
  await expect(hash).toHaveAttribute('title', new RegExp(stats.headHash));
  await expect(hash).toHaveText(new RegExp(`^${stats.headHash.slice(0, 8)}…${stats.headHash.slice(-4)}`));

  await expect(page.getByTestId('metric-durability')).toContainText('Full: survives power loss');
  await expect(page.getByTestId('metric-lag')).toHaveText(/Caught up|\d+ events/);
});

test('the events chart has a range selector, real counts and exact tooltips', async ({ demo, openConsole }) => {
  const page = await openConsole(demo, '#/overview');
  const chart = page.getByTestId('event-rate-chart');
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(chart.getByRole('button', { name: '1 h' })).toHaveAttribute('aria-pressed', 'true');

  // The demo's events were recorded over the last two hours: the 24 h range holds every one of them.
  await chart.getByRole('button', { name: '24 h' }).click();
  await expect(chart.getByRole('button', { name: '24 h' })).toHaveAttribute('aria-pressed', 'true');
  await expect(chart).toContainText('Events per 15 min');
  const stats = storeStats(demo.store);
  await expect(chart).toContainText(`${format(stats.events)} events in the last 24 h`);

  for (const range of ['15 min', '7 d', '1 h']) {
    await chart.getByRole('button', { name: range }).click();
    await expect(chart.getByRole('button', { name: range })).toHaveAttribute('aria-pressed', 'true');
  }
  // Hovering a bar shows its exact count.
  const bar = chart.locator('.recharts-bar-rectangle').last();
  await bar.hover();
  await expect(chart.locator('.chart-tooltip')).toContainText(/\d+ events/);
});
