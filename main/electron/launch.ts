import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../platform/index.js';

// `npm start`: open the desktop console, or say in one line why it cannot run here and what to use.
// Runs under plain Node, so it must not load Electron's modules.

const require = createRequire(import.meta.url);

function fail(reason: string): never {
  process.stderr.write(`Cannot open the desktop console: ${reason}. Use \`npm run serve\` to open the same console in a browser.\n`);
  process.exit(1);
}

function electronBinary(): string {
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    fail('the electron package is not installed (run npm install)');
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    // Electron 45 downloads its binary on first use; try once, briefly.
    const download = spawnSync(process.execPath, [join(packageDir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
    if (download.status !== 0 || !existsSync(pathFile)) fail("the Electron binary is not installed and could not be downloaded (no access to Electron's download server)");
  }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) fail(`the Electron binary is missing (${binary})`);
  return binary;
}

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) fail('there is no display (DISPLAY and WAYLAND_DISPLAY are unset)');
const binary = electronBinary();
if (!existsSync(join(PACKAGE_ROOT, 'dist', 'native', 'electron', 'better_sqlite3.node'))) {
  const build = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist', 'main', 'electron', 'buildNative.js')], { stdio: 'inherit' });
  if (build.status !== 0) fail('the Electron build of better-sqlite3 could not be made (see above)');
}
const child = spawn(binary, [PACKAGE_ROOT], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
