import type { DrillReport, RecoveryProgress, RecoveryReport, ValidationReport } from '../../../shared/recovery.js';
import type { JobProgress } from '../../../shared/jobs.js';
import { formatCount } from '../format/numbers.js';
import { formatDuration } from '../format/time.js';

/** Results of the recovery jobs (issue 5), recognised from a job's untyped `result`. */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function isValidationReport(v: unknown): v is ValidationReport {
  return isObject(v) && typeof v.ok === 'boolean' && Array.isArray(v.archives) && isObject(v.plan) && typeof v.durationMs === 'number';
}

export function isRecoveryReport(v: unknown): v is RecoveryReport {
  return isObject(v) && v.ok === true && typeof v.headPosition === 'number' && typeof v.headHash === 'string' && Array.isArray(v.steps) && typeof v.rtoMs === 'number' && isObject(v.leftOut) && isObject(v.dataLoss);
}

export function isDrillReport(v: unknown): v is DrillReport {
  return isRecoveryReport(v) && typeof (v as unknown as Record<string, unknown>).rpoMs === 'number';
}

/** The archive a recovery job is on, when its progress names one. */
export function progressArchive(progress: JobProgress | null): string | null {
  if (progress === null || !('archive' in progress)) return null;
  const archive = (progress as RecoveryProgress).archive;
  return typeof archive === 'string' ? archive : null;
}

/** A succeeded recovery job's result in one line, or undefined for other jobs. */
export function describeRecoveryResult(kind: string, result: unknown): { readonly text: string; readonly tone: 'ok' | 'bad' | 'neutral' } | undefined {
  if (kind === 'recovery.validate' && isValidationReport(result)) {
    const bad = result.archives.filter((a) => !a.ok);
    return bad.length === 0
      ? { text: `${formatCount(result.archives.length)} ${result.archives.length === 1 ? 'archive' : 'archives'} valid`, tone: 'ok' }
      : { text: `${formatCount(bad.length)} of ${formatCount(result.archives.length)} archives failed: ${bad[0]?.problems[0]?.code ?? ''}`.trim(), tone: 'bad' };
  }
  if (kind === 'recovery.runDrill' && isDrillReport(result)) {
    const missed = result.rtoMet === false || result.rpoMet === false;
    return { text: `Drill restored ${formatCount(result.events)} events · RTO ${formatDuration(result.rtoMs)} · RPO ${formatDuration(result.rpoMs)}${missed ? ' · target missed' : ''}`, tone: missed ? 'bad' : 'ok' };
  }
  if ((kind === 'recovery.dryRun' || kind === 'recovery.restore') && isRecoveryReport(result)) {
    const lost = result.leftOut.available ? ` · ${formatCount(result.leftOut.events)} left out` : '';
    return { text: `${result.dryRun ? 'Dry run: would restore' : 'Restored'} ${formatCount(result.events)} events up to #${formatCount(result.headPosition)}${lost} · RTO ${formatDuration(result.rtoMs)}`, tone: 'ok' };
  }
  return undefined;
}
