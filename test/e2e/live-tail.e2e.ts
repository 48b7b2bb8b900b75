import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliAsync } from './support/serve.js';
import { expect, saveScreenshot, test } from './support/fixtures.js';

async function appendByCli(store: string, streamId: string, type: string, data: Record<string, unknown>): Promise<number> {
  const out = await cliAsync(['append', store, '--stream', streamId, '--type', type, '--data', JSON.stringify(data), '--json']);
  return (JSON.parse(out) as { globalPosition: number }).globalPosition;
}

test('the live tail shows an event appended by another process within 1 s', async ({ demo, openConsole }) => {
  const page = await openConsole(demo, '#/streams');
  // Once the console knows the head, a tail opened now misses nothing appended after it.
  await expect(page.getByTestId('status-head')).toHaveText(/^[\d,]+$/);
  await page.getByTestId('tab-live').click();
  const tail = page.getByTestId('live-rows');
  await expect(page.getByTestId('live-status')).toContainText('Following');

  const stream = `probe-${randomUUID().slice(0, 8)}`;
  const position = await appendByCli(demo.store, stream, 'ProbeAppended', { n: 1 });
  const appendedAt = Date.now();
  await expect(tail.locator(`[data-position="${position}"]`)).toBeVisible({ timeout: 1000 });
  expect(Date.now() - appendedAt).toBeLessThan(1000);
  await expect(tail.locator(`[data-position="${position}"]`)).toContainText(stream);

  // Paused: new events wait (counted), the view stays still; resume shows them.
  await page.getByTestId('live-pause').click();
  await expect(page.getByTestId('live-status')).toContainText('Paused');
  const whilePaused = await appendByCli(demo.store, stream, 'ProbeAppended', { n: 2 });
  await expect(page.getByTestId('live-waiting')).toContainText('1 new while paused');
  await expect(tail.locator(`[data-position="${whilePaused}"]`)).toHaveCount(0);
  await page.getByTestId('live-pause').click();
  await expect(tail.locator(`[data-position="${whilePaused}"]`)).toBeVisible();

  // Filter by stream prefix: only matching streams come through.
  await page.getByRole('searchbox', { name: 'Only streams starting with' }).fill('filtered-');
  await expect(tail.locator('[data-position]')).toHaveCount(0); // a new tail for the new filter
  const other = await appendByCli(demo.store, stream, 'ProbeAppended', { n: 3 });
  const matching = await appendByCli(demo.store, `filtered-${stream}`, 'ProbeAppended', { n: 4 });
  await expect(tail.locator(`[data-position="${matching}"]`)).toBeVisible();
  await expect(tail.locator(`[data-position="${other}"]`)).toHaveCount(0);

  // Filter by type too, from the store's event types: other types of the same streams stay out.
  await page.getByText('Type: All types').click();
  await page.getByRole('checkbox', { name: /ProbeAppended/ }).check();
  await page.getByText('Type: ProbeAppended').click();
  await expect(tail.locator('[data-position]')).toHaveCount(0); // a new tail for the new filter
  const otherType = await appendByCli(demo.store, `filtered-${stream}`, 'ProbeIgnored', { n: 5 });
  const probe = await appendByCli(demo.store, `filtered-${stream}`, 'ProbeAppended', { n: 6 });
  await expect(tail.locator(`[data-position="${probe}"]`)).toBeVisible();
  await expect(tail.locator(`[data-position="${otherType}"]`)).toHaveCount(0);
});

test('the live tail keeps up with a burst of imported events', async ({ demo, openConsole }, testInfo) => {
  const page = await openConsole(demo, '#/streams');
  await expect(page.getByTestId('status-head')).toHaveText(/^[\d,]+$/);
  await page.getByTestId('tab-live').click();
  await expect(page.getByTestId('live-status')).toContainText('Following');
  // Realistic traffic for the screenshot: a few hundred order events imported by the CLI.
  const lines: string[] = [];
  const correlations = new Map<number, string>();
  for (let i = 0; i < 400; i++) {
    const order = 300000 + Math.floor(i / 4);
    const correlationId = correlations.get(order) ?? randomUUID();
    correlations.set(order, correlationId);
    const types = ['OrderPlaced', 'OrderItemAdded', 'OrderItemAdded', 'OrderConfirmed'] as const;
    lines.push(
      JSON.stringify({
        streamId: `order-${order}`,
        type: types[i % 4],
        data: { orderId: String(order), ...(i % 4 === 1 || i % 4 === 2 ? { sku: `KB-${100 + (i % 7)}`, quantity: 1 + (i % 3), price: 19.99 + i } : {}) },
        metadata: { correlationId, actor: `customer-${i % 50}` },
      }),
    );
  }
  mkdirSync(testInfo.outputDir, { recursive: true });
  const file = join(testInfo.outputDir, 'burst.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const imported = JSON.parse(await cliAsync(['import', demo.store, file, '--json'])) as { imported: number; headPosition: number };
  expect(imported.imported).toBe(400);
  await expect(page.getByTestId('live-rows').locator(`[data-position="${imported.headPosition}"]`)).toBeVisible();
  await expect(page.getByTestId('live-status')).toContainText('400 received');
  await saveScreenshot(page, 'live-tail');
});
