import type { KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BACKUP_FORMAT_VERSION, type BackupKind, type BackupManifest, type BackupProgress, type CatalogEntry } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { EventStore } from '../store/index.js';
import { exists, type FileLock, publish, removeQuietly, requireFreeSpace, runSteps, type Step, STOP_RUN, tempPathFor, TOOL_VERSION, translateDiskError, writeSynced } from '../platform/index.js';
import { formatArchiveName, sidecarPathOf } from './archiveName.js';
import { writeArchive } from './archiveWriter.js';
import { type BackupPlan, planBackup } from './backupPlan.js';
import { acquireDestinationLock, TEMP_PREFIX } from './destinationLock.js';
import { encryptionKindOf, validateEncryption, type EncryptionSpec } from './encryption.js';
import { parseSigningKey, signingKeyIdOf, type SigningKeyInput } from './signing.js';
import type { SnapshotMethod } from './snapshot.js';
import { checksumSnapshot, ndjsonBytes, sourceBytes, type StageContext, type StagedMembers, type StagedSnapshot, stageIncremental, stageManifest, stageSnapshot } from './stageMembers.js';

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
  /** Sign the manifest with this Ed25519 private key (DESIGN §7: manifest.sig, and its key's id in the manifest). */
  readonly signing?: SigningKeyInput;
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

const CANCELLED = 'the backup was cancelled; nothing was written';

/** One backup run as its steps fill it in; each field is set by the step named beside it. */
class BackupRun implements StageContext {
  readonly destination: string;
  readonly clock: () => number;
  readonly isCancelled: () => boolean;
  store?: EventStore; // open
  lock?: FileLock; // lock
  plan!: Exclude<BackupPlan, { kind: 'nothing-new' }>; // plan
  nothingNew?: NothingNew; // plan
  staging?: string; // prepare
  snapshot!: StagedSnapshot; // snapshot
  staged!: StagedMembers; // checksums | events
  name!: string; // manifest
  createdAtMs!: number;
  manifest!: BackupManifest;
  manifestText!: string;
  tempArchive?: string; // archive
  archiveBytes!: number;
  tempSidecar?: string; // publish

  constructor(
    readonly request: CreateBackupRequest,
    readonly level: number,
    /** The signing key, parsed before any work starts; undefined for an unsigned archive. */
    readonly signingKey: KeyObject | undefined,
    private readonly ctx: BackupJobContext,
  ) {
    this.destination = resolve(request.destination);
    this.clock = ctx.clock ?? Date.now;
    this.isCancelled = ctx.isCancelled ?? (() => false);
  }

  progress(p: BackupProgress): void {
    this.ctx.onProgress?.(p);
  }

  checkCancelled(): void {
    if (this.isCancelled()) throw new ConsoleError('CANCELLED', CANCELLED);
  }

  get base(): CatalogEntry | undefined {
    return this.plan.kind === 'incremental' ? this.plan.base : undefined;
  }

  get archive(): string {
    return join(this.destination, this.name);
  }
}

/** Setup is reported as one step, 'prepare'; a full backup then reports 'snapshot' and 'checksums', an incremental 'events'. */
const BACKUP_STEPS: readonly Step<BackupRun>[] = [
  {
    name: 'open',
    reported: false,
    // The store is only read, through a connection of its own: appends continue and nothing in it can be harmed.
    run: (s) => void (s.store = EventStore.open(s.request.storeDir, { readonly: true })),
    cleanup: (s) => s.store?.close(),
    cleanupWhen: 'always',
  },
  {
    name: 'lock',
    reported: false,
    run: async (s) => {
      await mkdir(s.destination, { recursive: true }).catch((error: unknown) => {
        throw translateDiskError(error, s.destination);
      });
      s.lock = await acquireDestinationLock(s.destination, `backup of ${s.store!.storeId}`);
    },
    cleanup: (s) => s.lock?.release(),
    cleanupWhen: 'always',
  },
  {
    // What to archive: a full snapshot, or the events after the newest archive of the chain.
    name: 'plan',
    reported: false,
    run: async (s) => {
      const plan = await planBackup(s.store!, s.destination, s.request.kind, s.request.fullWhenNoChain === true);
      if (plan.kind !== 'nothing-new') {
        s.plan = plan;
        return;
      }
      s.nothingNew = {
        created: false,
        reason: 'nothing-new',
        message: `nothing new since ${plan.base.name} (position ${plan.base.manifest.toPosition}): no archive written`,
        previous: plan.base.archive,
        headPosition: plan.head.position,
      };
      return STOP_RUN;
    },
  },
  {
    // Room for the staged members and the archive, checked before anything is written; members are staged in
    // a hidden folder inside the destination, so a full disk is the destination's, never the store's.
    name: 'prepare',
    run: async (s) => {
      const store = s.store!;
      const sizes = await sourceBytes(store, s.request.includeViews === true);
      const staged = s.base === undefined ? sizes.events + sizes.views : ndjsonBytes(store, s.base.manifest.toPosition, s.plan.head.position);
      await requireFreeSpace(s.destination, neededBytes(staged), `a ${s.plan.kind} backup of ${store.dir}`);
      s.staging = await mkdtemp(join(s.destination, `${TEMP_PREFIX}staging-`));
    },
    cleanup: async (s) => {
      if (s.staging !== undefined) await rm(s.staging, { recursive: true, force: true });
    },
    cleanupWhen: 'always',
  },
  {
    name: 'snapshot',
    when: (s) => s.plan.kind === 'full',
    run: async (s) => void (s.snapshot = await stageSnapshot(s.store!, s.staging!, { includeViews: s.request.includeViews === true, snapshot: s.request.snapshot }, s)),
  },
  {
    name: 'checksums',
    when: (s) => s.plan.kind === 'full',
    run: async (s) => void (s.staged = await checksumSnapshot(s.staging!, s.snapshot, s)),
  },
  {
    name: 'events',
    when: (s) => s.plan.kind === 'incremental',
    run: async (s) => void (s.staged = await stageIncremental(s.store!, s.staging!, s.base!, s.plan.head.position, s)),
  },
  {
    // Counted in 'archive'. The name is unique in the folder: two backups in the same second with the same
    // positions get the next second.
    name: 'manifest',
    reported: false,
    run: async (s) => {
      const store = s.store!;
      const { members, fromPosition, fromHash, toPosition, toHash } = s.staged;
      const kind = s.plan.kind;
      const encrypted = s.request.encryption.kind !== 'none';
      const nameAt = (createdAtMs: number) => formatArchiveName({ storeId: store.storeId, kind, fromPosition, toPosition, createdAtMs, encrypted });
      s.createdAtMs = s.clock();
      s.name = nameAt(s.createdAtMs);
      while ((await exists(s.archive)) || (await exists(sidecarPathOf(s.archive)))) s.name = nameAt((s.createdAtMs += 1000));
      s.manifest = {
        formatVersion: BACKUP_FORMAT_VERSION,
        storeId: store.storeId,
        kind,
        fromPosition,
        toPosition,
        fromHash,
        toHash,
        eventCount: toPosition - fromPosition,
        createdAt: new Date(s.createdAtMs).toISOString(),
        toolVersion: TOOL_VERSION,
        encryption: encryptionKindOf(s.request.encryption),
        members,
        ...(s.signingKey === undefined ? {} : { signingKeyId: signingKeyIdOf(s.signingKey) }),
      };
      s.manifestText = await stageManifest(s.staging!, s.manifest, s.signingKey);
    },
  },
  {
    // Manifest (and its signature) and checksums first, so a reader knows what to expect before the data; under a temporary name.
    name: 'archive',
    run: async (s) => {
      const members = s.staged.members;
      const packTotal = members.reduce((n, m) => n + m.bytes, 0);
      s.tempArchive = tempPathFor(s.archive, TEMP_PREFIX);
      ({ bytes: s.archiveBytes } = await writeArchive({
        stagingDir: s.staging!,
        members: ['manifest.json', ...(s.signingKey === undefined ? [] : ['manifest.sig']), 'SHA256SUMS', ...members.map((m) => m.name)],
        tempPath: s.tempArchive,
        encryption: s.request.encryption,
        compressionLevel: s.level,
        parallelism: s.request.parallelism,
        mtime: new Date(Math.floor(s.createdAtMs / 1000) * 1000),
        onPacked: (done) => s.progress({ phase: 'archiving', done: Math.min(done, packTotal), total: packTotal, unit: 'bytes' }),
        isCancelled: s.isCancelled,
      }));
    },
    cleanup: (s) => removeQuietly(s.tempArchive),
  },
  {
    // The archive fsynced, then renamed with its sidecar to their final names.
    name: 'publish',
    run: async (s) => {
      s.progress({ phase: 'syncing', done: 0, total: 1, unit: 'steps' });
      s.tempSidecar = tempPathFor(sidecarPathOf(s.archive), TEMP_PREFIX);
      await writeSynced(s.tempSidecar, s.manifestText);
      // Under the lock no other run of ours can have taken these names since they were checked.
      await publish([
        { from: s.tempArchive!, to: s.archive },
        { from: s.tempSidecar, to: sidecarPathOf(s.archive) },
      ]);
      s.tempArchive = undefined;
      s.tempSidecar = undefined;
      s.progress({ phase: 'syncing', done: 1, total: 1, unit: 'steps' });
    },
    cleanup: (s) => removeQuietly(s.tempSidecar),
  },
];

/**
 * Takes a backup of a store into a folder (DESIGN §7), as the steps above: the store is only read, members
 * are staged inside the destination, the archive is written under a temporary name, fsynced, and only then
 * renamed — with its sidecar — to its final name. On any failure or cancellation every temporary file is
 * removed: no file is ever left under a final name.
 */
export async function createBackup(request: CreateBackupRequest, ctx: BackupJobContext = {}): Promise<CreateBackupResult> {
  validateEncryption(request.encryption);
  const level = request.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  if (!Number.isInteger(level) || level < 1 || level > 9) throw new ConsoleError('INVALID_INPUT', 'compressionLevel must be a whole number from 1 to 9');
  const signingKey = request.signing === undefined ? undefined : parseSigningKey(request.signing.privateKeyPem);
  const s = new BackupRun(request, level, signingKey, ctx);
  s.progress({ phase: 'preparing', done: 0, total: null, unit: 'steps' });
  try {
    const run = await runSteps(BACKUP_STEPS, s, { isCancelled: s.isCancelled, cancelledMessage: CANCELLED });
    if (s.nothingNew !== undefined) return s.nothingNew;
    return {
      created: true,
      archive: s.archive,
      sidecar: sidecarPathOf(s.archive),
      manifest: s.manifest,
      archiveBytes: s.archiveBytes,
      continues: s.base?.archive ?? null,
      fellBackToFull: s.plan.kind === 'full' && s.plan.fellBackToFull,
      durationMs: run.totalMs,
      steps: run.steps,
    };
  } catch (error) {
    // Once the store is open, a full disk anywhere is reported as the destination's.
    throw s.store === undefined ? error : translateDiskError(error, s.destination);
  }
}
