import type { SchedulerClock } from '../backup/scheduler/clock.js';
import type { EventStore } from '../store/eventStore.js';
import { runJob } from '../workers/runJob.js';
import { DrillScheduler } from './drillScheduler.js';

/**
 * The drill scheduler of an open, writable store as the console runs it: policy and history in its
 * events.db, drills in worker threads. Call start() after opening the store, stop() before closing it.
 */
export function drillSchedulerForStore(store: EventStore, options: { readonly nativeBinding?: string; readonly clock?: SchedulerClock } = {}): DrillScheduler {
  return new DrillScheduler({
    store: { dir: store.dir, db: store.writerDb() },
    runner: (request, { signal, onProgress }) => runJob('recoveryDrill', request, { signal, onProgress, nativeBinding: options.nativeBinding }),
    clock: options.clock,
  });
}
