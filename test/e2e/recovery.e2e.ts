import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { ServeApi } from './support/apiClient.js';
import { expect, format, saveScreenshot, storeStats, test } from './support/fixtures.js';
import type { ServedStore } from './support/serve.js';

/** The "bad batch" a faulty deploy appends after the last backup: two streams, two types, 30 events. */
const BAD_BATCH = [
  { streamId: 'pricing-bad', type: 'PriceOverwritten', count: 20 },
  { streamId: 'inventory-bad', type: 'StockZeroed', count: 10 },
] as const;
const BAD_EVENTS = BAD_BATCH.reduce((sum, b) => sum + b.count, 0);

/** Demo events through the API (orders, payments, shipments), as an application would append them. */
async function appendDemo(api: ServeApi, events: number): Promise<void> {
  await api.runJob('store.loadDemo', { events, streams: Math.max(1, Math.floor(events / 20)) });
}

async function appendBadBatch(api: ServeApi): Promise<void> {
  for (const batch of BAD_BATCH)
    await api.call('events.append', {
      streamId: batch.streamId,
      events: Array.from({ length: batch.count }, (_, i) => ({ type: batch.type, data: { deploy: 'v2.3.1-bad', n: i } })),
    });
}

type Encryption = { kind: 'none' } | { kind: 'age-passphrase'; passphrase: string };

/** A store with a full and an incremental backup in `<dir>/backups`; returns the head the backups reach. */
async function storeWithBackups(server: ServedStore, encryption: Encryption = { kind: 'none' }): Promise<{ readonly backedUp: number; readonly folder: string }> {
  const folder = join(dirname(server.store), 'backups');
  const api = new ServeApi(server);
  try {
    await appendDemo(api, 3000);
    await api.runJob('backup.create', { destination: folder, kind: 'full', encryption });
    await appendDemo(api, 1200);
    await api.runJob('backup.create', { destination: folder, kind: 'incremental', encryption });
  } finally {
    api.close();
  }
  return { backedUp: storeStats(server.store).headPosition, folder };
}

const step = (page: Page, id: string) => page.locator(`[data-testid="wizard-step"][data-step="${id}"]`);

/** Reads a download the page starts with `click` and returns its text. */
async function downloadText(page: Page, click: () => Promise<void>): Promise<{ readonly name: string; readonly text: string }> {
  const downloading = page.waitForEvent('download');
  await click();
  const download = await downloading;
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

test('the whole wizard: back to just before a bad batch, dry run showing what is lost, verified restore with its report', async ({ serveFresh, openConsole }) => {
  test.setTimeout(180_000);
  const started = Date.now();
  const server = await serveFresh();
  const { backedUp } = await storeWithBackups(server);
  const api = new ServeApi(server);
  try {
    await appendBadBatch(api);
  } finally {
    api.close();
  }
  const before = storeStats(server.store);
  expect(before.headPosition).toBe(backedUp + BAD_EVENTS);
  const firstBad = backedUp + 1;

  const page = await openConsole(server, '#/recovery');
  // The step list is in view from the start; later steps wait for earlier ones.
  await expect(page.getByTestId('wizard-step')).toHaveCount(7);
  await expect(step(page, 'source')).toHaveAttribute('data-state', /current|done/);
  await expect(step(page, 'validate')).toHaveAttribute('data-state', 'locked');

  // (1) Source: the catalog, with its one complete chain of two archives.
  const source = page.getByTestId('step-source');
  await expect(source.getByTestId('source-catalog')).toBeChecked();
  await expect(source.getByTestId('source-found')).toContainText('2 archives');
  await expect(source.getByTestId('source-found')).toContainText('complete');
  await expect(source).toContainText('not encrypted');
  await source.getByTestId('source-next').click();

  // (2) Target: the chain on a timeline, the plan, and the events around the target.
  const target = page.getByTestId('step-target');
  await expect(target.getByTestId('chain-timeline')).toBeVisible();
  await expect(target.getByTestId('timeline-link')).toHaveCount(2);
  await expect(target.getByTestId('timeline-target')).toBeVisible();
  await expect(target.getByTestId('plan')).toHaveAttribute('data-position', String(backedUp));
  const around = target.getByTestId('events-around');
  const badRow = around.locator(`[data-testid="around-event"][data-position="${firstBad}"]`);
  await expect(badRow).toContainText(BAD_BATCH[0].type);
  await expect(badRow).toHaveAttribute('data-state', 'lost');
  // The admin picks "just before the bad event".
  await badRow.getByTestId('just-before').click();
  await expect(target.getByTestId('target-position')).toHaveValue(String(backedUp));
  await expect(target.getByTestId('plan')).toHaveAttribute('data-position', String(backedUp));
  await expect(target.getByTestId('plan-link')).toHaveCount(2);
  await expect(around).toHaveAttribute('data-position', String(backedUp));
  await expect(around.locator(`[data-testid="around-event"][data-position="${backedUp}"]`)).toHaveAttribute('data-state', 'target');
  await expect(step(page, 'target')).toContainText(`position ${format(backedUp)}`);
  await page.mouse.move(0, 0);
  await page.locator('.shell__main').evaluate((main) => main.scrollTo(0, 0));
  await saveScreenshot(page, 'recovery');

  // (3) Validation, archive by archive.
  await target.getByTestId('target-next').click();
  const validation = page.getByTestId('validation-result');
  await expect(validation).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await expect(validation.locator('[data-testid="validation-archive"][data-ok="true"]')).toHaveCount(2);
  await expect(step(page, 'validate')).toHaveAttribute('data-state', /done|current/);

  // (4) Dry run: what will be restored, and the bad batch as what will be lost, by stream and by type.
  await page.getByTestId('validate-next').click();
  const dryRun = page.getByTestId('dry-run-report');
  await expect(dryRun).toBeVisible({ timeout: 60_000 });
  await expect(dryRun).toHaveAttribute('data-head', String(backedUp));
  await expect(dryRun).toHaveAttribute('data-left-out', String(BAD_EVENTS));
  await expect(dryRun.getByTestId('plain-summary')).toContainText(`Restore ${format(backedUp)} events up to position ${format(backedUp)}`);
  await expect(dryRun.getByTestId('plain-summary')).toContainText(`${format(BAD_EVENTS)} events after it will not be in the restored store`);
  await expect(dryRun.getByTestId('restored-events')).toHaveText(format(backedUp));
  for (const batch of BAD_BATCH) {
    await expect(dryRun.getByTestId('left-out-by-stream').locator(`tr[data-name="${batch.streamId}"]`)).toHaveAttribute('data-events', String(batch.count));
    await expect(dryRun.getByTestId('left-out-by-type').locator(`tr[data-name="${batch.type}"]`)).toHaveAttribute('data-events', String(batch.count));
  }
  await expect(dryRun.getByTestId('left-out-by-stream').locator('.recharts-bar-rectangle')).toHaveCount(2);
  await expect(dryRun.getByTestId('data-loss')).toBeVisible();
  // Nothing has been written yet.
  expect(storeStats(server.store).headPosition).toBe(before.headPosition);
  await page.mouse.move(0, 0);
  await page.locator('.shell__main').evaluate((main) => main.scrollTo(0, 0));
  await saveScreenshot(page, 'recovery-dry-run');

  // (5) Confirmation by typing the store's name.
  await page.getByTestId('dry-run-next').click();
  const confirm = page.getByTestId('confirm-restore');
  await expect(confirm).toContainText(`the current store is kept as fresh-store.pre-restore-`);
  const armed = confirm.getByRole('button', { name: 'Restore the store' });
  await expect(armed).toBeDisabled();
  await confirm.getByRole('textbox').fill('fresh-stor');
  await expect(armed).toBeDisabled();
  await confirm.getByRole('textbox').fill('fresh-store');
  await armed.click();

  // (6) Progress, then (7) the verification report.
  await expect(step(page, 'restore')).not.toHaveAttribute('data-state', 'locked');
  const report = page.getByTestId('recovery-report');
  await expect(report).toBeVisible({ timeout: 90_000 });
  await expect(report).toHaveAttribute('data-head', String(backedUp));
  await expect(report.getByTestId('report-rto')).toHaveText(/^\d+(\.\d+)? (ms|s)$|min/);
  await expect(report.getByTestId('report-step').first()).toBeVisible();
  await expect(report.getByTestId('steps-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(report.getByTestId('report-previous-store')).toContainText('fresh-store.pre-restore-');
  await expect(step(page, 'report')).toHaveAttribute('data-state', /done|current/);
  // Every step before the restore is locked now: the restore happened.
  await expect(step(page, 'source')).toHaveAttribute('data-state', 'locked');
  await page.mouse.move(0, 0);
  await page.locator('.shell__main').evaluate((main) => main.scrollTo(0, 0));
  await saveScreenshot(page, 'recovery-report');

  // Exports: the JSON as the API reported it, and a self-contained printable page.
  const json = await downloadText(page, () => report.getByTestId('export-json').click());
  expect(json.name).toMatch(/^recovery-report-fresh-store-\d{8}T\d{6}Z\.json$/);
  const exported = JSON.parse(json.text) as { headPosition: number; headHash: string; rtoMs: number; steps: unknown[]; leftOut: { events: number } };
  expect(exported.headPosition).toBe(backedUp);
  expect(exported.rtoMs).toBeGreaterThan(0);
  expect(exported.steps.length).toBeGreaterThan(0);
  expect(exported.leftOut.events).toBe(BAD_EVENTS);
  const html = await downloadText(page, () => report.getByTestId('export-html').click());
  expect(html.name).toMatch(/\.html$/);
  expect(html.text).toMatch(/^<!doctype html>/);
  expect(html.text).toContain('@media print');
  expect(html.text).not.toMatch(/<script|<link|src=/i);
  expect(html.text).toContain(exported.headHash);

  // The store holds exactly the events up to the chosen position, with the hash the report names.
  const after = storeStats(server.store);
  expect(after.headPosition).toBe(backedUp);
  expect(after.events).toBe(backedUp);
  expect(after.headHash).toBe(exported.headHash);

  // Every page shows the restored store: the status bar, and the Streams page.
  await expect(page.getByTestId('status-head')).toHaveText(format(backedUp));
  await page.getByTestId('nav-streams').click();
  await expect(page.getByTestId('page-streams')).toContainText(`${format(backedUp)} events, positions 1 – ${format(backedUp)}`);
  await expect(page.getByTestId('stream-list')).not.toContainText('pricing-bad');

  // The restore carries the store's settings over: the catalog still lists the archives it was restored from.
  await page.getByTestId('nav-backups').click();
  const archives = page.getByTestId('archive-table').locator('tbody tr');
  await expect(archives).toHaveCount(2);
  await expect(page.getByTestId('archive-table').locator('tbody tr[data-kind="full"]')).toHaveCount(1);
  await expect(page.getByTestId('backups-empty')).toHaveCount(0);

  // The store as it was is kept, and listed for discarding.
  await page.getByTestId('nav-recovery').click();
  await page.getByTestId('recovery-tab-set-aside').click();
  const kept = page.getByTestId('set-aside-table').locator('tbody tr');
  await expect(kept).toHaveCount(1);
  // Discarding it asks for the folder's name.
  const keptPath = (await kept.getAttribute('data-path'))!;
  await kept.getByTestId('discard-set-aside').click();
  const discard = page.getByTestId('confirm-discard');
  await discard.getByRole('textbox').fill(keptPath.slice(keptPath.lastIndexOf('/') + 1));
  await discard.getByRole('button', { name: 'Discard it for good' }).click();
  await expect(page.getByTestId('discarded')).toBeVisible();
  await expect(page.getByTestId('set-aside-stores')).toContainText('No stores set aside');
  test.info().annotations.push({ type: 'timing', description: `whole wizard in ${Date.now() - started} ms` });
});

test('"recover to just before this event" in an event’s detail opens the wizard with that target', async ({ serveFresh, openConsole }) => {
  test.setTimeout(120_000);
  const server = await serveFresh();
  await storeWithBackups(server);
  const page = await openConsole(server, '#/streams?event=1');

  // The first event has nothing before it: the action says why it is off.
  const detail = page.getByTestId('event-detail');
  await expect(detail.getByTestId('detail-position')).toHaveText('1');
  await expect(detail.getByTestId('recover-before')).toBeDisabled();
  await expect(detail.getByTestId('recover-before')).toHaveAttribute('title', /first event/);

  await page.goto(`${server.origin}/#/streams?event=2500`);
  await expect(detail.getByTestId('detail-position')).toHaveText('2,500');
  await detail.getByTestId('recover-before').click();
  await expect(page).toHaveURL(/#\/recovery\?position=2499$/);
  await expect(page.getByTestId('recovery-wizard')).toHaveAttribute('data-step', 'target');
  const target = page.getByTestId('step-target');
  await expect(target.getByTestId('target-position')).toHaveValue('2499');
  await expect(target.getByTestId('plan')).toHaveAttribute('data-position', '2499');
  await expect(target.getByTestId('plan-cut')).toContainText('cuts it back to #2,499');
  const around = target.getByTestId('events-around');
  await expect(around.locator('[data-testid="around-event"][data-position="2499"]')).toHaveAttribute('data-state', 'target');
  await expect(around.locator('[data-testid="around-event"][data-position="2500"]')).toHaveAttribute('data-state', 'lost');
  await expect(target.getByTestId('timeline-target')).toContainText('target #2,499');
  // Typing a position moves the target too.
  await target.getByTestId('target-position').fill('3100');
  await target.getByTestId('target-apply').click();
  await expect(target.getByTestId('plan')).toHaveAttribute('data-position', '3100');
  await expect(target.getByTestId('plan-link')).toHaveCount(2);

  // And a time (the browser runs in UTC here): the last event recorded at or before it (the demo's first batch
  // is in time order; a later batch carries earlier times, so a time there would stop in the first).
  const api = new ServeApi(server);
  let recordedAt: string;
  try {
    recordedAt = (await api.call<{ event: { recordedAt: string } }>('events.get', { position: 2000 })).event.recordedAt;
  } finally {
    api.close();
  }
  await target.getByTestId('target-mode-time').click();
  await target.getByTestId('target-time').fill(recordedAt.slice(0, 23));
  await target.getByTestId('target-apply').click();
  await expect(around).toHaveAttribute('data-position', '2000');
  await expect(around.locator('[data-testid="around-event"][data-position="2001"]')).toHaveAttribute('data-state', 'lost');
  await expect(step(page, 'target')).toContainText('time');
  await expect(target.getByTestId('plan')).toContainText('the last event recorded at or before the time');
});

test('a wrong passphrase is refused at validation with DECRYPTION_FAILED, and nothing is restored', async ({ serveFresh, openConsole }) => {
  test.setTimeout(120_000);
  const server = await serveFresh();
  await storeWithBackups(server, { kind: 'age-passphrase', passphrase: 'correct horse battery' });
  // The log as it is (the audit log and settings beside it may grow: refusals are audited).
  const log = () => {
    const { events, headPosition, headHash } = storeStats(server.store);
    return { events, headPosition, headHash };
  };
  const before = log();

  const page = await openConsole(server, '#/recovery');
  const source = page.getByTestId('step-source');
  await expect(source.getByTestId('source-found')).toContainText('2 archives');
  await expect(source.getByTestId('recovery-key')).toBeVisible();
  await source.getByTestId('recovery-key').fill('not the passphrase');
  await source.getByTestId('source-next').click();
  await page.getByTestId('step-target').getByTestId('target-next').click();

  const validation = page.getByTestId('validation-result');
  await expect(validation).toHaveAttribute('data-ok', 'false', { timeout: 60_000 });
  await expect(validation.locator('[data-testid="validation-archive"]').first()).toHaveAttribute('data-codes', /DECRYPTION_FAILED/);
  await expect(validation).toContainText('DECRYPTION_FAILED');
  await expect(validation).toContainText('nothing was restored');
  await expect(step(page, 'validate')).toHaveAttribute('data-state', 'failed');
  await expect(step(page, 'dry-run')).toHaveAttribute('data-state', 'locked');
  await expect(page.getByTestId('validate-next')).toHaveCount(0);
  expect(log()).toEqual(before);

  // The right key: validation passes, and the earlier result no longer counts.
  await page.getByTestId('validate-back').click();
  await page.getByTestId('step-source').getByTestId('recovery-key').fill('correct horse battery');
  await expect(step(page, 'validate')).toHaveAttribute('data-state', 'stale');
  await page.getByTestId('source-next').click();
  await page.getByTestId('step-target').getByTestId('target-next').click();
  await expect(page.getByTestId('validation-result')).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  expect(log()).toEqual(before);
  await page.getByTestId('recovery-tab-set-aside').click();
  await expect(page.getByTestId('set-aside-stores')).toContainText('No stores set aside');
});

test('drills: a policy with targets, runs with progress, the history and RTO/RPO against the targets; Overview shows the last drill', async ({ serveFresh, openConsole }) => {
  test.setTimeout(150_000);
  const server = await serveFresh();
  const { folder } = await storeWithBackups(server);
  const page = await openConsole(server, '#/recovery?tab=drills');

  await expect(page.getByTestId('drill-panel')).toContainText('No drill policy yet');
  await expect(page.getByTestId('run-drill')).toBeDisabled();
  await page.getByTestId('edit-drill-policy').click();
  const editor = page.getByTestId('drill-policy-editor');
  await editor.getByTestId('cron-input').fill('0 3 * * 0');
  await editor.getByTestId('drill-timezone').fill('UTC');
  await expect(editor.getByTestId('cron-next-runs').locator('li')).toHaveCount(5);
  await editor.getByTestId('drill-backups-dir').fill(folder);
  await editor.getByTestId('drill-max-age').fill('192');
  await editor.getByTestId('drill-rto-target').fill('5');
  await editor.getByTestId('drill-rpo-target').fill('60');
  await editor.getByTestId('drill-policy-save').click();
  await expect(editor).toBeHidden();
  await expect(page.getByTestId('drill-status')).toContainText(folder);
  await expect(page.getByTestId('drill-next')).not.toContainText('none scheduled');

  for (let run = 1; run <= 2; run++) {
    await page.getByTestId('run-drill').click();
    await expect(page.getByTestId('drill-job').getByRole('progressbar')).toBeVisible();
    await expect(page.getByTestId('drill-result')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('drill-history').locator('tbody tr[data-outcome="succeeded"]')).toHaveCount(run, { timeout: 60_000 });
  }
  // The drill's own report, folded under its progress.
  await page.getByTestId('drill-result').locator('summary').click();
  await expect(page.getByTestId('drill-result').getByTestId('report-rto')).toBeVisible();
  await expect(page.getByTestId('drill-result').getByTestId('recovery-report')).toContainText('target 5 min: met');
  await page.getByTestId('drill-result').locator('summary').click();
  await expect(page.getByTestId('drill-rto-chart').locator('.recharts-symbols')).toHaveCount(2);
  await expect(page.getByTestId('drill-rto-chart').locator('.recharts-reference-line')).toHaveCount(1);
  await expect(page.getByTestId('drill-rpo-chart').locator('.recharts-reference-line')).toHaveCount(1);
  await expect(page.getByTestId('drill-warning')).toHaveCount(0);
  await page.mouse.move(0, 0);
  await page.locator('.shell__main').evaluate((main) => main.scrollTo(0, 0));
  await saveScreenshot(page, 'recovery-drills');

  // Overview's card: the last drill with its RTO and RPO against the targets.
  await page.getByTestId('nav-overview').click();
  const card = page.getByTestId('overview-drill-card');
  await expect(card.getByTestId('overview-drill-state')).toHaveAttribute('data-code', 'succeeded');
  await expect(card).toContainText('target 5 min: met');
  await expect(page.getByTestId('nav-badge-recovery')).toHaveCount(0);
});
