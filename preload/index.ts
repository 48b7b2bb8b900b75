import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

// The renderer types `window.pconsole` as the shared ApiTransport that createBridge returns, rather than
// importing from here: that would pull Electron's and Node's types into the renderer's type-check.
contextBridge.exposeInMainWorld('pconsole', createBridge(ipcRenderer));
