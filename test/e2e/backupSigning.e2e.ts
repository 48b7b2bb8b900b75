import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ServeApi } from './support/apiClient.js';
import { expect, saveScreenshot, test } from './support/fixtures.js';
import { cliAsync } from './support/serve.js';

/**
 * Issue 9 class 11 on the Backups page: each archive's signature in the catalog, against the store's trusted
 * key, which an admin sets by pasting a public key and clears.
 */
test('the catalog shows who signed each archive; an admin sets and clears the trusted key', async ({ serveFresh, openConsole }) => {
  test.setTimeout(120_000);
  const server = await serveFresh();
  const root = dirname(server.store);
  const folder = join(root, 'backups');
  const api = new ServeApi(server);
  const keys = async (name: string) => JSON.parse(await cliAsync(['backup', 'keygen', '--out', join(root, name), '--json'])) as { publicKeyFile: string; privateKeyFile: string; keyId: string };
  const a = await keys('keys-a');
  const b = await keys('keys-b');
  const append = (n: number) => api.call('events.append', { streamId: `order-${n}`, events: [{ type: 'OrderPlaced', data: { n } }] });
  const backup = async (...args: string[]) => JSON.parse(await cliAsync(['backup', 'create', server.store, '--out', folder, '--json', ...args])) as { archive: string };
  try {
    await append(1);
    const full = await backup('--sign-key', a.privateKeyFile);
    await append(2);
    const byB = await backup('--incremental', '--sign-key', b.privateKeyFile);
    await append(3);
    const unsigned = await backup('--incremental');
    await api.call('backup.addFolder', { dir: folder });

    const page = await openConsole(server, '#/backups');
    const row = (archive: string) => page.locator(`[data-archive="${archive.split('/').pop()}"]`);
    const panel = page.getByTestId('trusted-key');
    await expect(panel).toContainText('none');
    // No trusted key: signed is only "signed", nothing tells which key is the right one.
    await expect(row(full.archive)).toHaveAttribute('data-signature', 'signed');
    await expect(row(byB.archive)).toHaveAttribute('data-signature', 'signed');
    await expect(row(unsigned.archive)).toHaveAttribute('data-signature', 'unsigned');

    // Not a key: refused, with the contract's code, and nothing changes.
    await panel.getByTestId('trusted-key-set').click();
    await panel.getByTestId('trusted-key-pem').fill('-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----');
    await panel.getByTestId('trusted-key-save').click();
    await expect(panel.locator('.error-panel')).toContainText('INVALID_INPUT');
    await expect(panel).toHaveAttribute('data-key-id', '');

    await panel.getByTestId('trusted-key-pem').fill(readFileSync(a.publicKeyFile, 'utf8'));
    await panel.getByTestId('trusted-key-save').click();
    await expect(panel).toHaveAttribute('data-key-id', a.keyId);
    await expect(row(full.archive)).toHaveAttribute('data-signature', 'trusted');
    await expect(row(byB.archive)).toHaveAttribute('data-signature', 'other-key');
    await expect(row(unsigned.archive)).toHaveAttribute('data-signature', 'unsigned');
    await expect(row(byB.archive).locator('[data-signature]')).toHaveText('Other key');
    await saveScreenshot(page, 'backups-signatures');

    await panel.getByTestId('trusted-key-clear').click();
    await expect(panel).toHaveAttribute('data-key-id', '');
    await expect(row(full.archive)).toHaveAttribute('data-signature', 'signed');
  } finally {
    api.close();
  }
});
