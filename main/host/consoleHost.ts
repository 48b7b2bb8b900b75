import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConsoleError, toErrorInfo } from '../../shared/errors.js';
import type { Principal, Transport } from '../../shared/security.js';
import type { SessionInfo, StoreProblem } from '../../shared/api/types.js';
import type { BackupScheduler } from '../backup/index.js';
import { JobManager } from '../platform/index.js';
import type { DrillScheduler } from '../recovery/index.js';
import { backupSchedulerForStore, drillSchedulerForStore } from './schedulers.js';
import { DownloadRegistry } from './downloads.js';
import { AuditLog, type AuditEntry } from '../security/index.js';
import { EVENTS_DB, EventStore } from '../store/index.js';
import { LiveFeed } from '../store/index.js';
import { TOOL_VERSION } from '../platform/index.js';
import { ConsoleViews } from '../views/index.js';
import { foldersAddedByHand, saveFoldersAddedByHand } from './backupFolders.js';
import type { RecentStores } from './recentStores.js';
import { looksLikeStore, readUnopenedStore, storeProblemOf, storeUnavailableError, type UnopenedStoreFacts } from './unopenedStore.js';

/** What only the desktop app can do: dialogs, a recent-stores list, reloading its windows. */
export interface DesktopServices {
  chooseFolder(purpose: 'open' | 'create' | 'export'): Promise<string | undefined>;
  readonly recent: RecentStores;
  /** After the open store changed: reload windows so every view starts from the new store. */
  storeSwitched(): void;
}

export interface HostOptions {
  /**
   * The store to open. When it is there but cannot be opened (damaged, incomplete, from a newer build), the
   * host starts without it and reports why (`storeProblem`); a path that holds no store still throws.
   */
  readonly storePath: string;
  readonly transport: Transport;
  /** Create the store when the folder is absent or empty (the default store on first start). */
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

/** The store the console was pointed at could not be opened: why, and what recovery can still read of it. */
interface Unopened extends UnopenedStoreFacts {
  readonly problem: StoreProblem;
}

/** An archive changed in place (damage) does not touch its folder's mtime: catalogs are reread this often anyway. */
const CATALOG_TTL_MS = 30_000;
/**
 * Audit entries of calls made while no store is open (during a restore, or while the store cannot be
 * opened) wait for the reopened or restored store, whose audit log they belong to; at most this many.
 */
const MAX_PENDING_AUDIT = 1000;

/**
 * The console's main-process state: the open store with its live feed, read models, audit log, and the
 * jobs list. Both transports (Electron IPC, serve-mode WebSocket) share one host and one pipeline. A store
 * that cannot be opened does not stop the console: `host.store` and the rest answer STORE_UNAVAILABLE,
 * `storeProblem` says why, and a restore in place (replaceStore) brings the store back.
 */
export class ConsoleHost {
  readonly jobs: JobManager;
  readonly clock: () => number;
  readonly transport: Transport;
  readonly desktop: DesktopServices | undefined;
  readonly nativeBinding: string | undefined;
  readonly downloads: DownloadRegistry;
  /** The store's folder, open or not. */
  private dir: string;
  /**
   * Undefined while the store is closed for a restore, while it cannot be opened (then `unopened` is set),
   * and after close(); `unavailable` is then what calls that need the store answer.
   */
  private opened: Opened | undefined;
  private unavailable: ConsoleError | undefined;
  /** Set while the store cannot be opened, until a restore (or a switch) opens one: kept during that restore. */
  private unopened: Unopened | undefined;
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
    this.dir = resolve(options.storePath);
    try {
      this.opened = this.openStore(this.dir, options.createIfMissing ?? false);
    } catch (error) {
      // The admin needs the console most when the store is broken: start without it, recovery still works.
      const problem = storeProblemOf(error, this.dir);
      if (problem === undefined) throw error;
      this.startWithout(problem);
    }
  }

  /** The store's folder, also while it cannot be opened or is being restored. */
  get storePath(): string {
    return this.dir;
  }

  /** Why the store cannot be opened; undefined while it is open (or only closed for a restore of an open store). */
  get storeProblem(): StoreProblem | undefined {
    return this.unopened?.problem;
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

  /** The open store; BUSY while a restore has it closed, STORE_UNAVAILABLE while it cannot be opened. */
  private current(): Opened {
    if (this.opened === undefined) throw this.unavailable ?? new ConsoleError('BUSY', 'no store is open');
    return this.opened;
  }

  /** The store cannot be opened and no restore is under way: recovery may act on its folder. */
  private awaitingRecovery(): Unopened | undefined {
    return this.replacing === undefined ? this.unopened : undefined;
  }

  /**
   * The store a recovery restores: its folder and its id — the open store's, or while it cannot be opened,
   * the id its events.db still holds (undefined when unreadable: the archives then say which store it was).
   * BUSY while a restore has the store closed.
   */
  recoveryTarget(): { readonly dir: string; readonly storeId: string | undefined } {
    const unopened = this.awaitingRecovery();
    if (unopened !== undefined) return { dir: this.dir, storeId: unopened.storeId };
    const store = this.store;
    return { dir: store.dir, storeId: store.storeId };
  }

  /**
   * Folders whose archives the catalog lists: every schedule's destination and those added by hand. While
   * the store cannot be opened, those still readable in its events.db (none when it is unreadable).
   */
  backupFolders(): string[] {
    if (this.unopened !== undefined) return [...this.unopened.backupFolders];
    return [...new Set([...this.scheduler.listSchedules().map((s) => s.destination), ...foldersAddedByHand(this.store.db)])];
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
    const store = this.store;
    if (new Set(this.backupFolders()).has(dir)) return;
    saveFoldersAddedByHand(store.writerDb(), [...foldersAddedByHand(store.db), dir], this.clock());
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

  /** Answers whatever state the store is in: the renderer learns from it whether to lead the admin to Recovery. */
  session(principal: Principal): SessionInfo {
    return {
      principal,
      storePath: this.dir,
      storeName: basename(this.dir),
      toolVersion: TOOL_VERSION,
      canSwitchStores: this.desktop !== undefined,
      capabilities: { folderDialog: this.desktop !== undefined, switchStores: this.desktop !== undefined, downloadLinks: this.transport === 'serve' },
      storeProblem: this.storeProblem ?? null,
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

  /** Opens another store in place of the current one, or of the one that cannot be opened (desktop only). */
  async switchStore(path: string, create: boolean): Promise<void> {
    if (this.jobs.running().length > 0) throw new ConsoleError('BUSY', 'jobs are still running on the open store: wait for them or cancel them first');
    const previous = this.awaitingRecovery() === undefined ? this.current() : undefined;
    if (!create && !existsSync(join(path, EVENTS_DB))) throw new ConsoleError('NOT_FOUND', `${path} is not a store (no ${EVENTS_DB})`);
    const next = this.openStore(path, create);
    this.detachFollowers();
    this.opened = next;
    this.dir = next.store.dir;
    this.unopened = undefined;
    this.unavailable = undefined;
    // Entries held for a store that could not be opened belong to its log, not to this one's.
    this.pendingAudit.length = 0;
    if (previous !== undefined) await this.closeOpened(previous);
    this.forgetCatalog();
    this.attachFollowers(true);
    this.desktop?.recent.touch(next.store.dir);
    this.desktop?.storeSwitched();
  }

  /**
   * Replaces the store's files where they are (an in-place restore). Refuses with BUSY while jobs other
   * than `exceptJobId` (the restore's own) run. Closes the store and everything beside it (live feed,
   * views, backup and drill schedulers: a scheduled run is cancelled and recorded so), runs `work` with the
   * store's folder, then reopens the store at the same path whether `work` succeeded or not (a failed or
   * cancelled restore leaves the store untouched). Meanwhile calls that need the store answer BUSY and
   * their audit entries wait; subscriptions follow the reopened store (followStore). A store that cannot
   * be opened is replaced the same way (there is nothing to close); until the restored store opens, it is
   * still reported as a problem, and a store that still cannot be opened afterwards stays one.
   */
  async replaceStore<T>(work: (storeDir: string) => Promise<T>, options: { readonly exceptJobId?: string } = {}): Promise<T> {
    const others = this.jobs.running().filter((j) => j.id !== options.exceptJobId);
    if (others.length > 0)
      throw new ConsoleError('BUSY', `other jobs are running on the store (${others.map((j) => j.label).join(', ')}): wait for them or cancel them first`, {
        jobs: others.map((j) => j.id),
      });
    // Nothing to close when the store could not be opened; BUSY while another restore has it closed.
    const opened = this.awaitingRecovery() === undefined ? this.current() : undefined;
    const dir = this.dir;
    /** Undefined when the store could not be opened before: whatever opens now replaced it. */
    const before = opened === undefined ? undefined : { storeId: opened.store.storeId, head: opened.store.head() };
    let finished: () => void = () => undefined;
    this.replacing = new Promise<void>((resolve) => (finished = resolve));
    this.detachFollowers();
    this.opened = undefined;
    this.unavailable = new ConsoleError('BUSY', `the store ${basename(dir)} is being restored: try again when the restore has finished`);
    try {
      let outcome: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };
      try {
        if (opened !== undefined) await this.closeOpened(opened);
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
        this.unopened = undefined;
        this.unavailable = undefined;
      } catch (error) {
        const info = toErrorInfo(error);
        const problem = storeProblemOf(error, dir);
        const reopenFailed = new ConsoleError(
          info.code,
          `the store at ${dir} could not be reopened after the restore: ${info.message}; ${problem === undefined ? 'restart the console' : 'restore it again from the Recovery page'}`,
          outcome.ok ? {} : { restoreError: toErrorInfo(outcome.error) },
        );
        // A damaged store stays reachable through Recovery, whatever made it so; anything else needs a restart.
        if (problem !== undefined) this.startWithout(problem);
        else {
          this.unopened = undefined;
          this.unavailable = reopenFailed;
        }
        // It could not be opened before the restore either: the restore's own failure is the news.
        if (before === undefined && !outcome.ok) throw outcome.error;
        throw reopenFailed;
      }
      const after = { storeId: this.opened.store.storeId, head: this.opened.store.head() };
      const changed =
        before === undefined || outcome.ok || after.storeId !== before.storeId || after.head.position !== before.head.position || after.head.hash !== before.head.hash;
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

  /** Runs without a store: calls that need it answer STORE_UNAVAILABLE, recovery reads what it still can. */
  private startWithout(problem: StoreProblem): void {
    this.unopened = { problem, ...readUnopenedStore(this.dir) };
    this.unavailable = storeUnavailableError(this.dir, problem);
  }

  private openStore(path: string, create: boolean): Opened {
    // Never a new store over the remains of one that lost its events.db: that store is opened, and fails.
    const store =
      create && !looksLikeStore(path)
        ? EventStore.create(path, { clock: this.clock, busyTimeoutMs: 20 })
        : EventStore.open(path, { clock: this.clock, busyTimeoutMs: 20 });
    /** What was started for this store, newest first: closed with it when a later step fails. */
    const started: Array<{ close(): void }> = [store];
    try {
      const feed = new LiveFeed(store, this.pollMs === undefined ? {} : { pollMs: this.pollMs });
      started.unshift(feed);
      const views = new ConsoleViews(store, { nativeBinding: this.nativeBinding });
      started.unshift(views);
      const stopWatching = feed.watchHead(() => views.catchUp());
      views.catchUp();
      const scheduler = backupSchedulerForStore(store, { nativeBinding: this.nativeBinding });
      const drills = drillSchedulerForStore(store, { nativeBinding: this.nativeBinding });
      scheduler.start();
      drills.start();
      return { store, feed, views, scheduler, drills, audit: new AuditLog(store.writerDb(), this.clock), stopWatching };
    } catch (error) {
      // The host may run on without this store: a views worker left running would outlive it.
      for (const part of started) part.close();
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
