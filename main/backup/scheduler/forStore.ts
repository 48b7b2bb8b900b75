import type { EventStore } from '../../store/eventStore.js';
import { BackupScheduler } from './backupScheduler.js';
import type { SchedulerClock } from './clock.js';
import { workerRunners } from './defaultRunners.js';

/**
 * The scheduler of an open, writable store as the console runs it: schedules and history in its events.db,
 * backups and verifications in worker threads. Call start() after opening the store, stop() before closing it.
 */
export function schedulerForStore(store: EventStore, options: { readonly nativeBinding?: string; readonly clock?: SchedulerClock } = {}): BackupScheduler {
  return new BackupScheduler({ store: { dir: store.dir, db: store.writerDb() }, runners: workerRunners(options.nativeBinding), clock: options.clock });
}
