import { BackupScheduler, pruneBackups } from '../backup/index.js';
import type { Clock, Due, RecurringJobs } from '../platform/index.js';
import { DrillScheduler } from '../recovery/index.js';
import type { EventStore } from '../store/index.js';
import { runJob } from '../workers/index.js';

interface ForStoreOptions {
  readonly nativeBinding?: string;
  readonly clock?: Clock;
  /** The store's one recurring-job engine, shared by its backups and drills. */
  readonly recurring?: RecurringJobs;
}

/**
 * The backup scheduler of an open, writable store as the console runs it: schedules and history in its
 * events.db, backups and verifications in worker threads (pruning is a few unlinks and runs in place).
 * Call start() after opening the store, stop() before closing it.
 */
export function backupSchedulerForStore(store: EventStore, options: ForStoreOptions & { readonly dispatch?: (scheduleId: string, due: Due) => Promise<void> } = {}): BackupScheduler {
  const { nativeBinding } = options;
  return new BackupScheduler({
    store: { dir: store.dir, db: store.writerDb() },
    runners: {
      backup: (request, { signal, onProgress }) => runJob('backupCreate', request, { signal, onProgress, nativeBinding }),
      verify: (request, { signal, onProgress }) => runJob('backupVerify', request, { signal, onProgress, nativeBinding }),
      prune: (request) => pruneBackups(request),
    },
    clock: options.clock,
    recurring: options.recurring,
    dispatch: options.dispatch,
  });
}

/** The drill scheduler of an open, writable store: policy and history in its events.db, drills in worker threads. */
export function drillSchedulerForStore(store: EventStore, options: ForStoreOptions & { readonly dispatch?: (due: Due) => Promise<void> } = {}): DrillScheduler {
  return new DrillScheduler({
    store: { dir: store.dir, db: store.writerDb() },
    runner: (request, { signal, onProgress }) => runJob('recoveryDrill', request, { signal, onProgress, nativeBinding: options.nativeBinding }),
    clock: options.clock,
    recurring: options.recurring,
    dispatch: options.dispatch,
  });
}
