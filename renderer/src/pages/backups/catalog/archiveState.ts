import type { BackupCatalog, BackupFolder } from '../../../../../shared/api/backupTypes.js';
import type { BackupChain, CatalogEntry, CatalogProblem } from '../../../../../shared/backup.js';
import { formatCount } from '../../../format/numbers.js';

/** What the catalog knows of an archive's last verification. */
export type ArchiveState = 'verified' | 'failed' | 'stale' | 'unverified' | 'missing';

export function archiveState(entry: CatalogEntry): ArchiveState {
  if (entry.archiveBytes === null) return 'missing';
  const v = entry.verification;
  if (v === null) return 'unverified';
  if (v.stale) return 'stale';
  return v.ok ? 'verified' : 'failed';
}

export const STATE_LABELS: Readonly<Record<ArchiveState, string>> = {
  verified: 'Verified',
  failed: 'Verify failed',
  stale: 'Changed since verified',
  unverified: 'Not verified',
  missing: 'File missing',
};

export const STATE_TONES: Readonly<Record<ArchiveState, 'ok' | 'bad' | 'warn' | 'neutral'>> = {
  verified: 'ok',
  failed: 'bad',
  stale: 'warn',
  unverified: 'neutral',
  missing: 'bad',
};

/** "1 – 20,000": the positions an archive holds ((from, to] as the admin counts them). */
export function positionRange(entry: CatalogEntry): string {
  const { fromPosition, toPosition } = entry.manifest;
  return toPosition === fromPosition ? `none after ${formatCount(fromPosition)}` : `${formatCount(fromPosition + 1)} – ${formatCount(toPosition)}`;
}

/** Why a chain cannot restore everything it holds, in a few words; null for a complete chain without gaps. */
export function chainProblem(chain: BackupChain): string | null {
  if (chain.links[0]?.manifest.kind !== 'full') return 'no full archive to start from';
  if (chain.gaps.length > 0)
    return chain.gaps.length === 1
      ? `${chain.gaps[0]!.kind === 'diverged' ? 'diverged' : 'gap'} after #${formatCount(chain.gaps[0]!.afterPosition)}`
      : `${formatCount(chain.gaps.length)} gaps`;
  return chain.complete ? null : 'incomplete';
}

/** The archives a restore to the end of `archive` reads: its chain's links up to it (and past no gap). */
export function restoreSet(chain: BackupChain, archive: string): readonly string[] {
  const at = chain.links.findIndex((l) => l.archive === archive);
  return at < 0 ? [archive] : chain.links.slice(0, at + 1).map((l) => l.archive);
}

/**
 * A folder the server could not list at all (often a schedule's destination before its first backup) is
 * reported as a problem of the folder itself: told apart from files in it that could not be read.
 */
export function folderProblem(folder: BackupFolder): CatalogProblem | undefined {
  return folder.problems.find((p) => p.path === folder.dir);
}

export function fileProblems(folder: BackupFolder): readonly CatalogProblem[] {
  return folder.problems.filter((p) => p.path !== folder.dir);
}

/** The archives of the open store in every folder of the catalog (other stores' archives left out). */
export function storeArchives(catalog: BackupCatalog): CatalogEntry[] {
  return catalog.folders.flatMap((f) => f.entries.filter((e) => e.manifest.storeId === catalog.storeId));
}
