import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BACKUP_FORMAT_VERSION, type BackupKind, type BackupManifest, type BackupProgress } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { EventStore } from '../store/index.js';
import { TOOL_VERSION } from '../platform/index.js';
import { formatArchiveName, sidecarPathOf } from './archiveName.js';
import { writeArchive } from './archiveWriter.js';
import { planBackup } from './backupPlan.js';
import { acquireDestinationLock, TEMP_PREFIX } from './destinationLock.js';
import type { FileLock } from '../platform/index.js';
import { translateDiskError } from '../platform/index.js';
import { exists, publish, removeQuietly, tempPathFor, writeSynced } from '../platform/index.js';
import { encryptionKindOf, validateEncryption, type EncryptionSpec } from './encryption.js';
import { hashFile } from '../platform/index.js';
import { requireFreeSpace } from '../platform/index.js';
import { serializeManifest } from './manifest.js';
import { PhaseTimer } from '../platform/index.js';
import { formatSha256Sums } from './sha256sums.js';
import type { SnapshotMethod } from './snapshot.js';
import { ndjsonBytes, sourceBytes, stageFull, stageIncremental } from './stageMembers.js';

/**
 * gzip level of new archives. Measured on the benchmark store with Node's zlib (test/bench/backup-full.ts,
 * RESULTS.md "Backups"): level 5 compresses ~1.7× faster than 6 for an archive ~1% larger; 3 and 4 are
 * faster still but ~5% larger; 1 and 2 are slower than 3 in this zlib.
 */
export const DEFAULT_COMPRESSION_LEVEL = 5;

export interface CreateBackupRequest {
  readonly storeDir: string;
  /** The backup folder; created when missing. */
  readonly destination: string;
  readonly kind: BackupKind;
  readonly encryption: EncryptionSpec;
  /** Also archive views.db (disposable, but saves rebuilding the projections after a restore). */
  readonly includeViews?: boolean;
  /** gzip level 1–9. */
  readonly compressionLevel?: number;
  /** gzip blocks compressed at once (default: all cores but one, up to 4). */
  readonly parallelism?: number;
  /** An incremental with no chain to continue takes a full backup instead of failing (the scheduler's choice). */
  readonly fullWhenNoChain?: boolean;
  /** How a full backup copies the live database (see snapshot.ts); default `vacuum-into`. */
  readonly snapshot?: SnapshotMethod;
}

export interface BackupJobContext {
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly isCancelled?: () => boolean;
  /** The time written into the manifest and the name (tests inject it). */
  readonly clock?: () => number;
}

export interface CreatedBackup {
  readonly created: true;
  readonly archive: string;
  readonly sidecar: string;
  readonly manifest: BackupManifest;
  readonly archiveBytes: number;
  /** The archive an incremental continues. */
  readonly continues: string | null;
  /** True when an incremental was asked for but there was no chain to continue (fullWhenNoChain). */
  readonly fellBackToFull: boolean;
  readonly durationMs: number;
  readonly steps: ReadonlyArray<{ readonly name: string; readonly ms: number }>;
}

export interface NothingNew {
  readonly created: false;
  readonly reason: 'nothing-new';
  readonly message: string;
  /** The newest archive of the chain, which already ends at the store's head. */
  readonly previous: string;
  readonly headPosition: number;
}

export type CreateBackupResult = CreatedBackup | NothingNew;

/** Bytes a staged file plus its archive may take, for the free-space check: the archive at worst as big as its input. */
function neededBytes(staged: number): number {
  return Math.ceil(staged * 2) + 64 * 1024;
}

/**
 * Takes a backup of a store into a folder (DESIGN §7). The store is only read, through a connection of
 * its own, so appends continue and nothing in the store can be harmed. Members are staged in a hidden
 * folder inside the destination (so a full disk is the destination's, never the store's), the archive is
 * written under a temporary name, fsynced, and only then renamed — with its sidecar — to its final name.
 * On any failure or cancellation every temporary file is removed: no file is ever left under a final name.
 */
export async function createBackup(request: CreateBackupRequest, ctx: BackupJobContext = {}): Promise<CreateBackupResult> {
  const clock = ctx.clock ?? Date.now;
  const isCancelled = ctx.isCancelled ?? (() => false);
  const progress = (p: BackupProgress) => ctx.onProgress?.(p);
  const checkCancelled = () => {
    if (isCancelled()) throw new ConsoleError('CANCELLED', 'the backup was cancelled; nothing was written');
  };
  validateEncryption(request.encryption);
  const level = request.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  if (!Number.isInteger(level) || level < 1 || level > 9) throw new ConsoleError('INVALID_INPUT', 'compressionLevel must be a whole number from 1 to 9');
  const destination = resolve(request.destination);
  const timer = new PhaseTimer();
  progress({ phase: 'preparing', done: 0, total: null, unit: 'steps' });

  const store = EventStore.open(request.storeDir, { readonly: true });
  let lock: FileLock | undefined;
  let staging: string | undefined;
  let tempArchive: string | undefined;
  let tempSidecar: string | undefined;
  try {
    await mkdir(destination, { recursive: true }).catch((error: unknown) => {
      throw translateDiskError(error, destination);
    });
    lock = await acquireDestinationLock(destination, `backup of ${store.storeId}`);

    // What to archive: a full snapshot, or the events after the newest archive of the chain.
    const plan = await planBackup(store, destination, request.kind, request.fullWhenNoChain === true);
    if (plan.kind === 'nothing-new')
      return {
        created: false,
        reason: 'nothing-new',
        message: `nothing new since ${plan.base.name} (position ${plan.base.manifest.toPosition}): no archive written`,
        previous: plan.base.archive,
        headPosition: plan.head.position,
      };
    const kind = plan.kind;
    const base = plan.kind === 'incremental' ? plan.base : undefined;
    checkCancelled();

    // Room for the staged members and the archive, checked before anything is written.
    const sizes = await sourceBytes(store, request.includeViews === true);
    const staged = base === undefined ? sizes.events + sizes.views : ndjsonBytes(store, base.manifest.toPosition, plan.head.position);
    await requireFreeSpace(destination, neededBytes(staged), `a ${kind} backup of ${store.dir}`);

    staging = await mkdtemp(join(destination, `${TEMP_PREFIX}staging-`));
    timer.next('prepare');
    const stageContext = { progress, isCancelled, checkCancelled, step: (name: string) => timer.next(name) };
    const { members, fromPosition, fromHash, toPosition, toHash } =
      base === undefined
        ? await stageFull(store, staging, { includeViews: request.includeViews === true, snapshot: request.snapshot }, stageContext)
        : await stageIncremental(store, staging, base, plan.head.position, stageContext);

    // The name: unique in the folder (two backups in the same second with the same positions get the next second).
    let createdAtMs = clock();
    const encrypted = request.encryption.kind !== 'none';
    let name = formatArchiveName({ storeId: store.storeId, kind, fromPosition, toPosition, createdAtMs, encrypted });
    while ((await exists(join(destination, name))) || (await exists(sidecarPathOf(join(destination, name))))) {
      createdAtMs += 1000;
      name = formatArchiveName({ storeId: store.storeId, kind, fromPosition, toPosition, createdAtMs, encrypted });
    }
    const manifest: BackupManifest = {
      formatVersion: BACKUP_FORMAT_VERSION,
      storeId: store.storeId,
      kind,
      fromPosition,
      toPosition,
      fromHash,
      toHash,
      eventCount: toPosition - fromPosition,
      createdAt: new Date(createdAtMs).toISOString(),
      toolVersion: TOOL_VERSION,
      encryption: encryptionKindOf(request.encryption),
      members,
    };
    const manifestText = serializeManifest(manifest);
    await writeSynced(join(staging, 'manifest.json'), manifestText);
    const { sha256: manifestSha } = await hashFile(join(staging, 'manifest.json'));
    await writeSynced(join(staging, 'SHA256SUMS'), formatSha256Sums([{ name: 'manifest.json', sha256: manifestSha }, ...members]));

    // The archive: manifest and checksums first, so a reader knows what to expect before the data.
    const archive = join(destination, name);
    tempArchive = tempPathFor(archive, TEMP_PREFIX);
    const packTotal = members.reduce((n, m) => n + m.bytes, 0);
    const { bytes: archiveBytes } = await writeArchive({
      stagingDir: staging,
      members: ['manifest.json', 'SHA256SUMS', ...members.map((m) => m.name)],
      tempPath: tempArchive,
      encryption: request.encryption,
      compressionLevel: level,
      parallelism: request.parallelism,
      mtime: new Date(Math.floor(createdAtMs / 1000) * 1000),
      onPacked: (done) => progress({ phase: 'archiving', done: Math.min(done, packTotal), total: packTotal, unit: 'bytes' }),
      isCancelled,
    });
    timer.next('archive');
    checkCancelled();
    progress({ phase: 'syncing', done: 0, total: 1, unit: 'steps' });
    const sidecar = sidecarPathOf(archive);
    tempSidecar = tempPathFor(sidecar, TEMP_PREFIX);
    await writeSynced(tempSidecar, manifestText);
    // Under the lock no other run of ours can have taken these names since they were checked.
    await publish([
      { from: tempArchive, to: archive },
      { from: tempSidecar, to: sidecar },
    ]);
    tempArchive = undefined;
    tempSidecar = undefined;
    timer.next('publish');
    progress({ phase: 'syncing', done: 1, total: 1, unit: 'steps' });
    return {
      created: true,
      archive,
      sidecar,
      manifest,
      archiveBytes,
      continues: base?.archive ?? null,
      fellBackToFull: plan.kind === 'full' && plan.fellBackToFull,
      durationMs: timer.totalMs(),
      steps: timer.steps(),
    };
  } catch (error) {
    throw translateDiskError(error, destination);
  } finally {
    await removeQuietly(tempArchive);
    await removeQuietly(tempSidecar);
    if (staging !== undefined) await rm(staging, { recursive: true, force: true });
    lock?.release();
    store.close();
  }
}
