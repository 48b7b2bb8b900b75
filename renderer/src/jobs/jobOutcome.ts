import type { VerifyReport } from '../../../shared/integrity.js';
import type { JobInfo } from '../../../shared/jobs.js';
import { formatCount } from '../format/numbers.js';
import { describeBackupResult } from './backupResults.js';
import { describeRecoveryResult } from './recoveryResults.js';

function isVerifyReport(value: unknown): value is VerifyReport {
  return typeof value === 'object' && value !== null && 'ok' in value && 'checkedEvents' in value && 'problems' in value;
}

function isDemoResult(value: unknown): value is { events: number; streams: number; headPosition: number } {
  return typeof value === 'object' && value !== null && 'events' in value && 'streams' in value && 'headPosition' in value;
}

/** A finished job's result in one line, per kind of job. */
export function describeOutcome(job: JobInfo): { readonly text: string; readonly tone: 'ok' | 'bad' | 'neutral' } {
  if (job.state === 'running') return { text: 'Running', tone: 'neutral' };
  if (job.state === 'cancelled') return { text: 'Cancelled: nothing was changed by it.', tone: 'neutral' };
  if (job.state === 'failed') return { text: job.error?.message ?? 'Failed', tone: 'bad' };
  const result = job.result;
  if (job.kind === 'store.verify' && isVerifyReport(result)) {
    return result.ok
      ? { text: `Integrity OK: ${formatCount(result.checkedEvents)} events checked`, tone: 'ok' }
      : { text: `${formatCount(result.problems.length)}${result.truncated ? '+' : ''} problems, first bad position ${result.firstBadPosition === null ? '—' : formatCount(result.firstBadPosition)}`, tone: 'bad' };
  }
  if (job.kind === 'store.loadDemo' && isDemoResult(result)) {
    return { text: `${formatCount(result.events)} events in ${formatCount(result.streams)} streams; head at ${formatCount(result.headPosition)}`, tone: 'ok' };
  }
  return describeBackupResult(job.kind, result) ?? describeRecoveryResult(job.kind, result) ?? { text: 'Done', tone: 'ok' };
}

export { isVerifyReport };
