import { basename, join } from 'node:path';
import type { ArchiveProblem, BackupManifest } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import type { LinkValidation, PlannedLink, RecoveryProgress } from '../../shared/recovery.js';
import type { DecryptionKeyInput, TrustedKeyInput } from '../backup/index.js';
import { verifyArchive } from '../backup/index.js';

export interface ValidateOptions {
  readonly keys?: DecryptionKeyInput;
  /** Archives must be signed by this key (anything else is an UNTRUSTED_ARCHIVE problem). */
  readonly trustedKey?: TrustedKeyInput;
  /** Scratch space for the test opens (and the kept members). */
  readonly scratchDir: string;
  /** Keep each verified link's events.db / events.ndjson in `<scratchDir>/members/<index>` for the restore. */
  readonly keepMembers: boolean;
  /** Write `<archive>.verification.json` beside each archive (not in a dry run: it writes nothing outside its scratch). */
  readonly record: boolean;
  /** Stop at the first archive that fails (a restore); else verify them all (the wizard's validation step). */
  readonly stopAtFirstFailure: boolean;
  readonly onProgress?: (p: RecoveryProgress) => void;
  readonly isCancelled?: () => boolean;
}

export interface ValidatedLink extends LinkValidation {
  readonly link: PlannedLink;
  /** Where its verified members were kept, or null (not kept, or it failed). */
  readonly membersDir: string | null;
  /**
   * The archive's own manifest.json, when it says something else than the sidecar the link was planned from
   * about the facts a plan goes by (positions, hashes, kind, time): the plan must be made again with it.
   */
  readonly inside: BackupManifest | null;
}

/** The facts of a link the plan goes by, as manifest.json inside says them, where they differ from the plan's. */
function plannedDifferently(link: PlannedLink, storeId: string, inside: BackupManifest): boolean {
  return (
    inside.storeId !== storeId ||
    inside.kind !== link.kind ||
    inside.fromPosition !== link.fromPosition ||
    inside.toPosition !== link.toPosition ||
    inside.fromHash !== link.fromHash ||
    inside.toHash !== link.toHash ||
    inside.createdAt !== link.createdAt ||
    inside.encryption !== link.encryption
  );
}

/** The folder a link's verified members are kept in. */
export function membersDirOf(scratchDir: string, index: number): string {
  return join(scratchDir, 'members', String(index));
}

/**
 * Verifies each archive of a plan in restore order with the backup engine's verifyArchive: checksums,
 * decryption, the signature (with a trusted key), the manifest, the test open of events.db (integrity_check,
 * the hash chain, the head), the chain inside events.ndjson, and each incremental's continuity with the link
 * before it in the plan. What is wrong with a sidecar is a warning, never a problem: the manifest inside is
 * what counts. When that manifest contradicts what the link was planned from (its sidecar), the link's
 * result carries it in `inside` and validation stops there: the plan has to be made again (validatePlan).
 */
export async function validateLinks(links: readonly PlannedLink[], first: number, previous: PlannedLink | undefined, options: ValidateOptions, storeId?: string): Promise<ValidatedLink[]> {
  const results: ValidatedLink[] = [];
  let before = previous;
  for (let i = 0; i < links.length; i++) {
    const link = links[i]!;
    if (options.isCancelled?.()) throw new ConsoleError('CANCELLED', 'the restore was cancelled while validating the archives; nothing was written');
    const index = first + i;
    options.onProgress?.({ phase: 'validating', done: 0, total: link.archiveBytes, unit: 'bytes', archive: link.archive });
    const keep = options.keepMembers ? membersDirOf(options.scratchDir, index) : undefined;
    const verification = await verifyArchive(
      {
        archive: link.archive,
        keys: options.keys,
        scratchDir: options.scratchDir,
        previous: before === undefined || link.kind === 'full' ? 'none' : { archive: before.archive, toPosition: before.toPosition, toHash: before.toHash },
        record: options.record,
        keepMembersIn: keep,
        trustedKey: options.trustedKey,
      },
      {
        isCancelled: options.isCancelled,
        onProgress: (p) => options.onProgress?.({ phase: 'validating', done: p.done, total: p.total, unit: p.unit, archive: link.archive }),
      },
    );
    const problems: readonly ArchiveProblem[] = verification.problems;
    const ok = problems.length === 0;
    const inside =
      verification.manifestSource === 'archive' && verification.manifest !== null && plannedDifferently(link, storeId ?? verification.manifest.storeId, verification.manifest)
        ? verification.manifest
        : null;
    // A sidecar already set aside when the link was planned (missing, unreadable, disagreeing) is in the plan's warnings.
    const warnings = verification.warnings.filter((w) => !(link.manifestFrom === 'archive' && w.check === 'sidecar')).map((w) => `${basename(link.archive)}: ${w.message}`);
    results.push({
      archive: link.archive,
      ok,
      durationMs: verification.durationMs,
      eventsChecked: verification.eventsChecked,
      problems: problems.map((p) => ({ code: p.code, member: p.member, message: p.message })),
      warnings,
      signature: verification.signature,
      link,
      membersDir: ok && keep !== undefined ? keep : null,
      inside,
    });
    if (inside !== null) break;
    if (!ok && options.stopAtFirstFailure) break;
    before = link;
  }
  return results;
}

/** The error a failed validation is refused with: the first problem's code, naming the archive. */
export function validationError(failed: LinkValidation): ConsoleError {
  const first = failed.problems[0]!;
  const code =
    first.code === 'DECRYPTION_FAILED' || first.code === 'ARCHIVE_CORRUPT' || first.code === 'UNSUPPORTED_FORMAT' || first.code === 'UNTRUSTED_ARCHIVE' ? first.code : 'INTEGRITY_VIOLATION';
  return new ConsoleError(
    code,
    `${failed.archive} failed verification${first.member === null ? '' : ` (${first.member})`}: ${first.message}${failed.problems.length > 1 ? ` (and ${failed.problems.length - 1} more problem(s))` : ''}; nothing was restored`,
    { archive: failed.archive, problems: failed.problems.slice(0, 20) },
  );
}
