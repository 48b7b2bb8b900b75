import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConsoleError, toErrorInfo } from '../../shared/errors.js';
import type { Principal, Transport } from '../../shared/security.js';
import type { SessionInfo } from '../../shared/api/types.js';
import { schedulerForStore, type BackupScheduler } from '../backup/index.js';
import { JobManager } from '../jobs/jobManager.js';
import { drillSchedulerForStore, type DrillScheduler } from '../recovery/index.js';
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
  readonly drills: DrillScheduler;
  readonly stopWatching: () => void;
}

/**
 * Something bound to the open store's objects (a live subscription): detached before the store closes and
 * attached again to the store opened in its place, so it outlives a restore or a switch.
 */
interface StoreFollower {
  readonly attach: (replaced: boolean) => () => void;
  detach: (() => void) | undefined;
}

const BACKUP_FOLDERS_SETTING = 'backupFolders';
/** An archive changed in place (damage) does not touch its folder's mtime: catalogs are reread this often anyway. */
const CATALOG_TTL_MS = 30_000;
/** Audit entries of calls refused while no store is open (during a restore) wait for the reopened store; at most this many. */
const MAX_PENDING_AUDIT = 1000;

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
  /** Undefined while the store is closed for a restore (then `unavailable` says why) and after close(). */
  private opened: Opened | undefined;
  private unavailable: ConsoleError | undefined;
  private replacing: Promise<void> | undefined;
  private closed = false;
  private readonly followers = new Set<StoreFollower>();
  private readonly pendingAudit: AuditEntry[] = [];
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
    return this.current().store;
  }

  get feed(): LiveFeed {
    return this.current().feed;
  }

  get views(): ConsoleViews {
    return this.current().views;
  }

  get scheduler(): BackupScheduler {
    return this.current().scheduler;
  }

  get drills(): DrillScheduler {
    return this.current().drills;
  }

  /** The open store, or BUSY while a restore has it closed. */
  private current(): Opened {
    if (this.opened === undefined) throw this.unavailable ?? new ConsoleError('BUSY', 'no store is open');
    return this.opened;
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
    if (this.opened === undefined) {
      if (!this.closed && this.pendingAudit.length < MAX_PENDING_AUDIT) this.pendingAudit.push(entry);
      return;
    }
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

  /**
   * Runs `attach` against the open store now (or, during a restore, once the store is reopened) and again
   * whenever another store takes its place: a restore in place or a switch. `replaced` says the log may
   * differ from what the follower saw (false when a failed restore reopened the store unchanged). The
   * function `attach` returns detaches it. Subscriptions bind to the store through this so they keep working.
   */
  followStore(attach: (replaced: boolean) => () => void): () => void {
    const follower: StoreFollower = { attach, detach: undefined };
    if (this.opened !== undefined) follower.detach = attach(false);
    this.followers.add(follower);
    return () => {
      this.followers.delete(follower);
      const detach = follower.detach;
      follower.detach = undefined;
      detach?.();
    };
  }

  /** Opens another store in place of the current one (desktop only). */
  async switchStore(path: string, create: boolean): Promise<void> {
    if (this.jobs.running().length > 0) throw new ConsoleError('BUSY', 'jobs are still running on the open store: wait for them or cancel them first');
    const previous = this.current();
    if (!create && !existsSync(join(path, EVENTS_DB))) throw new ConsoleError('NOT_FOUND', `${path} is not a store (no ${EVENTS_DB})`);
    const next = this.openStore(path, create);
    this.detachFollowers();
    this.opened = next;
    await this.closeOpened(previous);
    this.forgetCatalog();
    this.attachFollowers(true);
    this.desktop?.recent.touch(next.store.dir);
    this.desktop?.storeSwitched();
  }

  /**
   * Replaces the open store's files where they are (an in-place restore). Refuses with BUSY while jobs
   * other than `exceptJobId` (the restore's own) run. Closes the store and everything beside it (live
   * feed, views, backup and drill schedulers: a scheduled run is cancelled and recorded so), runs `work`
   * with the store's folder, then reopens the store at the same path whether `work` succeeded or not (a
   * failed or cancelled restore leaves the store untouched). Meanwhile calls that need the store answer
   * BUSY and their audit entries wait; subscriptions follow the reopened store (followStore).
   */
  async replaceStore<T>(work: (storeDir: string) => Promise<T>, options: { readonly exceptJobId?: string } = {}): Promise<T> {
    const others = this.jobs.running().filter((j) => j.id !== options.exceptJobId);
    if (others.length > 0)
      throw new ConsoleError('BUSY', `other jobs are running on the store (${others.map((j) => j.label).join(', ')}): wait for them or cancel them first`, {
        jobs: others.map((j) => j.id),
      });
    const opened = this.current();
    const dir = opened.store.dir;
    const before = { storeId: opened.store.storeId, head: opened.store.head() };
    let finished: () => void = () => undefined;
    this.replacing = new Promise<void>((resolve) => (finished = resolve));
    this.detachFollowers();
    this.opened = undefined;
    this.unavailable = new ConsoleError('BUSY', `the store ${basename(dir)} is being restored: try again when the restore has finished`);
    try {
      let outcome: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };
      try {
        await this.closeOpened(opened);
        outcome = { ok: true, value: await work(dir) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      if (this.closed) {
        if (outcome.ok) return outcome.value;
        throw outcome.error;
      }
      try {
        this.opened = this.openStore(dir, false);
        this.unavailable = undefined;
      } catch (error) {
        const info = toErrorInfo(error);
        this.unavailable = new ConsoleError(info.code, `the store at ${dir} could not be reopened after the restore: ${info.message}; restart the console`, {
          ...(outcome.ok ? {} : { restoreError: toErrorInfo(outcome.error) }),
        });
        throw this.unavailable;
      }
      const after = { storeId: this.opened.store.storeId, head: this.opened.store.head() };
      const changed = outcome.ok || after.storeId !== before.storeId || after.head.position !== before.head.position || after.head.hash !== before.head.hash;
      this.forgetCatalog();
      for (const entry of this.pendingAudit.splice(0)) this.audit(entry);
      this.attachFollowers(changed);
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    } finally {
      this.replacing = undefined;
      finished();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.jobs.cancelAll();
    await this.replacing; // a restore under way ends (cancelled or done) and does not reopen the store
    const opened = this.opened;
    this.opened = undefined;
    this.unavailable = new ConsoleError('BUSY', 'the console is shutting down');
    this.pendingAudit.length = 0;
    if (opened !== undefined) await this.closeOpened(opened);
  }

  private detachFollowers(): void {
    for (const follower of this.followers) {
      const detach = follower.detach;
      follower.detach = undefined;
      try {
        detach?.();
      } catch (error) {
        process.stderr.write(`detaching a subscription from the store failed: ${(error as Error).message}\n`);
      }
    }
  }

  private attachFollowers(replaced: boolean): void {
    for (const follower of this.followers) {
      try {
        follower.detach = follower.attach(replaced);
      } catch (error) {
        process.stderr.write(`a subscription could not follow the reopened store: ${(error as Error).message}\n`);
      }
    }
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
      const drills = drillSchedulerForStore(store, { nativeBinding: this.nativeBinding });
      scheduler.start();
      drills.start();
      return { store, feed, views, scheduler, drills, audit: new AuditLog(store.writerDb(), this.clock), stopWatching };
    } catch (error) {
      store.close();
      throw error;
    }
  }

  private async closeOpened(opened: Opened): Promise<void> {
    await Promise.all([opened.scheduler.stop(), opened.drills.stop()]);
    opened.stopWatching();
    opened.feed.close();
    opened.views.close();
    opened.store.close();
  }
}
