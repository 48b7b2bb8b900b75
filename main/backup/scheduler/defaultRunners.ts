import { runJob } from '../../workers/runJob.js';
import { pruneBackups } from '../prune.js';
import type { SchedulerRunners } from './backupScheduler.js';

/** The scheduler's work in worker threads (backup, verify); pruning is a few unlinks and runs in place. */
export function workerRunners(nativeBinding?: string): SchedulerRunners {
  return {
    backup: (request, { signal, onProgress }) => runJob('backupCreate', request, { signal, onProgress, nativeBinding }),
    verify: (request, { signal, onProgress }) => runJob('backupVerify', request, { signal, onProgress, nativeBinding }),
    prune: (request) => pruneBackups(request),
  };
}
