/** The console's main-process state: the open store and what runs beside it, shared by every transport. */
export { ConsoleHost } from './consoleHost.js';
export { SCHEDULER_PRINCIPAL, type DesktopServices, type FrontDoor, type HostOptions } from './hostOptions.js';
export { type DownloadRegistry } from './downloads.js';
export { RecentStores } from './recentStores.js';
export { startedWithoutStoreLine } from './unopenedStore.js';
