import type { CatalogEntry } from '../../shared/backup.js';

export interface RpoStatus {
  /** The newest archive of the store, and the newest one whose last verification passed. */
  readonly newest: { readonly archive: string; readonly createdAt: string; readonly ageMs: number } | null;
  readonly newestVerified: { readonly archive: string; readonly createdAt: string; readonly ageMs: number } | null;
  readonly targetMs: number | null;
  /** The newest verified backup is older than the target (or there is none); null without a target. */
  readonly breached: boolean | null;
}

/**
 * The RPO indicator of the Backups page and Overview (pure): how old the newest verified backup of a store
 * is, against the target. An unverified archive is shown but does not count: it is not known to restore.
 */
export function rpoStatus(entries: readonly CatalogEntry[], storeId: string, now: number, targetMinutes: number | null): RpoStatus {
  const mine = entries.filter((e) => e.manifest.storeId === storeId && e.archiveBytes !== null).sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
  const describe = (e: CatalogEntry | undefined) => (e === undefined ? null : { archive: e.archive, createdAt: e.manifest.createdAt, ageMs: now - Date.parse(e.manifest.createdAt) });
  const newestVerified = describe(mine.find((e) => e.verified));
  const targetMs = targetMinutes === null ? null : targetMinutes * 60_000;
  return {
    newest: describe(mine[0]),
    newestVerified,
    targetMs,
    breached: targetMs === null ? null : newestVerified === null || newestVerified.ageMs > targetMs,
  };
}
