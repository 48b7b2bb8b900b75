import { stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RetentionPlan, RetentionPolicy } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { sidecarPathOf, verificationPathOf } from './archiveName.js';
import { listCatalog } from './catalog.js';
import { acquireDestinationLock } from './destinationLock.js';
import { fsyncDirectory } from '../platform/index.js';
import { planRetention } from './retention.js';

export interface PruneRequest {
  readonly dir: string;
  readonly policy: RetentionPolicy;
  /** Only this store's archives (default: every store in the folder, each planned on its own). */
  readonly storeId?: string;
  /** Plan only; delete nothing. */
  readonly dryRun?: boolean;
}

export interface PruneResult {
  readonly dir: string;
  readonly plans: ReadonlyArray<{ readonly storeId: string; readonly plan: RetentionPlan }>;
  readonly removed: readonly string[];
  readonly bytesFreed: number;
  readonly dryRun: boolean;
}

/**
 * Applies a retention policy to a backup folder under its lock (so no backup is continuing a chain while
 * links are removed). Each removed archive loses its verification record, the archive and its sidecar, in
 * that order: an interrupted prune leaves at worst a sidecar whose archive the catalog reports missing.
 */
export async function pruneBackups(request: PruneRequest): Promise<PruneResult> {
  const dir = resolve(request.dir);
  if (request.dryRun !== true) await requireFolder(dir);
  const lock = request.dryRun === true ? undefined : await acquireDestinationLock(dir, 'prune');
  try {
    const catalog = await listCatalog(dir);
    const stores = [...new Set(catalog.entries.map((e) => e.manifest.storeId))].filter((s) => request.storeId === undefined || s === request.storeId).sort();
    const plans = stores.map((storeId) => ({ storeId, plan: planRetention(catalog.entries.filter((e) => e.manifest.storeId === storeId), request.policy) }));
    const removed: string[] = [];
    let bytesFreed = 0;
    if (request.dryRun !== true) {
      for (const { plan } of plans) {
        for (const archive of plan.prune) {
          const entry = catalog.entries.find((e) => e.archive === archive)!;
          for (const path of [verificationPathOf(archive), archive, sidecarPathOf(archive)]) await unlink(path).catch(() => undefined);
          removed.push(archive);
          bytesFreed += entry.archiveBytes ?? 0;
        }
      }
      if (removed.length > 0) await fsyncDirectory(dirname(removed[0]!));
    }
    return { dir, plans, removed, bytesFreed, dryRun: request.dryRun === true };
  } finally {
    lock?.release();
  }
}

/** A prune's folder must exist to be locked: a missing one (or a file) is the admin's to correct, not INTERNAL. */
async function requireFolder(dir: string): Promise<void> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(dir)).isDirectory();
  } catch (error) {
    throw new ConsoleError('NOT_FOUND', `the backup folder ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): nothing was pruned`, { path: dir });
  }
  if (!isFolder) throw new ConsoleError('INVALID_INPUT', `${dir} is not a folder: nothing was pruned`, { path: dir });
}
