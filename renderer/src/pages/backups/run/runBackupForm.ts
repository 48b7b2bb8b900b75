import type { BackupCatalog } from '../../../../../shared/api/backupTypes.js';
import type { InputOf } from '../../../../../shared/api/contract.js';
import type { BackupKind } from '../../../../../shared/backup.js';
import type { InputIssue } from '../../../api/inputIssues.js';
import { isAbsolutePath, joinPath, parentDir } from '../labels.js';

/** The "Run backup now" form's model (pure): its fields, and the `backup.create` input they make. */

export type EncryptionChoice = 'none' | 'passphrase' | 'passphraseFile' | 'recipient';

export interface RunBackupForm {
  readonly destination: string;
  readonly kind: BackupKind;
  readonly encryption: EncryptionChoice;
  /** The passphrase, the passphrase file or the recipient, as the encryption choice says. */
  readonly secret: string;
  readonly includeViews: boolean;
}

export type CreateInput = InputOf<'backup.create'>;

/** The input's fields the form places messages beside (the input is the form: nothing above it). */
export const RUN_BACKUP_ISSUES = { under: [], fields: ['destination', 'kind', 'encryption', 'includeViews'] };

export const ENCRYPTION_CHOICES: ReadonlyArray<readonly [EncryptionChoice, string]> = [
  ['none', 'None'],
  ['passphrase', 'Passphrase'],
  ['passphraseFile', 'Passphrase file'],
  ['recipient', 'age recipient'],
];

export const SECRET_LABELS: Readonly<Record<Exclude<EncryptionChoice, 'none'>, { readonly label: string; readonly placeholder: string }>> = {
  passphrase: { label: 'Passphrase', placeholder: 'at least 8 characters' },
  passphraseFile: { label: 'Passphrase file', placeholder: '/absolute/path/to/passphrase.txt' },
  recipient: { label: 'age recipient', placeholder: 'age1…' },
};

export const ENCRYPTION_HINTS: Readonly<Record<EncryptionChoice, string>> = {
  none: 'The archive is a plain .tar.gz: keep the folder private.',
  passphrase: 'Sent for this backup only and never stored. Without it the archive cannot be restored: keep it safe.',
  passphraseFile: 'A file on the server whose first line is the passphrase; it is read for this backup only.',
  recipient: 'Encrypts to an X25519 public key; restoring needs the matching identity (AGE-SECRET-KEY-1…).',
};

/** Where a first backup goes when no folder is known yet: "backups" beside the store's folder. */
export function suggestedDestination(catalog: BackupCatalog, storePath: string | undefined): string {
  return catalog.folders[0]?.dir ?? (storePath === undefined ? '' : joinPath(parentDir(storePath), 'backups'));
}

/** A full backup when no folder holds a chain to continue, else an incremental. */
export function newRunBackupForm(catalog: BackupCatalog, storePath: string | undefined): RunBackupForm {
  return { destination: suggestedDestination(catalog, storePath), kind: catalog.folders.some((f) => f.chains.length > 0) ? 'incremental' : 'full', encryption: 'none', secret: '', includeViews: false };
}

function encryptionOf(f: RunBackupForm): CreateInput['encryption'] {
  // Typed secrets are sent as typed; paths and recipients trimmed.
  if (f.encryption === 'passphrase') return { kind: 'age-passphrase', passphrase: f.secret };
  if (f.encryption === 'passphraseFile') return { kind: 'age-passphrase', passphraseFile: f.secret.trim() };
  if (f.encryption === 'recipient') return { kind: 'age-recipient', recipient: f.secret.trim() };
  return { kind: 'none' };
}

export function createBackupInput(f: RunBackupForm): CreateInput {
  return { destination: f.destination.trim(), kind: f.kind, encryption: encryptionOf(f), includeViews: f.kind === 'full' && f.includeViews };
}

/** What the form checks beyond the schema: the server writes to a path on its own disk, so it must be absolute. */
export function runBackupIssues(f: RunBackupForm): InputIssue[] {
  const destination = f.destination.trim();
  return destination !== '' && !isAbsolutePath(destination) ? [{ path: ['destination'], message: 'an absolute path on the server' }] : [];
}
