import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, normalize, sep } from 'node:path';
import type { Principal } from '../../shared/security.js';
import { ApiPipeline, loadAllHandlers } from '../api/index.js';
import { ConsoleHost } from '../host/index.js';
import { RecentStores } from '../host/index.js';
import { startedWithoutStoreLine } from '../host/index.js';
import { contentSecurityPolicy, contentTypeFor, setDefaultNativeBinding } from '../platform/index.js';
import { PACKAGE_ROOT } from '../platform/index.js';
import { defaultStoreDir, PRODUCT_NAME } from '../platform/index.js';
import { registerIpcTransport } from './ipcTransport.js';
import { installMenu } from './menu.js';
import { APP_SCHEME } from './security.js';
import { createConsoleWindow } from './window.js';

// The Electron shell stays thin: it opens a window, binds IPC to the pipeline, and offers dialogs.
// Everything else is the same code serve mode and the CLI run under plain Node.

app.setName(PRODUCT_NAME);
// Tests and portable setups point the user-data folder elsewhere; serve mode and the CLI honour the same variable.
if (process.env.PCONSOLE_USER_DATA) app.setPath('userData', process.env.PCONSOLE_USER_DATA);
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const RENDERER_DIR = join(PACKAGE_ROOT, 'dist', 'renderer');
/**
 * better-sqlite3 must be built for Electron's ABI. A packaged app gets it from electron-builder's
 * rebuild; in development `npm run build:electron-native` builds a separate copy into dist/native/electron
 * so node_modules keeps the Node build that tests and the CLI use.
 */
function electronNativeBinding(): string | undefined {
  if (app.isPackaged) return undefined;
  const path = join(PACKAGE_ROOT, 'dist', 'native', 'electron', 'better_sqlite3.node');
  if (!existsSync(path)) {
    dialog.showErrorBox('SQLite addon missing', `The Electron build of better-sqlite3 is missing (${path}).\nRun: npm run build:electron-native`);
    app.exit(1);
  }
  return path;
}

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(RENDERER_DIR, relative));
    if (url.host !== 'console' || !file.startsWith(RENDERER_DIR + sep)) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        // The same types and CSP as serve mode; the page connects to nothing (it talks over IPC only).
        headers: { 'Content-Type': contentTypeFor(file), 'Content-Security-Policy': contentSecurityPolicy(), 'X-Content-Type-Options': 'nosniff' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const nativeBinding = electronNativeBinding();
  setDefaultNativeBinding(nativeBinding);
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  serveRenderer();

  const recent = new RecentStores(join(app.getPath('userData'), 'recent-stores.json'));
  const storePath = recent.list().find((r) => r.exists)?.path ?? defaultStoreDir({ PCONSOLE_USER_DATA: app.getPath('userData') });
  const host = new ConsoleHost({
    storePath,
    transport: 'electron',
    createIfMissing: true,
    nativeBinding,
    desktop: {
      recent,
      chooseFolder: async (purpose) => {
        const options = {
          title: purpose === 'open' ? 'Open a store folder' : purpose === 'create' ? 'Choose an empty folder for the new store' : 'Choose a folder to export the archives to',
          properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'>,
        };
        const parent = BrowserWindow.getFocusedWindow();
        const result = parent === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(parent, options);
        return result.canceled ? undefined : result.filePaths[0];
      },
      storeSwitched: () => {
        for (const w of BrowserWindow.getAllWindows()) w.webContents.reload();
      },
    },
  });
  const problem = host.storeProblem;
  // The window opens anyway: the renderer leads the admin to the Recovery page (session.info's storeProblem).
  if (problem !== undefined) process.stderr.write(startedWithoutStoreLine(host.storePath, problem));
  recent.touch(host.storePath);
  // The desktop user owns their stores: the local principal is an admin.
  const principal: Principal = { name: userInfo().username, role: 'admin', transport: 'electron' };
  const pipeline = new ApiPipeline(host);
  await loadAllHandlers();
  const unregister = registerIpcTransport(ipcMain, pipeline, principal);
  installMenu(host, pipeline, principal);
  const window = createConsoleWindow();

  app.on('second-instance', () => {
    if (!window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    // Closing waits for a running backup to be cancelled and recorded, then quits for real.
    event.preventDefault();
    unregister();
    void host.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
}

start().catch((error: unknown) => {
  dialog.showErrorBox('Persistence Console could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
});
