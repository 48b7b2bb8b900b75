import type { ArchiveVerification, BackupRun } from '../../../shared/backup.js';
import type { OutputOf } from '../../../shared/api/contract.js';
import { formatBytes, formatCount } from '../format/numbers.js';

/** Results of the backup jobs (issue 4), recognised from a job's untyped `result`. */
export type BackupCreateResult = OutputOf<'backup.create'>;
export type BackupExportResult = OutputOf<'backup.export'>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function isBackupCreateResult(v: unknown): v is BackupCreateResult {
  return isObject(v) && typeof v.created === 'boolean' && 'archive' in v && typeof v.message === 'string' && typeof v.toPosition === 'number';
}

export function isArchiveVerification(v: unknown): v is ArchiveVerification {
  return isObject(v) && typeof v.ok === 'boolean' && typeof v.archive === 'string' && Array.isArray(v.problems) && typeof v.continuity === 'string';
}

export function isBackupExportResult(v: unknown): v is BackupExportResult {
  return isObject(v) && typeof v.to === 'string' && typeof v.files === 'number' && typeof v.bytes === 'number';
}

export function isBackupRun(v: unknown): v is BackupRun {
  return isObject(v) && typeof v.id === 'number' && typeof v.outcome === 'string' && typeof v.trigger === 'string';
}

const baseName = (path: string) => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** A succeeded backup job's result in one line, or undefined for other jobs. */
export function describeBackupResult(kind: string, result: unknown): { readonly text: string; readonly tone: 'ok' | 'bad' | 'neutral' } | undefined {
  if (kind === 'backup.create' && isBackupCreateResult(result)) {
    if (!result.created) return { text: result.message, tone: 'neutral' };
    return { text: `${result.message}${result.archiveBytes === null ? '' : ` · ${formatBytes(result.archiveBytes)}`}`, tone: 'ok' };
  }
  if (kind === 'backup.verify' && isArchiveVerification(result)) {
    return result.ok
      ? { text: `Archive verified: ${formatCount(result.eventsChecked)} events checked`, tone: 'ok' }
      : { text: `${formatCount(result.problems.length)} problem${result.problems.length === 1 ? '' : 's'}: ${result.problems[0]?.code ?? ''} ${result.problems[0]?.member ?? ''}`.trim(), tone: 'bad' };
  }
  if (kind === 'backup.export' && isBackupExportResult(result)) {
    return { text: `${formatCount(result.files)} archive${result.files === 1 ? '' : 's'} (${formatBytes(result.bytes)}) exported to ${result.to}`, tone: 'ok' };
  }
  if (kind === 'backup.runNow' && isBackupRun(result)) {
    const archive = result.archive === null ? '' : ` · ${baseName(result.archive)}`;
    return { text: `Run ${result.outcome}${archive}${result.note === null ? '' : ` (${result.note})`}`, tone: result.outcome === 'succeeded' ? 'ok' : result.outcome === 'failed' ? 'bad' : 'neutral' };
  }
  return undefined;
}
