import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, format, saveScreenshot, storeStats, test } from './support/fixtures.js';
import { cli, tempStorePath } from './support/serve.js';

/** `count` new events as an NDJSON file to import. */
function ndjsonFile(dir: string, name: string, count: number): string {
  const file = join(dir, name);
  writeFileSync(file, Array.from({ length: count }, (_, i) => JSON.stringify({ streamId: `order-${i % 3}`, type: 'OrderPlaced', data: { n: i } })).join('\n') + '\n');
  return file;
}

/**
 * A store whose log lost its last 15 events: events.db put back from a copy of when it had 25, head.json
 * (rewritten after every commit) left recording 40, as a lost WAL or a file restored by hand leaves it.
 */
function storeThatLostEvents(): { readonly dir: string; readonly store: string } {
  const { dir, store } = tempStorePath('lossy-store');
  cli(['init', store, '--json']);
  cli(['import', store, ndjsonFile(dir, 'first.ndjson', 25), '--json']);
  const copy = join(dir, 'copy-at-25');
  mkdirSync(copy);
  for (const name of ['events.db', 'events.db-wal']) if (existsSync(join(store, name))) copyFileSync(join(store, name), join(copy, name));
  cli(['import', store, ndjsonFile(dir, 'second.ndjson', 15), '--json']);
  for (const name of ['events.db', 'events.db-wal', 'events.db-shm']) rmSync(join(store, name), { force: true });
  for (const name of ['events.db', 'events.db-wal']) if (existsSync(join(copy, name))) copyFileSync(join(copy, name), join(store, name));
  return { dir, store };
}

test('a store that lost events: Overview says writes are refused, and acknowledging it by typing the name clears it into the loss history', async ({ serveFresh, openConsole }) => {
  const { dir, store } = storeThatLostEvents();
  const server = await serveFresh({ store });
  try {
    const page = await openConsole(server, '#/overview');
    const alert = page.getByTestId('open-problems');
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('This store lost events: writes are refused');
    await expect(alert).toContainText('HEAD_REGRESSION');
    await expect(alert).toContainText('events 26–40 are missing');
    await expect(page.getByTestId('loss-restore')).toHaveAttribute('href', '#/recovery');
    const record = page.getByTestId('loss-record');
    await expect(record).toHaveCount(1);
    await expect(record).toHaveAttribute('data-state', 'open');
    await expect(record).toContainText('#26–40 missing');
    await expect(record).toContainText('head.json recorded #40, the log had #25');
    await saveScreenshot(page, 'overview-loss');

    await page.getByTestId('loss-acknowledge').click();
    const confirm = page.getByTestId('confirm-acknowledge-loss');
    await expect(confirm).toContainText('writes resume after position 25');
    const button = confirm.getByRole('button', { name: 'Acknowledge the loss' });
    const input = confirm.getByRole('textbox');
    await input.fill('lossy');
    await expect(button).toBeDisabled();
    await input.fill(basename(store));
    await expect(button).toBeEnabled();
    await saveScreenshot(page, 'overview-loss-confirm');
    await button.click();

    await expect(alert).toBeHidden();
    await expect(page.getByTestId('loss-acknowledged')).toHaveText('Acknowledged 1 loss: writes resume after position 25.');
    await expect(record).toHaveAttribute('data-state', 'acknowledged');
    await expect(record).toContainText(/Acknowledged by \S+/);
    await saveScreenshot(page, 'overview-loss-acknowledged');

    // Writes resume, from another process too; the store's head goes on from the log as it is.
    cli(['append', store, '--stream', 'order-9', '--type', 'OrderPlaced', '--data', '{"n":99}', '--json']);
    expect(storeStats(store).headPosition).toBe(26);
    await page.reload();
    await expect(page.getByTestId('metric-events')).toHaveText(format(26));
    await expect(page.getByTestId('open-problems')).toHaveCount(0);
    await expect(page.getByTestId('loss-record')).toHaveAttribute('data-state', 'acknowledged');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
