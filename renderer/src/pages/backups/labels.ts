import type { BackupKind, BackupRunOutcome, BackupRunTrigger, EncryptionKind } from '../../../../shared/backup.js';

/** Words and tones the Backups page, the status bar and Overview share. */
export const KIND_LABELS: Readonly<Record<BackupKind, string>> = { full: 'Full', incremental: 'Incremental' };
/** The kinds as choices of a form, full first. */
export const BACKUP_KINDS: ReadonlyArray<readonly [BackupKind, string]> = [
  ['full', KIND_LABELS.full],
  ['incremental', KIND_LABELS.incremental],
];

export const ENCRYPTION_LABELS: Readonly<Record<EncryptionKind, string>> = { none: 'None', 'age-passphrase': 'age · passphrase', 'age-recipient': 'age · recipient' };

export const TRIGGER_LABELS: Readonly<Record<BackupRunTrigger, string>> = { schedule: 'Schedule', 'catch-up': 'Catch-up', manual: 'Manual' };

export const OUTCOME_TONES: Readonly<Record<BackupRunOutcome, 'ok' | 'bad' | 'neutral' | 'accent' | 'warn'>> = {
  running: 'accent',
  succeeded: 'ok',
  failed: 'bad',
  cancelled: 'neutral',
  skipped: 'neutral',
  missed: 'warn',
  interrupted: 'bad',
};

/** The last part of a path, whichever separator the host uses. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** The folder of a path (its separator kept). */
export function parentDir(path: string): string {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return at <= 0 ? path.slice(0, at + 1) : path.slice(0, at);
}

export function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

/** Absolute on POSIX (/…) or Windows (C:\… or \\server\…). */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
