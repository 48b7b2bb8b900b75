import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';

// The desktop app itself, where Electron's binary exists. Elsewhere (no binary download, no display)
// the test is skipped with the reason, and the same renderer is covered against serve mode.

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

function electronBinary(): { path?: string; reason?: string } {
  const packageDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { reason: 'the Electron binary is not installed (it downloads on first use, and this machine cannot reach its server)' };
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { reason: `the Electron binary is missing at ${binary}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'there is no display (run under xvfb-run)' };
  if (!existsSync(join(root, 'dist', 'native', 'electron', 'better_sqlite3.node'))) return { reason: 'better-sqlite3 is not built for Electron (npm run build:electron-native)' };
  return { path: binary };
}

test('the desktop window opens on the default store and shows Overview', async () => {
  const binary = electronBinary();
  test.skip(binary.path === undefined, binary.reason ?? '');
  const userData = mkdtempSync(join(tmpdir(), 'pconsole-electron-'));
  const app = await electron.launch({ executablePath: binary.path, args: [root], env: { ...process.env, PCONSOLE_USER_DATA: userData } });
  try {
    const window = await app.firstWindow();
    await expect(window).toHaveTitle(/Persistence Console/);
    await expect(window.getByRole('navigation')).toBeVisible();
    await expect(window.getByRole('heading', { name: 'Overview' })).toBeVisible();
    // The bridge exposes only the contract's two verbs; no Node in the page.
    const exposed = await window.evaluate(() => ({ keys: Object.keys((window as unknown as { pconsole: object }).pconsole).sort(), node: typeof (window as unknown as { process?: unknown }).process }));
    expect(exposed).toEqual({ keys: ['call', 'connectionState', 'onConnectionState', 'subscribe'], node: 'undefined' });
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});
