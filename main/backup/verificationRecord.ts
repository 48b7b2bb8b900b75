import { readFile, stat } from 'node:fs/promises';
import { verificationRecordSchema, type ArchiveVerification, type VerificationRecord, type VerificationState } from '../../shared/backup.js';
import { writeFileDurably } from '../platform/index.js';
import { verificationPathOf } from './archiveName.js';

/**
 * The result of the last verification of an archive, kept beside it as `<archive>.verification.json`.
 * One small file per archive rather than one catalog file for the folder: two verifications at once never
 * lose each other's result, pruning deletes it with its archive, and copying an archive's files copies its state.
 */
export async function writeVerificationRecord(result: ArchiveVerification, sidecarSha256: string | null = null): Promise<void> {
  const s = await stat(result.archive);
  const record: VerificationRecord = {
    formatVersion: 1,
    archive: result.archive,
    ok: result.ok,
    verifiedAt: result.verifiedAt,
    durationMs: result.durationMs,
    archiveBytes: s.size,
    archiveMtimeMs: s.mtimeMs,
    eventsChecked: result.eventsChecked,
    continuity: result.continuity,
    problems: result.problems.slice(0, 1000).map((p) => ({ code: p.code, member: p.member, check: p.check, message: p.message })),
    toolVersion: result.toolVersion,
    warnings: result.warnings.slice(0, 1000).map((p) => ({ code: p.code, member: p.member, check: p.check, message: p.message })),
    sidecarSha256,
    signature: result.signature,
    signingKeyId: result.signingKeyId,
    trustedKeyId: result.trustedKeyId,
  };
  await writeFileDurably(verificationPathOf(result.archive), JSON.stringify(record, null, 2) + '\n');
}

export async function readVerificationRecord(archivePath: string): Promise<VerificationRecord | undefined> {
  try {
    const parsed = verificationRecordSchema.safeParse(JSON.parse(await readFile(verificationPathOf(archivePath), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // absent or unreadable: the archive counts as not verified
  }
}

/** The catalog's view of a record: stale when the archive's size or mtime changed after it was verified. */
export function verificationState(record: VerificationRecord, archive: { size: number; mtimeMs: number } | undefined): VerificationState {
  const stale = archive === undefined || archive.size !== record.archiveBytes || Math.abs(archive.mtimeMs - record.archiveMtimeMs) > 1;
  return { ok: record.ok, verifiedAt: record.verifiedAt, problems: record.problems.length, stale, signature: record.signature ?? null, trustedKeyId: record.trustedKeyId ?? null };
}

/**
 * What the last verification knows of the sidecar, as the catalog shows it: the sidecar finding it made
 * (missing, unreadable, disagreeing with the manifest inside), or that the sidecar changed since (its bytes
 * no longer have the SHA-256 recorded then). Null when nothing is known to be wrong, or the record predates this check.
 */
export function sidecarProblemOf(record: VerificationRecord, sidecarSha256: string): string | null {
  if (record.sidecarSha256 === undefined) return null;
  if (record.sidecarSha256 === null)
    return 'the sidecar was missing or unreadable when the archive was last verified and has been replaced since: verify the archive again to compare it with the manifest inside';
  if (record.sidecarSha256 !== sidecarSha256) return 'the sidecar changed after the archive was last verified: verify the archive again to compare it with the manifest inside';
  return record.warnings?.find((w) => w.check === 'sidecar')?.message ?? null;
}
