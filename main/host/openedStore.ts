import type { BackupScheduler } from '../backup/index.js';
import { RecurringJobs, systemClock, type Clock, type Due } from '../platform/index.js';
import type { DrillScheduler } from '../recovery/index.js';
import type { StoreWarning } from '../../shared/store.js';
import { AuditLog } from '../security/index.js';
import { EventStore, LiveFeed, readHeadRecord } from '../store/index.js';
import { ConsoleViews } from '../views/index.js';
import { backupFoldersNamedIn } from './backupFolders.js';
import { newestBackupHeads } from './backupHeads.js';
import { backupSchedulerForStore, drillSchedulerForStore } from './schedulers.js';

/** How a due recurring run enters the API pipeline (the host routes it; see ConsoleHost.attachFrontDoor). */
export interface RecurringDispatch {
  backup(scheduleId: string, due: Due): Promise<void>;
  drill(due: Due): Promise<void>;
}

export interface OpenedStoreOptions {
  /**
   * The console keeps everything running (live feed, views catching up, the schedules); a command (the CLI)
   * runs nothing in the background and makes each part only when a call uses it.
   */
  readonly background: boolean;
  /** Open without a writer (the CLI's read-only commands: read, export, stats). */
  readonly readonly?: boolean;
  readonly clock: () => number;
  readonly schedulerClock?: Clock;
  readonly nativeBinding: string | undefined;
  readonly pollMs: number | undefined;
  readonly dispatch: RecurringDispatch;
  /** What the store did not fail for but must be said (a head record it could not write). */
  readonly onWarning?: (warning: StoreWarning) => void;
}

/**
 * A store the host has open, and what lives beside it: its live feed, the console's views, the audit log,
 * and its backup and drill schedules on one recurring-job engine. Parts are made on first use; in the
 * background mode `start` makes and starts them all.
 */
export class OpenedStore {
  readonly store: EventStore;
  private feedPart: LiveFeed | undefined;
  private viewsPart: ConsoleViews | undefined;
  private auditPart: AuditLog | undefined;
  private schedules: { readonly recurring: RecurringJobs; readonly backups: BackupScheduler; readonly drills: DrillScheduler } | undefined;
  private stopWatching: (() => void) | undefined;

  constructor(
    path: string,
    create: boolean,
    private readonly options: OpenedStoreOptions,
  ) {
    const storeOptions = { clock: options.clock, busyTimeoutMs: options.background ? 20 : undefined };
    this.store = create ? EventStore.create(path, storeOptions) : EventStore.open(path, { ...storeOptions, readonly: options.readonly === true });
    if (options.onWarning !== undefined) this.store.onWarning(options.onWarning);
    if (!create) checkBackupHeads(this.store);
    if (!options.background) return;
    try {
      this.start();
    } catch (error) {
      // The host may run on without this store: a views worker left running would outlive it.
      void this.close();
      throw error;
    }
  }

  get feed(): LiveFeed {
    this.feedPart ??= new LiveFeed(this.store, this.options.pollMs === undefined ? {} : { pollMs: this.options.pollMs });
    return this.feedPart;
  }

  get views(): ConsoleViews {
    // A command reads the views as they are, on its own thread; the console catches them up in a worker.
    this.viewsPart ??= new ConsoleViews(this.store, { nativeBinding: this.options.nativeBinding, inProcess: !this.options.background });
    return this.viewsPart;
  }

  get audit(): AuditLog {
    this.auditPart ??= new AuditLog(this.store.writerDb(), this.options.clock);
    return this.auditPart;
  }

  get scheduler(): BackupScheduler {
    return this.schedulesPart().backups;
  }

  get drills(): DrillScheduler {
    return this.schedulesPart().drills;
  }

  private schedulesPart() {
    if (this.schedules === undefined) {
      const clock = this.options.schedulerClock;
      const recurring = new RecurringJobs(clock ?? systemClock);
      const { dispatch, nativeBinding } = this.options;
      this.schedules = {
        recurring,
        backups: backupSchedulerForStore(this.store, { nativeBinding, clock, recurring, dispatch: (id, due) => dispatch.backup(id, due) }),
        drills: drillSchedulerForStore(this.store, { nativeBinding, clock, recurring, dispatch: (due) => dispatch.drill(due) }),
      };
    }
    return this.schedules;
  }

  /** The console's mode: follow the log, catch the views up, run the schedules. */
  private start(): void {
    const views = this.views;
    this.stopWatching = this.feed.watchHead(() => views.catchUp());
    views.catchUp();
    const { recurring, backups, drills } = this.schedulesPart();
    backups.start();
    drills.start();
    recurring.start();
  }

  async close(): Promise<void> {
    if (this.schedules !== undefined) {
      this.schedules.recurring.stop();
      await Promise.all([this.schedules.backups.stop(), this.schedules.drills.stop()]);
    }
    this.stopWatching?.();
    this.feedPart?.close();
    this.viewsPart?.close();
    this.store.close();
  }
}

/**
 * The newest backup of the store's catalog compared with its log (DESIGN §5): a log rolled back together
 * with head.json is still shorter than the archives made of it. A catalog that cannot be read is no
 * evidence and no reason not to open the store.
 */
function checkBackupHeads(store: EventStore): void {
  try {
    store.checkRecordedHeads(newestBackupHeads(backupFoldersNamedIn(store.db), store.storeId, readHeadRecord(store.dir)?.acceptedAt));
  } catch {
    // The folders' list or a folder unreadable: nothing to compare with.
  }
}
