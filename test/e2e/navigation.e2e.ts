import { expect, saveScreenshot, test } from './support/fixtures.js';

const PAGES = [
  { id: 'overview', title: 'Overview', built: true },
  { id: 'streams', title: 'Streams', built: true },
  { id: 'projections', title: 'Projections', built: false },
  { id: 'query', title: 'Query', built: false },
  { id: 'cache', title: 'Cache', built: false },
  { id: 'backups', title: 'Backups', built: true },
  { id: 'recovery', title: 'Recovery', built: true },
  { id: 'security', title: 'Security', built: false },
  { id: 'policies', title: 'Policies & maintenance', built: false },
] as const;

test('every page is one click away in the navigation, with a hash route', async ({ demo, openConsole }) => {
  const page = await openConsole(demo);
  for (const entry of PAGES) {
    await page.getByTestId(`nav-${entry.id}`).click();
    await expect(page).toHaveURL(new RegExp(`#/${entry.id}$`));
    await expect(page.getByTestId(`nav-${entry.id}`)).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('h1')).toHaveText(entry.title);
    if (!entry.built) {
      // Pages not built yet say so plainly, without sample data.
      await expect(page.getByText('Not available in this version yet')).toBeVisible();
      await saveScreenshot(page, entry.id);
    }
  }
  // Back and forward move through the same routes.
  await page.goBack();
  await expect(page.locator('h1')).toHaveText('Security');
  await page.goForward();
  await expect(page.locator('h1')).toHaveText('Policies & maintenance');
});

test('the status bar names the store and shows head, durability, integrity and connection', async ({ demo, openConsole }) => {
  const page = await openConsole(demo);
  const bar = page.getByTestId('status-bar');
  await expect(bar.getByTestId('store-name')).toHaveText('demo-store');
  await expect(bar).toContainText(demo.store);
  await expect(bar.getByTestId('status-head')).toHaveText(/^\d{1,3}(,\d{3})+$/);
  await expect(bar).toContainText('Full');
  await expect(bar.getByTestId('status-connection')).toHaveText('Serve · live');
});
