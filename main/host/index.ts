/** The console's main-process state: the open store and what runs beside it, shared by every transport. */
export { ConsoleHost } from './consoleHost.js';
export { type DownloadRegistry } from './downloads.js';
export { RecentStores } from './recentStores.js';
export { startedWithoutStoreLine } from './unopenedStore.js';
