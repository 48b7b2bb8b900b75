import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { SessionInfo, StoreProblem } from '../../shared/api/types.js';
import type { StoreWarning } from '../../shared/store.js';
import { ConsoleError, toErrorInfo } from '../../shared/errors.js';
import type { Principal, Transport } from '../../shared/security.js';
import type { BackupScheduler } from '../backup/index.js';
import { JobManager, TOOL_VERSION } from '../platform/index.js';
import type { DrillScheduler } from '../recovery/index.js';
import type { AuditEntry } from '../security/index.js';
import { EVENTS_DB, readHeadRecord, type EventStore, type LiveFeed, type RecordedHead } from '../store/index.js';
import type { ConsoleViews } from '../views/index.js';
import { backupFoldersNamedIn, foldersAddedByHand, saveFoldersAddedByHand } from './backupFolders.js';
import { newestBackupHeads } from './backupHeads.js';
import { CatalogCache } from './catalogCache.js';
import { DownloadRegistry } from './downloads.js';
import { OpenedStore } from './openedStore.js';
import { SCHEDULER_PRINCIPAL, type DesktopServices, type FrontDoor, type HostOptions } from './hostOptions.js';
import { StoreFollowers } from './storeFollowers.js';
import { flushPendingAudit, PendingAudit } from './pendingAudit.js';
import { looksLikeStore, readUnopenedStore, storeProblemOf, storeUnavailableError, type UnopenedStoreFacts } from './unopenedStore.js';

/** The store the console was pointed at could not be opened: why, and what recovery can still read of it. */
interface Unopened extends UnopenedStoreFacts {
  readonly problem: StoreProblem;
}

/**
 * (Longer than most files on purpose: the host's states, open, cannot be opened, being restored, closed,
 * and every transition between them read in one place; what lives beside the store is in openedStore.ts.)
 *
 * The console's main-process state: the open store with its live feed, read models, audit log and
 * schedules, and the jobs list. Every transport (Electron IPC, serve mode's WebSocket, the CLI) shares one
 * host and one pipeline. A store that cannot be opened does not stop the console: `host.store` and the rest
 * answer STORE_UNAVAILABLE, `storeProblem` says why, and a restore in place (replaceStore) brings it back.
 */
export class ConsoleHost {
  readonly jobs: JobManager;
  readonly clock: () => number;
  readonly transport: Transport;
  readonly desktop: DesktopServices | undefined;
  readonly nativeBinding: string | undefined;
  readonly downloads: DownloadRegistry;
  readonly stdin: Readable | undefined;
  readonly background: boolean;
  private readonly catalogs: CatalogCache;
  private readonly followers = new StoreFollowers();
  private readonly pendingAudit = new PendingAudit();
  private frontDoor: FrontDoor | undefined;
  /** The store's folder, open or not. */
  private dir: string;
  /**
   * Undefined while the store is closed for a restore, while it cannot be opened (then `unopened` is set),
   * before a command opened it, and after close(); `unavailable` is then what calls that need it answer.
   */
  private opened: OpenedStore | undefined;
  private unavailable: ConsoleError | undefined;
  /** Set while the store cannot be opened, until a restore (or a switch) opens one: kept during that restore. */
  private unopened: Unopened | undefined;
  private replacing: Promise<void> | undefined;
  private closed = false;
  /** The store last opened (kept after close, for what a command must still say about it). */
  private lastOpened: EventStore | undefined;
  private readonly warningsSeen: StoreWarning[] = [];

  constructor(private readonly options: HostOptions) {
    this.clock = options.clock ?? Date.now;
    this.transport = options.transport;
    this.desktop = options.desktop;
    this.nativeBinding = options.nativeBinding;
    this.stdin = options.stdin;
    this.background = (options.mode ?? 'console') === 'console';
    this.jobs = new JobManager(this.clock);
    this.downloads = new DownloadRegistry(this.clock);
    this.catalogs = new CatalogCache(this.clock);
    this.dir = resolve(options.storePath);
    if (options.openStore === false) {
      this.unavailable = new ConsoleError('STORE_UNAVAILABLE', `this command opens no store`, { storePath: this.dir });
      return;
    }
    try {
      this.opened = this.openStore(this.dir, options.createIfMissing ?? false);
    } catch (error) {
      // The admin needs the console most when the store is broken: start without it, recovery still works.
      const problem = storeProblemOf(error, this.dir);
      if (problem === undefined || !(options.startWithoutStore ?? this.background)) throw error;
      this.startWithout(problem);
    }
  }

  /** The pipeline calls this once: the schedules' due runs go in through it. */
  attachFrontDoor(door: FrontDoor): void {
    if (this.frontDoor !== undefined && this.frontDoor !== door) throw new Error('a host has one front door');
    this.frontDoor = door;
  }

  /** The store's folder, also while it cannot be opened or is being restored. */
  get storePath(): string {
    return this.dir;
  }

  /** Why the store cannot be opened; undefined while it is open (or only closed for a restore of an open store). */
  get storeProblem(): StoreProblem | undefined {
    return this.unopened?.problem;
  }

  /** Whether a store is open now (a call may then use `store`). */
  get hasStore(): boolean {
    return this.opened !== undefined;
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
  private current(): OpenedStore {
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

  catalogOf<T>(dir: string, read: () => Promise<T>): Promise<T> {
    return this.catalogs.of(dir, read);
  }

  /** Drops cached catalogs (all, or one folder's) after this process changed them. */
  forgetCatalog(dir?: string): void {
    this.catalogs.forget(dir);
  }

  addBackupFolder(dir: string): void {
    const store = this.store;
    if (new Set(this.backupFolders()).has(dir)) return;
    saveFoldersAddedByHand(store.writerDb(), [...foldersAddedByHand(store.db), dir], this.clock());
  }

  /**
   * Writes to the open store's audit log. While no store is open (a restore, a store that cannot be opened,
   * a command that creates its store) entries wait for the store they belong to.
   */
  audit(entry: AuditEntry): void {
    if (this.opened === undefined) {
      if (!this.closed) this.pendingAudit.hold(entry);
      return;
    }
    try {
      this.opened.audit.record(entry);
    } catch (error) {
      // The audit log must not turn a finished action into a failed one; the failure itself is reported.
      // Not for an action that failed: its own error (a full or read-only disk, the same cause) is the
      // one line its caller reads, and a second line would break `--json`'s one error document.
      if (entry.outcome === 'failed' || entry.outcome === 'denied') return;
      this.warn({ code: 'NOT_RECORDED', message: `the audit entry for ${entry.action} could not be written: ${toErrorInfo(error).message}` });
    }
  }

  /**
   * The heads the store's backup catalog records (its newest archive), for a verify that runs elsewhere
   * (a worker) to compare with the log; none while nothing is known of the store's id or folders.
   */
  backupHeads(): RecordedHead[] {
    try {
      if (this.opened !== undefined) {
        const store = this.opened.store;
        return newestBackupHeads(backupFoldersNamedIn(store.db), store.storeId, readHeadRecord(store.dir)?.acceptedAt);
      }
      const unopened = this.awaitingRecovery();
      if (unopened?.storeId === undefined) return [];
      return newestBackupHeads(unopened.backupFolders, unopened.storeId, readHeadRecord(this.dir)?.acceptedAt);
    } catch {
      return [];
    }
  }

  /**
   * What a command must say although it did not fail for it (the CLI prints each as a warning line): the
   * store's losses not acknowledged yet, then what the store warned of while the command ran (a head record
   * it could not write). Also after close().
   */
  warnings(): StoreWarning[] {
    const problems = this.lastOpened?.openProblems ?? [];
    return [...problems.map((p) => ({ code: p.code, message: p.message })), ...this.warningsSeen];
  }

  /** Kept for the command to print (the CLI, after close), and logged at once in the console. */
  private warn(warning: StoreWarning): void {
    if (this.warningsSeen.length < 100) this.warningsSeen.push(warning);
    if (this.background) process.stderr.write(`warning ${warning.code}: ${warning.message}\n`);
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
    return this.followers.add(attach, this.opened !== undefined);
  }

  /** Opens another store in place of the current one, or of the one that cannot be opened (desktop only). */
  async switchStore(path: string, create: boolean): Promise<void> {
    if (this.jobs.running().length > 0) throw new ConsoleError('BUSY', 'jobs are still running on the open store: wait for them or cancel them first');
    const previous = this.awaitingRecovery() === undefined ? this.current() : undefined;
    if (!create && !existsSync(join(path, EVENTS_DB))) throw new ConsoleError('NOT_FOUND', `${path} is not a store (no ${EVENTS_DB})`);
    const next = this.openStore(path, create);
    this.followers.detachAll();
    this.opened = next;
    this.dir = next.store.dir;
    this.unopened = undefined;
    this.unavailable = undefined;
    // Entries held for a store that could not be opened belong to its log, not to this one's.
    this.pendingAudit.drop();
    if (previous !== undefined) await previous.close();
    this.forgetCatalog();
    this.followers.attachAll(true);
    this.desktop?.recent.touch(next.store.dir);
    this.desktop?.storeSwitched();
  }

  /**
   * Replaces the store's files where they are (an in-place restore). Refuses with BUSY while jobs other
   * than `exceptJobId` (the restore's own) run. Closes the store and everything beside it (live feed,
   * views, backup and drill schedules: a scheduled run is cancelled and recorded so), runs `work` with the
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
    this.followers.detachAll();
    this.opened = undefined;
    this.unavailable = new ConsoleError('BUSY', `the store ${basename(dir)} is being restored: try again when the restore has finished`);
    try {
      let outcome: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };
      try {
        if (opened !== undefined) await opened.close();
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
      for (const entry of this.pendingAudit.take()) this.audit(entry);
      this.followers.attachAll(changed);
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    } finally {
      this.replacing = undefined;
      finished();
    }
  }

  /** Cancels running jobs, waits for a restore under way, closes the store. */
  async close(): Promise<void> {
    this.closed = true;
    this.jobs.cancelAll();
    await this.replacing; // a restore under way ends (cancelled or done) and does not reopen the store
    const opened = this.opened;
    this.opened = undefined;
    this.unavailable = new ConsoleError('BUSY', 'the console is shutting down');
    if (opened !== undefined) await opened.close();
    // A command that opened no store may have made one (init, restore): its entries belong there. Entries
    // held because the store cannot be opened stay unwritten: there is no log to write them to.
    const held = this.pendingAudit.take();
    if (!this.background && this.options.openStore === false && held.length > 0) {
      const failed = flushPendingAudit(this.dir, held, this.clock);
      if (failed !== undefined) this.warn({ code: 'NOT_RECORDED', message: failed });
    }
  }

  /** Runs without a store: calls that need it answer STORE_UNAVAILABLE, recovery reads what it still can. */
  private startWithout(problem: StoreProblem): void {
    this.unopened = { problem, ...readUnopenedStore(this.dir) };
    this.unavailable = storeUnavailableError(this.dir, problem);
  }

  private openStore(path: string, create: boolean): OpenedStore {
    // Never a new store over the remains of one that lost its events.db: that store is opened, and fails.
    const opened = new OpenedStore(path, create && !looksLikeStore(path), {
      onWarning: (warning) => this.warn(warning),
      background: this.background,
      readonly: this.options.readonly,
      clock: this.clock,
      schedulerClock: this.options.schedulerClock,
      nativeBinding: this.nativeBinding,
      pollMs: this.options.pollMs,
      dispatch: {
        backup: (scheduleId, due) => this.dispatchDue('backup.runNow', { scheduleId, trigger: due.trigger, dueAt: due.at }),
        drill: (due) => this.dispatchDue('recovery.runDrill', { trigger: due.trigger, dueAt: due.at }),
      },
    });
    this.lastOpened = opened.store;
    return opened;
  }

  /** A due run through the front door, as the scheduler's call; resolves when its job has ended. */
  private async dispatchDue(method: 'backup.runNow' | 'recovery.runDrill', input: Readonly<Record<string, unknown>>): Promise<void> {
    if (this.frontDoor === undefined) throw new ConsoleError('INTERNAL', `a ${method} came due on a host without a pipeline`);
    const result = await this.frontDoor.call(SCHEDULER_PRINCIPAL, method, input);
    if (!result.ok) {
      process.stderr.write(`the scheduled ${method} was refused: ${result.error.code}: ${result.error.message}\n`);
      return;
    }
    await this.jobs.settled((result.value as { jobId: string }).jobId);
  }
}
