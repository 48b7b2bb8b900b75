/**
 * The backup engine's public surface (issue 4), for the API handlers, the console host and the recovery
 * work (issue 5). Long operations also exist as worker jobs: runJob('backupCreate' | 'backupVerify' |
 * 'backupExport', …) in main/workers/jobTable.ts.
 */
export { createBackup, DEFAULT_COMPRESSION_LEVEL, type CreateBackupRequest, type CreateBackupResult, type CreatedBackup, type NothingNew } from './createBackup.js';
export { verifyArchive, type VerifyArchiveRequest } from './verifyArchive.js';
export { readArchive, readSmallMember, ArchiveReadError, type ArchiveMember, type ReadArchiveOptions } from './archiveReader.js';
export { extractArchive, type ExtractArchiveResult, type ExtractedMember } from './extractArchive.js';
export { listCatalog } from './catalog.js';
export { buildChains, findContinuation, archivesNeededBy } from './chains.js';
export { planRetention } from './retention.js';
export { pruneBackups, type PruneRequest, type PruneResult } from './prune.js';
export { exportArchives, type ExportArchivesRequest, type ExportArchivesResult } from './exportArchives.js';
export { rpoStatus, type RpoStatus } from './rpo.js';
export { readDecryptionKeyFiles, readPassphraseFile, type DecryptionKeyInput, type EncryptionSpec } from './encryption.js';
export { formatArchiveName, parseArchiveName, archivePathOf, sidecarPathOf, verificationPathOf } from './archiveName.js';
export { BackupScheduler, type BackupSchedulerOptions, type SchedulerEvent, type SchedulerRunners, type SchedulerStatus } from './scheduler/backupScheduler.js';
export { describeCron } from '../platform/index.js';
export { systemClock, type SchedulerClock } from '../platform/index.js';

export { hasAnyKey } from './encryption.js';
export { manifestContradictions, MAX_SMALL_MEMBER_BYTES, nameContradictions, parseManifest } from './manifest.js';
