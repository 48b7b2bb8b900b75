import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { ServeApi } from './support/apiClient.js';
import { expect, saveScreenshot, test } from './support/fixtures.js';
import { cli, type ServedStore } from './support/serve.js';

/** Appends demo events through the API (orders, payments, shipments), as an application would. */
async function append(server: ServedStore, events: number): Promise<void> {
  const api = new ServeApi(server);
  try {
    await api.runJob('store.loadDemo', { events, streams: Math.max(1, Math.floor(events / 20)) });
  } finally {
    api.close();
  }
}

/** Flips one byte at `fraction` of a file's length, as a bad disk or a bad copy would. */
function flipByte(path: string, fraction: number): void {
  const bytes = readFileSync(path);
  bytes[Math.floor(bytes.length * fraction)]! ^= 0x20;
  writeFileSync(path, bytes);
}

const tab = (page: Page, id: string) => page.getByTestId(`backups-tab-${id}`).click();

test('schedule, run now with progress, verify, take incrementals, download one, and the RPO turns green', async ({ serveFresh, openConsole }) => {
  test.setTimeout(180_000);
  const server = await serveFresh();
  await append(server, 20_000);
  const folder = join(dirname(server.store), 'backups');
  const page = await openConsole(server, '#/backups');

  // Nothing yet: the page says what would fill it, and how.
  await expect(page.getByTestId('backups-empty')).toContainText('No backups yet — schedule one or run one now');
  await expect(page.getByTestId('status-backup')).toHaveAttribute('data-state', 'none');

  // Schedule: the editor reads the cron expression as it is typed, in words.
  await page.getByTestId('open-new-schedule').click();
  const editor = page.getByTestId('schedule-editor');
  await editor.getByTestId('schedule-name').fill('Nightly full');
  await editor.getByTestId('cron-input').fill('every night');
  await expect(editor.getByTestId('cron-error')).toBeVisible();
  await editor.getByTestId('cron-input').fill('30 2 * * *');
  await editor.getByTestId('schedule-timezone').fill('UTC');
  const runs = editor.getByTestId('cron-next-runs').locator('li');
  await expect(runs).toHaveCount(5);
  await expect(runs.first()).toContainText('02:30');
  await expect(editor.getByTestId('cron-description')).toContainText('Runs every day at 02:30');
  await editor.getByTestId('schedule-destination').fill(folder);
  await editor.getByTestId('schedule-window-on').check();
  await editor.getByTestId('schedule-window-start').fill('01:00');
  await editor.getByTestId('schedule-window-end').fill('05:00');
  await editor.getByTestId('schedule-keepLast').fill('14');
  await editor.getByTestId('schedule-rpo').fill('60');
  // The input is checked with the contract's schema before it is sent: the message stands beside its field.
  await editor.getByRole('radio', { name: 'age recipient' }).click();
  await editor.getByTestId('schedule-recipient').fill('age1nope');
  await editor.getByTestId('schedule-save').click();
  await expect(editor.locator('.field__error').first()).toContainText('an X25519 age recipient');
  await expect(page.getByTestId('schedule-issues')).toContainText('correct the fields marked above');
  await editor.getByRole('radio', { name: 'None' }).click();
  await expect(page.getByTestId('schedule-issues')).toBeHidden();
  await editor.getByTestId('schedule-save').click();
  const row = page.getByTestId('schedules-table').locator('[data-schedule="Nightly full"]');
  await expect(row).toBeVisible();
  await expect(row).toContainText('02:30');
  await expect(page.getByTestId('schedule-editor')).toContainText('Edit “Nightly full”');
  // A target and no verified backup: the RPO is breached, and the navigation says so.
  await expect(page.getByTestId('status-backup')).toHaveAttribute('data-state', 'red');
  await expect(page.getByTestId('nav-badge-backups')).toBeVisible();
  await saveScreenshot(page, 'backups-schedule');

  // Run now: a job with a visible progress bar; the schedule verifies what it wrote.
  await row.getByTestId('schedule-run-now').click();
  const runJob = page.getByTestId('schedule-run-job');
  await expect(runJob.getByRole('progressbar')).toBeVisible();
  await expect(runJob.getByTestId('job-progress')).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(runJob.getByTestId('schedule-run-outcome')).toContainText('Run succeeded');
  await expect(row).toContainText('succeeded');
  await expect(page.getByTestId('status-backup')).toHaveAttribute('data-state', 'green');
  await expect(page.getByTestId('nav-badge-backups')).toBeHidden();

  // The archive is in the catalog and on the timeline.
  await tab(page, 'catalog');
  const table = page.getByTestId('archive-table');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table.locator('tbody tr[data-kind="full"]')).toHaveAttribute('data-state', 'verified');
  await expect(page.getByTestId('timeline-link')).toHaveCount(1);

  // Verify it again from the catalog.
  await table.locator('tbody tr[data-kind="full"]').click();
  const detail = page.getByTestId('archive-detail');
  await detail.getByTestId('verify-start').click();
  await expect(detail.getByTestId('archive-verify-result')).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await expect(detail.getByTestId('archive-verify-result')).toContainText('20,000 events checked');
  await expect(detail.getByTestId('detail-state')).toHaveAttribute('data-state', 'verified');
  await detail.getByRole('button', { name: 'Close archive details' }).click();

  // Incrementals from "Run backup now": the form remembers the folder; each run shows its progress and result.
  await page.getByTestId('open-run-backup').click();
  const form = page.getByTestId('run-backup');
  await expect(form.getByTestId('run-destination')).toHaveValue(folder);
  for (const events of [4000, 2500]) {
    await append(server, events);
    await form.getByTestId('run-kind-incremental').click();
    await form.getByTestId('run-start').click();
    await expect(form.getByTestId('run-job').getByRole('progressbar')).toBeVisible();
    await expect(form.getByTestId('run-result')).toHaveAttribute('data-created', 'true', { timeout: 60_000 });
    await expect(form.getByTestId('run-result')).toContainText('-incr-');
  }
  // One more from the command line, as a cron job on the server would: listed, not verified yet.
  await append(server, 3000);
  cli(['backup', 'create', server.store, '--out', folder, '--incremental', '--json']);
  await form.getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('backups-refresh').click();
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expect(table.locator('tbody tr[data-kind="incremental"]')).toHaveCount(3);
  await expect(table.locator('tbody tr[data-state="verified"]')).toHaveCount(3);
  await expect(table.locator('tbody tr[data-state="unverified"]')).toHaveCount(1);
  await expect(page.getByTestId('timeline-link')).toHaveCount(4);
  await expect(page.getByTestId('timeline-chain')).toHaveAttribute('data-complete', 'true');
  await expect(page.getByTestId('timeline-gap')).toHaveCount(0);

  // The table moves with the keyboard: arrows select (and open) the next archive, Esc closes it.
  const rows = table.locator('tbody tr');
  await rows.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('archive-detail')).toHaveAttribute('data-archive', (await rows.nth(1).getAttribute('data-archive'))!);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('archive-detail')).toBeHidden();

  // Download one archive: the browser receives exactly the archive's bytes.
  const second = table.locator('tbody tr[data-kind="incremental"]').last();
  const name = await second.getAttribute('data-archive');
  await second.click();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('archive-detail').getByRole('button', { name: 'Download this archive' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(name);
  const received = readFileSync(await download.path());
  expect(received.equals(readFileSync(join(folder, name!)))).toBe(true);
  await expect(page.getByTestId('archive-detail').getByTestId('download-status')).toHaveAttribute('data-done', 'true');

  // The RPO is green wherever it is shown.
  await expect(page.getByTestId('backups-rpo')).toHaveAttribute('data-state', 'green');
  await expect(page.getByTestId('status-backup')).toHaveAttribute('data-state', 'green');
  await page.getByTestId('archive-detail').getByRole('button', { name: 'Close archive details' }).click();
  await page.mouse.move(0, 0);
  await page.locator('.shell__main').evaluate((main) => main.scrollTo(0, 0));
  await saveScreenshot(page, 'backups');

  // The run history has the scheduled run, the two taken from "Run backup now" and the one the CLI took: it
  // went through the same front door and is in the store's history as a manual run. Overview has the card.
  await tab(page, 'runs');
  const succeededRuns = page.getByTestId('runs-table').locator('tbody tr[data-outcome="succeeded"]');
  await expect(succeededRuns).toHaveCount(4);
  await expect(succeededRuns.filter({ hasText: 'Nightly full' })).toHaveCount(1);
  await page.getByTestId('nav-overview').click();
  await expect(page.getByTestId('overview-rpo')).toHaveAttribute('data-state', 'green');
  await expect(page.getByTestId('overview-backup-card')).toContainText('within the 60 min target');
});

test('a flipped byte fails verification with ARCHIVE_CORRUPT naming the member; an encrypted archive asks for its key', async ({ serveFresh, openConsole }) => {
  test.setTimeout(120_000);
  const server = await serveFresh();
  await append(server, 20_000);
  const root = dirname(server.store);
  const api = new ServeApi(server);
  let plain: string;
  let sealed: string;
  try {
    plain = ((await api.runJob('backup.create', { destination: join(root, 'plain'), kind: 'full', encryption: { kind: 'none' } })).result as { archive: string }).archive;
    sealed = ((await api.runJob('backup.create', { destination: join(root, 'sealed'), kind: 'full', encryption: { kind: 'age-passphrase', passphrase: 'correct horse battery' } })).result as { archive: string }).archive;
  } finally {
    api.close();
  }
  flipByte(plain, 0.5);

  const page = await openConsole(server, '#/backups');
  const plainRow = page.locator(`tr[data-archive="${basename(plain)}"]`);
  // The file changed after it was verified: the catalog no longer counts it as verified.
  await expect(plainRow).toHaveAttribute('data-state', 'stale');
  await plainRow.click();
  const detail = page.getByTestId('archive-detail');
  await detail.getByTestId('verify-start').click();
  const result = detail.getByTestId('archive-verify-result');
  await expect(result).toHaveAttribute('data-ok', 'false', { timeout: 60_000 });
  const problem = result.getByTestId('archive-problems').locator('tbody tr').first();
  await expect(problem).toHaveAttribute('data-code', 'ARCHIVE_CORRUPT');
  await expect(problem).toHaveAttribute('data-member', 'events.db');
  await expect(problem).toContainText('events.db');
  await expect(plainRow).toHaveAttribute('data-state', 'failed');
  await saveScreenshot(page, 'backups-corrupt');

  // An encrypted archive: the key is asked for; a wrong one is DECRYPTION_FAILED, the right one verifies.
  const sealedRow = page.locator(`tr[data-archive="${basename(sealed)}"]`);
  await sealedRow.click();
  await expect(detail).toHaveAttribute('data-archive', basename(sealed));
  await expect(detail.getByTestId('verify-start')).toBeDisabled();
  await detail.getByTestId('verify-key').fill('not the passphrase');
  await detail.getByTestId('verify-start').click();
  const wrongKey = detail.getByTestId('archive-verify-result');
  await expect(wrongKey).toHaveAttribute('data-ok', 'false', { timeout: 60_000 });
  await expect(wrongKey.getByTestId('archive-problems').locator('tbody tr').first()).toHaveAttribute('data-code', 'DECRYPTION_FAILED');
  await expect(detail.getByTestId('verify-key')).toHaveValue('');
  await detail.getByTestId('verify-key').fill('correct horse battery');
  await detail.getByTestId('verify-start').click();
  await expect(detail.getByTestId('archive-verify-result')).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await expect(sealedRow).toHaveAttribute('data-state', 'verified');
});

test('a missing incremental shows as a gap in its chain; retention previews, then prunes after the folder name is typed', async ({ serveFresh, openConsole }) => {
  test.setTimeout(120_000);
  const server = await serveFresh();
  const folder = join(dirname(server.store), 'backups');
  const api = new ServeApi(server);
  const backup = async (kind: 'full' | 'incremental') =>
    ((await api.runJob('backup.create', { destination: folder, kind, encryption: { kind: 'none' } })).result as { archive: string }).archive;
  const archives: string[] = [];
  try {
    for (const kind of ['full', 'incremental', 'incremental', 'full'] as const) {
      await api.runJob('store.loadDemo', { events: 1000, streams: 50 });
      archives.push(await backup(kind));
    }
  } finally {
    api.close();
  }
  // The first incremental is lost: its chain now has a hole from 1,001 to 2,000.
  for (const file of [archives[1]!, `${archives[1]!}.manifest.json`, `${archives[1]!}.verification.json`]) rmSync(file, { force: true });

  const page = await openConsole(server, '#/backups');
  const chains = page.getByTestId('timeline-chain');
  await expect(chains).toHaveCount(2);
  const broken = page.locator('[data-testid="timeline-chain"][data-complete="false"]');
  await expect(broken).toHaveCount(1);
  await expect(broken.getByTestId('timeline-gap')).toContainText('missing #1,001–2,000');
  await expect(broken).toContainText('INCOMPLETE');
  await expect(page.getByTestId('chain-row').first()).toContainText('restorable to #1,000');
  await saveScreenshot(page, 'backups-gap');
  // The same chains by time: the gap is still named.
  await page.getByRole('button', { name: 'By time' }).click();
  await expect(page.getByTestId('chain-timeline')).toHaveAttribute('data-axis', 'time');
  await expect(broken.getByTestId('timeline-gap')).toContainText('missing #1,001–2,000');

  // Retention: keep the newest archive only. The dry run lists what goes and why; nothing is deleted yet.
  await tab(page, 'retention');
  await page.getByTestId('retention-keepLast').fill('1');
  await page.getByTestId('retention-preview').click();
  const plan = page.getByTestId('retention-plan');
  await expect(plan.locator('tr[data-decision="prune"]')).toHaveCount(2);
  await expect(plan.locator('tr[data-decision="keep"]')).toHaveCount(1);
  await page.getByTestId('retention-apply').click();
  const confirm = page.getByTestId('confirm-prune');
  await expect(confirm.getByRole('button', { name: 'Prune archives' })).toBeDisabled();
  await confirm.getByRole('textbox').fill('backup');
  await expect(confirm.getByRole('button', { name: 'Prune archives' })).toBeDisabled();
  await confirm.getByRole('textbox').fill('backups');
  await confirm.getByRole('button', { name: 'Prune archives' }).click();
  await expect(page.getByTestId('retention-applied')).toContainText('Pruned 2 archives');
  await tab(page, 'catalog');
  await expect(page.getByTestId('archive-table').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('backups-count')).toContainText('1');
});
