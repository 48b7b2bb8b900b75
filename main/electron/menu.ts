import { app, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import type { CallMethod } from '../../shared/api/client.js';
import type { InputOf } from '../../shared/api/contract.js';
import type { ApiPipeline } from '../api/index.js';
import type { Principal } from '../../shared/security.js';
import type { ConsoleHost } from '../host/index.js';
import { TOOL_VERSION } from '../platform/index.js';

/** The application menu; its store actions go through the same pipeline as the renderer's calls. */
export function installMenu(host: ConsoleHost, pipeline: ApiPipeline, principal: Principal): void {
  // Contract calls like any other, as the desktop user: a misspelt method or a wrong input does not compile.
  const run = <M extends CallMethod>(method: M, input: InputOf<M>) => {
    void pipeline.call(principal, method, input).then((result) => {
      if (!result.ok && result.error.code !== 'CANCELLED') dialog.showErrorBox(`${method} failed (${result.error.code})`, result.error.message);
      else installMenu(host, pipeline, principal);
    });
  };
  const recent = host.desktop?.recent.list() ?? [];
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'New Store…', accelerator: 'CmdOrCtrl+N', click: () => run('store.create', {}) },
        { label: 'Open Store…', accelerator: 'CmdOrCtrl+O', click: () => run('store.open', {}) },
        {
          label: 'Open Recent',
          submenu:
            recent.length === 0
              ? [{ label: 'No recent stores', enabled: false }]
              : recent.map((r) => ({ label: r.path, enabled: r.exists, click: () => run('store.open', { path: r.path }) })),
        },
        { type: 'separator' },
        { label: 'Load Demo Dataset', click: () => run('store.loadDemo', {}) },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Help',
      submenu: [
        {
          label: 'About Persistence Console',
          click: () =>
            void dialog.showMessageBox({
              type: 'info',
              title: 'Persistence Console',
              message: `Persistence Console ${TOOL_VERSION}`,
              detail: `Store: ${host.storePath}\nElectron ${process.versions.electron}, Node ${process.versions.node}, Chromium ${process.versions.chrome}`,
            }),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
