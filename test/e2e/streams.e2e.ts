import { cli } from './support/serve.js';
import { expect, format, saveScreenshot, storeStats, test } from './support/fixtures.js';

interface CliEvent {
  readonly globalPosition: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly hash: string;
}

function readEvents(store: string, args: readonly string[]): CliEvent[] {
  return cli(['read', store, ...args])
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as CliEvent);
}

test('stream search: `/` focuses it, it matches any part of the id, arrows and Enter open a stream', async ({ demo, openConsole }) => {
  const page = await openConsole(demo, '#/streams');
  const list = page.getByTestId('stream-list');
  await expect(list.locator('[data-stream-id]').first()).toBeVisible();
  await expect(page.getByTestId('stream-list-foot')).toContainText(`of ${format(storeStats(demo.store).streams)} streams`);

  await page.locator('body').press('/');
  const search = page.getByRole('searchbox', { name: 'Search streams by any part of their id' });
  await expect(search).toBeFocused();
  await search.fill('payment-10002');
  await expect(page.getByTestId('stream-list-foot')).toContainText('contain “payment-10002”');
  const ids = await list.locator('[data-stream-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-stream-id') ?? ''));
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) expect(id).toContain('payment-10002');

  // A substring from the middle of the id also matches.
  await search.fill('ipment-1000');
  await expect(page.getByTestId('stream-list-foot')).toContainText('contain “ipment-1000”');
  await expect(list.locator('[data-stream-id]').first()).toHaveAttribute('data-stream-id', /^shipment-1000/);

  // Down from the search box into the list, down once more, Enter opens the second match.
  await search.press('ArrowDown');
  await expect(list).toBeFocused();
  await list.press('ArrowDown');
  await list.press('Enter');
  const second = await list.locator('[data-stream-id]').nth(1).getAttribute('data-stream-id');
  expect(second).not.toBeNull();
  await expect(page).toHaveURL(new RegExp(`#/streams/${encodeURIComponent(second!)}$`));
  const events = readEvents(demo.store, ['--stream', second!]);
  await expect(page.getByTestId('stream-head')).toContainText(`${format(events.length)} events`);
  // Row i of a stream is its version i.
  const firstRow = page.getByTestId('event-list').locator(`[data-position="${events[0]!.globalPosition}"]`);
  await expect(firstRow).toContainText(events[0]!.type);
  await saveScreenshot(page, 'streams');
});

test('the event list spans the whole log and fetches pages as it scrolls', async ({ demo, openConsole }) => {
  const page = await openConsole(demo, '#/streams');
  const list = page.getByTestId('event-list');
  await expect(list.locator('[data-position="1"]')).toBeVisible();
  const head = storeStats(demo.store).headPosition;
  // The scrollbar stands for every event: 26 px per row.
  const height = await list.evaluate((el) => el.scrollHeight);
  expect(height).toBeGreaterThanOrEqual(head * 26);

  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight / 2 }));
  const middle = Math.round(head / 2);
  await expect(list.locator('[data-position]').first()).toBeVisible();
  const positions = await list.locator('[data-position]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-position'))));
  expect(Math.min(...positions)).toBeGreaterThan(middle - 100);
  expect(Math.max(...positions)).toBeLessThan(middle + 100);

  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(list.locator(`[data-position="${head}"]`)).toBeVisible();

  // Newest first: row 0 is the head.
  await page.getByRole('button', { name: 'Newest first' }).click();
  await list.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(list.locator('[data-position]').first()).toHaveAttribute('data-position', String(head));
  await page.getByRole('button', { name: 'Oldest first' }).click();

  // Keyboard: Home goes to the first row, Enter opens it.
  await list.focus();
  await list.press('Home');
  await list.press('Enter');
  await expect(page).toHaveURL(/event=1$/);
  await expect(page.getByTestId('detail-position')).toHaveText('1');
});

test('event detail: JSON, hash, and correlation links that navigate', async ({ demo, openConsole }) => {
  const page = await openConsole(demo, '#/streams');
  await page.getByRole('textbox', { name: 'Go to position' }).fill('5');
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  const [expected] = readEvents(demo.store, ['--from', '5', '--limit', '1']);
  const detail = page.getByTestId('event-detail');
  await expect(detail.getByTestId('detail-position')).toHaveText('5');
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(expected!.type);
  await expect(detail.getByTestId('detail-stream')).toHaveText(expected!.streamId);
  await expect(detail.getByTestId('detail-hash').getByRole('button')).toHaveAttribute('data-value', expected!.hash);
  await expect(detail).toContainText(expected!.eventId);

  // Data and metadata as JSON, with search, fold all and unfold all.
  const data = detail.getByTestId('json-data');
  for (const key of Object.keys(expected!.data)) await expect(data).toContainText(`"${key}"`);
  await expect(data).toContainText(`"${String(expected!.data.orderId)}"`);
  const metadata = detail.getByTestId('json-metadata');
  await expect(metadata).toContainText(String(expected!.metadata.correlationId));
  await data.getByRole('searchbox').fill('orderid');
  await expect(data).toContainText('1 match');
  await expect(data.locator('mark')).toHaveText('orderId');
  await data.getByRole('searchbox').fill('');
  await data.getByRole('button', { name: 'Fold all', exact: true }).click();
  await expect(data).toContainText('keys');
  await data.getByRole('button', { name: 'Unfold all', exact: true }).click();
  await expect(data).toContainText('"orderId"');

  // Links to related events: the correlated ones share its correlation id; following one opens it.
  const correlated = detail.getByTestId('correlated-events').locator('a[data-position]');
  await expect(correlated.first()).toBeVisible();
  const target = Number(await correlated.first().getAttribute('data-position'));
  const [related] = readEvents(demo.store, ['--from', String(target), '--limit', '1']);
  expect(related!.metadata.correlationId).toBe(expected!.metadata.correlationId);
  await detail.getByRole('heading', { name: 'Metadata' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await saveScreenshot(page, 'event-detail');
  await correlated.first().click();
  await expect(page).toHaveURL(new RegExp(`event=${target}$`));
  await expect(detail.getByTestId('detail-position')).toHaveText(format(target));
  await expect(page.getByTestId('event-list').locator(`[data-position="${target}"]`)).toHaveClass(/event-row--selected/);

  // Its cause links back.
  if (typeof related!.metadata.causationId === 'string') {
    await expect(detail.getByTestId('related-events')).toContainText('Caused by');
  }

  // Esc closes the panel.
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await expect(page).toHaveURL(/#\/streams$/);
});
