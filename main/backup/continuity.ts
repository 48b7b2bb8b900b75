import { dirname } from 'node:path';
import type { BackupManifest, ContinuityState } from '../../shared/backup.js';
import { listCatalog } from './catalog.js';

/** The archive an incremental continues, as a caller knows it. */
export interface PreviousLink {
  readonly archive: string;
  readonly toPosition: number;
  readonly toHash: string;
}

/**
 * How an incremental joins the link before it: `ok` when an archive ends exactly at its fromPosition with
 * its fromHash, `broken` when archives end there with another hash, `unknown` when none ends there.
 */
export async function checkContinuity(
  archive: string,
  manifest: BackupManifest,
  previous: 'folder' | PreviousLink,
): Promise<{ continuity: ContinuityState; previousArchive: string | null }> {
  if (previous !== 'folder') {
    if (previous.toPosition !== manifest.fromPosition) return { continuity: 'unknown', previousArchive: null };
    return previous.toHash === manifest.fromHash ? { continuity: 'ok', previousArchive: previous.archive } : { continuity: 'broken', previousArchive: null };
  }
  let entries;
  try {
    entries = (await listCatalog(dirname(archive))).entries;
  } catch {
    return { continuity: 'unknown', previousArchive: null };
  }
  const ending = entries.filter((e) => e.archive !== archive && e.manifest.storeId === manifest.storeId && e.manifest.toPosition === manifest.fromPosition);
  const matching = ending.filter((e) => e.manifest.toHash === manifest.fromHash).sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
  if (matching.length > 0) return { continuity: 'ok', previousArchive: matching[0]!.archive };
  return { continuity: ending.length > 0 ? 'broken' : 'unknown', previousArchive: null };
}
