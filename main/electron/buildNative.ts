import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { rebuild } from '@electron/rebuild';
import { PACKAGE_ROOT } from '../platform/index.js';

// `npm run build:electron-native`: builds better-sqlite3 against Electron's ABI into
// dist/native/electron/better_sqlite3.node, leaving node_modules' Node build untouched (tests and the
// CLI need that one). Electron's main process passes the result to better-sqlite3 as `nativeBinding`.
// Needs Electron's headers from electronjs.org on first run. npm's `nodedir` setting is cleared:
// with it set, node-gyp silently builds against Node's headers instead (TOOLCHAIN.md).

const electronVersion = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const work = join(PACKAGE_ROOT, 'dist', 'native', 'electron-build');
const out = join(PACKAGE_ROOT, 'dist', 'native', 'electron');

rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'node_modules'), { recursive: true });
cpSync(join(PACKAGE_ROOT, 'node_modules', 'better-sqlite3'), join(work, 'node_modules', 'better-sqlite3'), { recursive: true });
rmSync(join(work, 'node_modules', 'better-sqlite3', 'build'), { recursive: true, force: true });
cpSync(join(PACKAGE_ROOT, 'package.json'), join(work, 'package.json'));
delete process.env.npm_config_nodedir;
delete process.env.NPM_CONFIG_NODEDIR;
process.env.npm_config_nodedir = '';

try {
  await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
  const built = join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) throw new Error(`the build did not produce ${built}`);
  mkdirSync(out, { recursive: true });
  copyFileSync(built, join(out, 'better_sqlite3.node'));
  process.stdout.write(`built better-sqlite3 for Electron ${electronVersion}: ${join(out, 'better_sqlite3.node')}\n`);
} catch (error) {
  process.stderr.write(`could not build better-sqlite3 for Electron ${electronVersion}: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
