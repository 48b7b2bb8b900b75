import { ERROR_HINTS } from '../../shared/errors.js';
import { expect, saveScreenshot, test } from './support/fixtures.js';

test('a failed call shows its message, its code and what to do', async ({ demo, openConsole }) => {
  const page = await openConsole(demo, '#/streams/no-such-stream');
  const error = page.locator('[data-error-code="NOT_FOUND"]');
  await expect(error).toBeVisible();
  await expect(error).toContainText('no stream no-such-stream');
  await expect(error).toContainText('NOT_FOUND');
  await expect(error).toContainText(ERROR_HINTS.NOT_FOUND);
  await expect(error).not.toContainText(/at \w+ \(|\.js:\d+/); // never a stack trace
  await saveScreenshot(page, 'error');

  await page.goto(`${demo.origin}/#/no-such-page`);
  await expect(page.locator('[data-error-code="NOT_FOUND"]')).toContainText('There is no page at #/no-such-page');
});

test('a viewer asking for verify is refused with FORBIDDEN and its hint', async ({ serveFresh, openConsole }) => {
  const server = await serveFresh({ role: 'viewer' });
  const page = await openConsole(server, '#/overview');
  await page.getByTestId('integrity-panel').getByRole('button', { name: 'Verify integrity' }).click();
  const error = page.locator('[data-error-code="FORBIDDEN"]');
  await expect(error).toBeVisible();
  await expect(error).toContainText(ERROR_HINTS.FORBIDDEN);
  await expect(error).toContainText('Verify could not start');
});

test('a lost connection is shown in the status bar', async ({ serveFresh, openConsole }) => {
  const server = await serveFresh();
  const page = await openConsole(server, '#/overview');
  await server.stop();
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', /reconnecting|signed-out/);
});
