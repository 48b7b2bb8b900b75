import type { BackupProgress, BackupSchedule } from '../../../shared/backup.js';
import { toErrorInfo } from '../../../shared/errors.js';
import { readPassphraseFile, type DecryptionKeyInput, type EncryptionSpec } from '../encryption.js';
import { parseTrustedKey, readSigningKeyFile, type TrustedKeyInput } from '../signing.js';
import type { SchedulerRunners } from './backupScheduler.js';
import type { RunEnd } from './scheduleRepository.js';

/** The key a schedule names, read now: a passphrase file's content only lives for the run. */
export function encryptionFor(schedule: BackupSchedule, readPassphrase: (path: string) => string = readPassphraseFile): { spec: EncryptionSpec; keys: DecryptionKeyInput } {
  const e = schedule.encryption;
  if (e.kind === 'none') return { spec: { kind: 'none' }, keys: {} };
  if (e.kind === 'age-recipient') return { spec: { kind: 'age-recipient', recipients: [e.recipient] }, keys: {} };
  const passphrase = readPassphrase(e.passphraseFile);
  return { spec: { kind: 'age-passphrase', passphrase }, keys: { passphrases: [passphrase] } };
}

export interface ScheduledRunContext {
  readonly storeDir: string;
  readonly runners: SchedulerRunners;
  readonly signal: AbortSignal;
  readonly onProgress: (p: BackupProgress) => void;
  readonly readPassphrase?: (path: string) => string;
  /** The store's trusted key: the verification after the backup checks the signature against it. */
  readonly trustedKey?: TrustedKeyInput;
  readonly now: () => number;
}

/**
 * One run of a schedule: the backup, then (as the schedule says) the verification of the new archive and
 * pruning of the folder. Returns what the run history records; a failure is an outcome, never a throw.
 * A run whose archive fails verification has failed; a failed prune is noted but keeps the backup's outcome.
 */
export async function performScheduledRun(schedule: BackupSchedule, ctx: ScheduledRunContext): Promise<RunEnd> {
  const startedAt = ctx.now();
  try {
    const { spec, keys } = encryptionFor(schedule, ctx.readPassphrase);
    // The key file is read for this run only (schedules name it, never hold it).
    const signing = schedule.signKeyFile === null ? undefined : readSigningKeyFile(schedule.signKeyFile);
    const result = await ctx.runners.backup(
      {
        storeDir: ctx.storeDir,
        destination: schedule.destination,
        kind: schedule.kind,
        encryption: spec,
        includeViews: schedule.includeViews,
        fullWhenNoChain: schedule.fullWhenNoChain,
        signing,
      },
      { signal: ctx.signal, onProgress: ctx.onProgress },
    );
    if (!result.created) return { endedAt: ctx.now(), outcome: 'succeeded', note: result.message, archive: result.previous, events: 0, durationMs: ctx.now() - startedAt };
    let verified: boolean | null = null;
    const notes: string[] = result.fellBackToFull ? ['no chain to continue in the destination: a full backup was taken'] : [];
    if (schedule.verifyAfterBackup) {
      // Checked against the store's trusted key; without one, a signed archive against its own signing key's public half.
      const trustedKey = ctx.trustedKey ?? (signing === undefined ? undefined : { publicKeyPem: parseTrustedKey(signing.privateKeyPem).publicKeyPem });
      const verification = await ctx.runners.verify({ archive: result.archive, keys, trustedKey }, { signal: ctx.signal, onProgress: ctx.onProgress });
      verified = verification.ok;
      if (!verification.ok) notes.push(`verification failed: ${verification.problems[0]?.message ?? ''}`);
    }
    let pruned: number | null = null;
    if (schedule.retention !== null) {
      try {
        pruned = (await ctx.runners.prune({ dir: schedule.destination, policy: schedule.retention, storeId: result.manifest.storeId })).removed.length;
      } catch (error) {
        notes.push(`pruning failed: ${toErrorInfo(error).message}`);
      }
    }
    return {
      endedAt: ctx.now(),
      outcome: verified === false ? 'failed' : 'succeeded',
      kind: result.manifest.kind,
      note: notes.length === 0 ? null : notes.join('; '),
      archive: result.archive,
      archiveBytes: result.archiveBytes,
      events: result.manifest.eventCount,
      durationMs: ctx.now() - startedAt,
      verified,
      pruned,
    };
  } catch (error) {
    const info = toErrorInfo(error);
    return { endedAt: ctx.now(), outcome: info.code === 'CANCELLED' ? 'cancelled' : 'failed', durationMs: ctx.now() - startedAt, error: info };
  }
}
