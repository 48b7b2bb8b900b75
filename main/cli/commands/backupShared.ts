import { readDecryptionKeyFiles, readPassphraseFile, type DecryptionKeyInput, type EncryptionSpec } from '../../backup/index.js';
import { parseRecipient } from '../../platform/index.js';
import type { BackupProgress } from '../../../shared/backup.js';
import { stringListOption, stringOption, type ParsedCommand } from '../command.js';
import { usageError } from '../output.js';
import type { ProgressLine } from '../progress.js';

/** `--passphrase-file <f>` or `--recipient <age1…>` (repeatable): how `backup create` encrypts. */
export function encryptionFromArgs(args: ParsedCommand): EncryptionSpec {
  const passphraseFile = stringOption(args, 'passphrase-file');
  const recipients = stringListOption(args, 'recipient');
  if (passphraseFile !== undefined && recipients.length > 0) throw usageError('give --passphrase-file or --recipient, not both');
  if (passphraseFile !== undefined) return { kind: 'age-passphrase', passphrase: readPassphraseFile(passphraseFile) };
  if (recipients.length > 0) {
    for (const r of recipients) parseRecipient(r);
    return { kind: 'age-recipient', recipients };
  }
  return { kind: 'none' };
}

/** `--passphrase-file <f>` or `--identity <f>`: what opens an encrypted archive. */
export function keysFromArgs(args: ParsedCommand): DecryptionKeyInput {
  const passphraseFile = stringOption(args, 'passphrase-file');
  const identityFile = stringOption(args, 'identity');
  if (passphraseFile !== undefined && identityFile !== undefined) throw usageError('give --passphrase-file or --identity, not both');
  return readDecryptionKeyFiles({ passphraseFile, identityFile });
}

const PHASE_LABELS: Readonly<Record<BackupProgress['phase'], string>> = {
  preparing: 'preparing',
  snapshot: 'snapshot',
  events: 'events',
  checksums: 'checksums',
  archiving: 'archiving',
  syncing: 'syncing',
  verifying: 'verifying',
  exporting: 'copying',
};

/** Draws backup progress on the CLI's progress line (bytes drive the bar; counts are shown in MiB or events). */
export function drawProgress(line: ProgressLine, p: BackupProgress): void {
  const mib = p.unit === 'bytes';
  line.update(p.done, p.total, mib ? Math.round(p.done / 1048576) : p.done, mib ? 'MiB' : p.unit, PHASE_LABELS[p.phase]);
}
