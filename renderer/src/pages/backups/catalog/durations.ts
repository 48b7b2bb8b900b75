import { useMemo } from 'react';
import { isBackupCreateResult } from '../../../jobs/backupResults.js';
import { useJobs } from '../../../jobs/JobsProvider.js';
import { useRuns } from '../data.js';

/**
 * How long the backup that wrote each archive took, where known: from the run history (scheduled and
 * "run now" runs) and from this server's backup jobs. Both measure the whole run, verification included.
 */
export function useArchiveDurations(): ReadonlyMap<string, number> {
  const runs = useRuns(undefined, 500);
  const { jobs } = useJobs();
  return useMemo(() => {
    const map = new Map<string, number>();
    for (const job of jobs) {
      if (job.kind !== 'backup.create' || job.state !== 'succeeded' || job.endedAt === null || !isBackupCreateResult(job.result) || job.result.archive === null) continue;
      map.set(job.result.archive, Date.parse(job.endedAt) - Date.parse(job.startedAt));
    }
    for (const run of runs.data ?? []) if (run.archive !== null && run.durationMs !== null && run.events !== 0) map.set(run.archive, run.durationMs);
    return map;
  }, [runs.data, jobs]);
}
