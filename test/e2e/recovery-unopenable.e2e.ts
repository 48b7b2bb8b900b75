import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { ERROR_HINTS } from '../../shared/errors.js';
import { ServeApi } from './support/apiClient.js';
import { expect, format, saveScreenshot, storeStats, test } from './support/fixtures.js';

// Issue 5: recovery must work when the store cannot be opened at all. The console starts without it, says
// so on every page (not one STORE_UNAVAILABLE panel per call), and the wizard restores it in place.

const GARBAGE = Buffer.alloc(64 * 1024, 'this is not an SQLite database ');

const step = (page: Page, id: string) => page.locator(`[data-testid="wizard-step"][data-step="${id}"]`);

/** What a bad disk or a bad copy leaves: events.db is no database any more, its WAL and shared memory gone. */
function destroyEventsDb(store: string): void {
  writeFileSync(join(store, 'events.db'), GARBAGE);
  for (const suffix of ['-wal', '-shm']) rmSync(join(store, `events.db${suffix}`), { force: true });
}

test('a store that cannot be opened: the console says so everywhere, and the wizard restores it from named archives', async ({ serveFresh, openConsole }) => {
  test.setTimeout(180_000);
  const timings: string[] = [];
  let mark = Date.now();
  const lap = (what: string) => {
    timings.push(`${what} ${Date.now() - mark} ms`);
    mark = Date.now();
  };

  // A store with events, a full and an incremental backup in <dir>/backups, taken through the API.
  const first = await serveFresh();
  const folder = join(dirname(first.store), 'backups');
  const api = new ServeApi(first);
  try {
    await api.runJob('store.loadDemo', { events: 3000, streams: 150 });
    await api.runJob('backup.create', { destination: folder, kind: 'full', encryption: { kind: 'none' } });
    await api.runJob('store.loadDemo', { events: 1200, streams: 60 });
    await api.runJob('backup.create', { destination: folder, kind: 'incremental', encryption: { kind: 'none' } });
  } finally {
    api.close();
  }
  const backedUp = storeStats(first.store);
  expect(backedUp.headPosition).toBe(4200);
  await first.stop();
  destroyEventsDb(first.store);
  lap('store, backups and damage');

  // Served again on the same folder: serve starts without the store and says why.
  const server = await serveFresh({ store: first.store });
  expect(server.storeProblem).toMatchObject({ code: 'INTEGRITY_VIOLATION' });
  const page = await openConsole(server, '#/overview');
  lap('serve and open');

  // Overview: the one explanation, with the path, the problem and the way to Recovery; no error cascade.
  const overview = page.getByTestId('page-overview');
  await expect(overview).toHaveAttribute('data-store-unavailable', 'true');
  const unavailable = overview.getByTestId('store-unavailable');
  await expect(unavailable).toContainText('The store cannot be opened');
  await expect(unavailable.getByTestId('store-unavailable-path')).toContainText(server.store);
  await expect(unavailable.getByTestId('store-unavailable-code')).toHaveText('INTEGRITY_VIOLATION');
  await expect(unavailable.getByTestId('store-unavailable-message')).toContainText('not a database');
  await expect(unavailable.getByTestId('store-unavailable-hint').first()).toHaveText(ERROR_HINTS.STORE_UNAVAILABLE);
  await expect(unavailable.getByTestId('store-unavailable-recover')).toBeVisible();
  // Serve mode serves one store: no "Open another store" (that is the desktop app's).
  await expect(unavailable.getByTestId('open-another-store')).toHaveCount(0);
  // The status bar: no spinner, no error per item, one plain state; Recovery's entry says where to go.
  const statusBar = page.getByTestId('status-bar');
  await expect(statusBar.getByTestId('status-store-unavailable')).toContainText('store unavailable');
  await expect(statusBar.getByTestId('status-head')).toHaveCount(0);
  await expect(statusBar.locator('.spinner, .skeleton')).toHaveCount(0);
  await expect(page.getByTestId('store-name')).toHaveText('fresh-store');
  await expect(page.getByTestId('nav-badge-recovery')).toHaveAttribute('data-code', 'STORE_UNAVAILABLE');
  await expect(page.locator('.error-panel')).toHaveCount(0);
  await page.mouse.move(0, 0);
  await saveScreenshot(page, 'store-unavailable');

  // Every other page that reads the store: the same explanation, not a STORE_UNAVAILABLE panel.
  for (const id of ['streams', 'backups'] as const) {
    await page.getByTestId(`nav-${id}`).click();
    await expect(page.getByTestId(`page-${id}`)).toHaveAttribute('data-store-unavailable', 'true');
    await expect(page.getByTestId(`page-${id}`).getByTestId('store-unavailable')).toBeVisible();
    await expect(page.locator('[data-error-code="STORE_UNAVAILABLE"]')).toHaveCount(0);
  }

  // Recovery: the problem above the wizard; drills explain why they are unavailable.
  await page.getByTestId('store-unavailable-recover').click();
  await expect(page.getByTestId('page-recovery').getByTestId('store-unavailable')).toContainText('restore it from its backups below');
  await page.getByTestId('recovery-tab-drills').click();
  await expect(page.getByTestId('drills-unavailable')).toBeVisible();
  await expect(page.locator('[data-error-code="STORE_UNAVAILABLE"]')).toHaveCount(0);
  await page.getByTestId('recovery-tab-restore').click();

  // (1) Source: the catalog is tried; its backup folders are in the unreadable events.db, so the wizard
  // moves to named paths and says why. The backup folder, named, holds the chain.
  const source = page.getByTestId('step-source');
  await expect(source.getByTestId('source-catalog-refused')).toContainText('no backup folder of it could be read');
  await expect(source.getByTestId('source-paths')).toBeChecked();
  await source.getByTestId('source-paths-input').fill(folder);
  await expect(source.getByTestId('source-found')).toContainText('2 archives');
  await expect(source.getByTestId('source-found')).toContainText('complete');
  // The store's id could not be read: the warning says the archives' store was taken.
  await expect(source.getByTestId('source-warnings')).toContainText('cannot be read');
  await source.getByTestId('source-next').click();
  lap('to the target step');

  // (2) Target: the chain and the plan; no events around the target (the store cannot be read), and why.
  const target = page.getByTestId('step-target');
  await expect(target.getByTestId('chain-timeline')).toBeVisible();
  await expect(target.getByTestId('plan')).toHaveAttribute('data-position', String(backedUp.headPosition));
  await expect(target.getByTestId('events-around')).toHaveCount(0);
  await expect(target.getByTestId('events-around-unavailable')).toContainText('cannot be opened');
  await expect(target.getByTestId('target-picker')).toBeVisible();
  await target.getByTestId('target-next').click();

  // (3) Validation, (4) the dry run: what will be lost cannot be computed, and the reason.
  await expect(page.getByTestId('validation-result')).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await page.getByTestId('validate-next').click();
  const dryRun = page.getByTestId('dry-run-report');
  await expect(dryRun).toBeVisible({ timeout: 60_000 });
  await expect(dryRun).toHaveAttribute('data-head', String(backedUp.headPosition));
  await expect(dryRun).toHaveAttribute('data-left-out-available', 'false');
  await expect(dryRun.getByTestId('left-out')).toContainText('What will be lost cannot be computed');
  await expect(dryRun.getByTestId('left-out-reason')).toContainText('cannot be opened');
  await expect(dryRun.getByTestId('plain-summary')).toContainText(`Restore ${format(backedUp.headPosition)} events up to position ${format(backedUp.headPosition)}`);
  lap('validation and dry run');

  // (5) Confirmation by typing the store's name, (6) the restore, (7) the report.
  await page.getByTestId('dry-run-next').click();
  const confirm = page.getByTestId('confirm-restore');
  await expect(page.getByTestId('confirm-unopenable')).toContainText('INTEGRITY_VIOLATION');
  const armed = confirm.getByRole('button', { name: 'Restore the store' });
  await expect(armed).toBeDisabled();
  await confirm.getByRole('textbox').fill('fresh-store');
  await armed.click();
  const report = page.getByTestId('recovery-report');
  await expect(report).toBeVisible({ timeout: 90_000 });
  await expect(report).toHaveAttribute('data-head', String(backedUp.headPosition));
  await expect(report.getByTestId('report-previous-store')).toContainText('fresh-store.pre-restore-');
  lap('restore');

  // The console leaves the unavailable state by itself, and the report stays on screen.
  await expect(page.getByTestId('store-reopened')).toContainText('The store opens again');
  await expect(page.getByTestId('page-recovery').getByTestId('store-unavailable')).toHaveCount(0);
  await expect(statusBar.getByTestId('status-store-unavailable')).toHaveCount(0);
  await expect(statusBar.getByTestId('status-head')).toHaveText(format(backedUp.headPosition));
  await expect(report).toBeVisible();
  await expect(step(page, 'report')).toHaveAttribute('data-state', /done|current/);
  // The damaged store's settings could not be carried over: the report says so, and offers to list the
  // folder the archives came from in the restored store's catalog.
  await expect(report.getByTestId('report-carried-over')).toBeVisible();
  const fromSources = page.getByTestId('catalog-from-sources');
  await expect(fromSources).toContainText(folder);
  await fromSources.getByTestId('add-sources-to-catalog').click();
  await expect(fromSources).toHaveCount(0);

  // Overview: the restored head and event count; Streams works.
  await page.getByTestId('nav-overview').click();
  await expect(page.getByTestId('page-overview')).not.toHaveAttribute('data-store-unavailable', 'true');
  await expect(page.getByTestId('metric-head')).toHaveText(format(backedUp.headPosition));
  await expect(page.getByTestId('metric-events')).toHaveText(format(backedUp.events));
  await page.getByTestId('nav-streams').click();
  await expect(page.getByTestId('page-streams')).toContainText(`${format(backedUp.headPosition)} events, positions 1 – ${format(backedUp.headPosition)}`);
  await expect(page.getByTestId('stream-list')).toBeVisible();
  await expect(page.locator('[data-error-code]')).toHaveCount(0);
  const restored = storeStats(server.store);
  expect({ head: restored.headPosition, hash: restored.headHash }).toEqual({ head: backedUp.headPosition, hash: backedUp.headHash });

  // Backups: the catalog lists the archives the store was restored from.
  await page.getByTestId('nav-backups').click();
  await expect(page.getByTestId('archive-table').locator('tbody tr')).toHaveCount(2);

  // The damaged store is kept, set aside.
  await page.getByTestId('nav-recovery').click();
  await page.getByTestId('recovery-tab-set-aside').click();
  await expect(page.getByTestId('set-aside-table').locator('tbody tr')).toHaveCount(1);
  lap('after the restore');
  test.info().annotations.push({ type: 'timing', description: timings.join(' · ') });
});
