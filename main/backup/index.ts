/**
 * The backup engine's public surface (issue 4), for the API handlers, the console host and the recovery
 * work (issue 5). Long operations also exist as worker jobs: runJob('backupCreate' | 'backupVerify' |
 * 'backupExport', …) in main/workers/jobTable.ts.
 */
import type { readArchive as readArchiveNow, readSmallMember as readSmallMemberNow } from './archiveReader.js';
import type { createBackup as createBackupNow } from './createBackup.js';
import type { exportArchives as exportArchivesNow } from './exportArchives.js';
import type { extractArchive as extractArchiveNow } from './extractArchive.js';
import type { verifyArchive as verifyArchiveNow } from './verifyArchive.js';

// The archive code (tar, gzip streams, age streams) loads on first use: a process that only lists the
// catalog, keeps the schedules or appends (every CLI command but a backup or a restore) never loads it.
export const createBackup: typeof createBackupNow = async (...args) => (await import('./createBackup.js')).createBackup(...args);
export const verifyArchive: typeof verifyArchiveNow = async (...args) => (await import('./verifyArchive.js')).verifyArchive(...args);
export const readArchive: typeof readArchiveNow = async (...args) => (await import('./archiveReader.js')).readArchive(...args);
export const readSmallMember: typeof readSmallMemberNow = async (...args) => (await import('./archiveReader.js')).readSmallMember(...args);
export const extractArchive: typeof extractArchiveNow = async (...args) => (await import('./extractArchive.js')).extractArchive(...args);
export const exportArchives: typeof exportArchivesNow = async (...args) => (await import('./exportArchives.js')).exportArchives(...args);
export { type CreateBackupRequest, type CreateBackupResult, type CreatedBackup, type NothingNew } from './createBackup.js';
export { type VerifyArchiveRequest } from './verifyArchive.js';
export { type ArchiveMember, type ReadArchiveOptions } from './archiveReader.js';
export { ArchiveReadError } from './archiveErrors.js';
export { type ExtractArchiveResult, type ExtractedMember } from './extractArchive.js';
export { listCatalog } from './catalog.js';
export { buildChains, findContinuation, archivesNeededBy } from './chains.js';
export { planRetention } from './retention.js';
export { pruneBackups, type PruneRequest, type PruneResult } from './prune.js';
export { type ExportArchivesRequest, type ExportArchivesResult } from './exportArchives.js';
export { rpoStatus, type RpoStatus } from './rpo.js';
export { readDecryptionKeyFiles, readPassphraseFile, type DecryptionKeyInput, type EncryptionSpec } from './encryption.js';
export { formatArchiveName, parseArchiveName, archivePathOf, sidecarPathOf, verificationPathOf } from './archiveName.js';
export { BackupScheduler, type BackupSchedulerOptions, type SchedulerEvent, type SchedulerRunners, type SchedulerStatus } from './scheduler/backupScheduler.js';
export { describeCron } from '../platform/index.js';
export { systemClock, type Clock } from '../platform/index.js';

export { hasAnyKey } from './encryption.js';
export { manifestContradictions, manifestDifferences, MAX_SMALL_MEMBER_BYTES, nameContradictions, parseManifest, planningDifferences } from './manifest.js';
export { clearTrustedKey, readTrustedKey, trustedKeyInput, writeTrustedKey } from './trustedKey.js';
// Signing is node:crypto only (no archive code): loaded with the index.
export {
  parseSigningKey,
  parseTrustedKey,
  PUBLIC_KEY_FILE,
  readSigningKeyFile,
  readTrustedKeyFile,
  SIGNING_KEY_FILE,
  signingKeyIdOf,
  type SigningKeyInput,
  type TrustedKeyInput,
  type WrittenKeyPair,
  writeSigningKeyPair,
} from './signing.js';
