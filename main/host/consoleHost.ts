import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConsoleError } from '../../shared/errors.js';
import type { Principal, Transport } from '../../shared/security.js';
import type { SessionInfo } from '../../shared/api/types.js';
import { schedulerForStore, type BackupScheduler } from '../backup/index.js';
import { JobManager } from '../jobs/jobManager.js';
import { DownloadRegistry } from './downloads.js';
import { AuditLog, type AuditEntry } from '../security/auditLog.js';
import { EVENTS_DB, EventStore } from '../store/eventStore.js';
import { LiveFeed } from '../store/liveFeed.js';
import { TOOL_VERSION } from '../util/packageInfo.js';
import { ConsoleViews } from '../views/consoleViews.js';
import type { RecentStores } from './recentStores.js';

/** What only the desktop app can do: dialogs, a recent-stores list, reloading its windows. */
export interface DesktopServices {
  chooseFolder(purpose: 'open' | 'create' | 'export'): Promise<string | undefined>;
  readonly recent: RecentStores;
  /** After the open store changed: reload windows so every view starts from the new store. */
  storeSwitched(): void;
}

export interface HostOptions {
  readonly storePath: string;
  readonly transport: Transport;
  /** Create the store when the folder has none (the default store on first start). */
  readonly createIfMissing?: boolean;
  readonly clock?: () => number;
  readonly nativeBinding?: string;
  readonly desktop?: DesktopServices;
  /** How often other processes' appends are looked for. */
  readonly pollMs?: number;
}

/** The open store and what lives beside it: all the API handlers see. */
interface Opened {
  readonly store: EventStore;
  readonly feed: LiveFeed;
  readonly views: ConsoleViews;
  readonly audit: AuditLog;
  readonly scheduler: BackupScheduler;
  readonly stopWatching: () => void;
}

const BACKUP_FOLDERS_SETTING = 'backupFolders';
/** An archive changed in place (damage) does not touch its folder's mtime: catalogs are reread this often anyway. */
const CATALOG_TTL_MS = 30_000;

/**
 * The console's main-process state: the open store with its live feed, read models, audit log, and the
 * jobs list. Both transports (Electron IPC, serve-mode WebSocket) share one host and one pipeline.
 */
export class ConsoleHost {
  readonly jobs: JobManager;
  readonly clock: () => number;
  readonly transport: Transport;
  readonly desktop: DesktopServices | undefined;
  readonly nativeBinding: string | undefined;
  readonly downloads: DownloadRegistry;
  private opened: Opened;
  private readonly catalogs = new Map<string, { mtimeMs: number; at: number; value: unknown }>();
  private readonly pollMs: number | undefined;

  constructor(options: HostOptions) {
    this.clock = options.clock ?? Date.now;
    this.transport = options.transport;
    this.desktop = options.desktop;
    this.nativeBinding = options.nativeBinding;
    this.pollMs = options.pollMs;
    this.jobs = new JobManager(this.clock);
    this.downloads = new DownloadRegistry(this.clock);
    this.opened = this.openStore(options.storePath, options.createIfMissing ?? false);
  }

  get store(): EventStore {
    return this.opened.store;
  }

  get feed(): LiveFeed {
    return this.opened.feed;
  }

  get views(): ConsoleViews {
    return this.opened.views;
  }

  get scheduler(): BackupScheduler {
    return this.opened.scheduler;
  }

  /** Folders whose archives the catalog lists: every schedule's destination and those added by hand. */
  backupFolders(): string[] {
    const row = this.store.db.prepare('SELECT value FROM settings WHERE key = ?').get(BACKUP_FOLDERS_SETTING) as { value: string } | undefined;
    const added = row === undefined ? [] : (JSON.parse(row.value) as string[]);
    return [...new Set([...this.scheduler.listSchedules().map((s) => s.destination), ...added])];
  }

  /**
   * A folder's catalog, reread when the folder changed (its mtime: archives and verification records are
   * written by rename) or after CATALOG_TTL_MS, so Overview's refreshes do not reread every sidecar.
   */
  async catalogOf<T>(dir: string, read: () => Promise<T>): Promise<T> {
    let mtimeMs = -1;
    try {
      mtimeMs = statSync(dir).mtimeMs;
    } catch {
      /* read() reports it */
    }
    const cached = this.catalogs.get(dir) as { mtimeMs: number; at: number; value: T } | undefined;
    if (cached !== undefined && cached.mtimeMs === mtimeMs && this.clock() - cached.at < CATALOG_TTL_MS) return cached.value;
    const value = await read();
    this.catalogs.set(dir, { mtimeMs, at: this.clock(), value });
    return value;
  }

  /** Drops cached catalogs (all, or one folder's) after this process changed them. */
  forgetCatalog(dir?: string): void {
    if (dir === undefined) this.catalogs.clear();
    else this.catalogs.delete(dir);
  }

  addBackupFolder(dir: string): void {
    const folders = new Set(this.backupFolders());
    if (folders.has(dir)) return;
    const row = this.store.db.prepare('SELECT value FROM settings WHERE key = ?').get(BACKUP_FOLDERS_SETTING) as { value: string } | undefined;
    const added = row === undefined ? [] : (JSON.parse(row.value) as string[]);
    this.store
      .writerDb()
      .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
      .run(BACKUP_FOLDERS_SETTING, JSON.stringify([...added, dir]), this.clock());
  }

  audit(entry: AuditEntry): void {
    try {
      this.opened.audit.record(entry);
    } catch (error) {
      // The audit log must not turn a finished action into a failed one; the failure itself is reported.
      process.stderr.write(`audit log write failed for ${entry.action}: ${(error as Error).message}\n`);
    }
  }

  session(principal: Principal): SessionInfo {
    return {
      principal,
      storePath: this.store.dir,
      storeName: basename(this.store.dir),
      toolVersion: TOOL_VERSION,
      canSwitchStores: this.desktop !== undefined,
    };
  }

  /** Opens another store in place of the current one (desktop only). */
  async switchStore(path: string, create: boolean): Promise<void> {
    if (this.jobs.running().length > 0) throw new ConsoleError('BUSY', 'jobs are still running on the open store: wait for them or cancel them first');
    if (!create && !existsSync(join(path, EVENTS_DB))) throw new ConsoleError('NOT_FOUND', `${path} is not a store (no ${EVENTS_DB})`);
    const next = this.openStore(path, create);
    const previous = this.opened;
    this.opened = next;
    await this.closeOpened(previous);
    this.desktop?.recent.touch(next.store.dir);
    this.desktop?.storeSwitched();
  }

  async close(): Promise<void> {
    this.jobs.cancelAll();
    await this.closeOpened(this.opened);
  }

  private openStore(path: string, create: boolean): Opened {
    const store =
      create && !existsSync(join(path, EVENTS_DB))
        ? EventStore.create(path, { clock: this.clock, busyTimeoutMs: 20 })
        : EventStore.open(path, { clock: this.clock, busyTimeoutMs: 20 });
    try {
      const feed = new LiveFeed(store, this.pollMs === undefined ? {} : { pollMs: this.pollMs });
      const views = new ConsoleViews(store, { nativeBinding: this.nativeBinding });
      const stopWatching = feed.watchHead(() => views.catchUp());
      views.catchUp();
      const scheduler = schedulerForStore(store, { nativeBinding: this.nativeBinding });
      scheduler.start();
      return { store, feed, views, scheduler, audit: new AuditLog(store.writerDb(), this.clock), stopWatching };
    } catch (error) {
      store.close();
      throw error;
    }
  }

  private async closeOpened(opened: Opened): Promise<void> {
    await opened.scheduler.stop();
    opened.stopWatching();
    opened.feed.close();
    opened.views.close();
    opened.store.close();
  }
}
