import { existsSync } from 'node:fs';
import type { BackupCatalog, RpoIndicator } from '../../../shared/api/backupTypes.js';
import { buildChains, listCatalog, rpoStatus } from '../../backup/index.js';
import type { ConsoleHost } from '../../host/index.js';

// The catalog of the open store's backup folders and its RPO indicator: the Backups page, Overview and
// the status bar read it.

/** The tightest RPO target of the enabled schedules, in minutes. */
function rpoTarget(host: ConsoleHost): number | null {
  const targets = host.scheduler
    .listSchedules()
    .filter((s) => s.enabled && s.rpoMinutes !== null)
    .map((s) => s.rpoMinutes!);
  return targets.length === 0 ? null : Math.min(...targets);
}

export async function backupCatalog(host: ConsoleHost): Promise<BackupCatalog> {
  const folders = await Promise.all(
    host.backupFolders().map(async (dir) => {
      // A schedule's destination before its first run does not exist yet: an empty folder, not a fault.
      if (!existsSync(dir)) return { dir, entries: [], problems: [], chains: [], missing: true };
      const catalog = await host.catalogOf(dir, () =>
        listCatalog(dir).catch((error: unknown) => ({
          dir,
          entries: [],
          problems: [{ path: dir, code: 'ARCHIVE_CORRUPT' as const, message: `cannot list ${dir}: ${(error as Error).message}` }],
        })),
      );
      return { ...catalog, chains: buildChains(catalog.entries.filter((e) => e.manifest.storeId === host.store.storeId)), missing: false };
    }),
  );
  return { storeId: host.store.storeId, folders, rpo: rpoIndicator(host, folders.flatMap((f) => f.entries)) };
}

export function rpoIndicator(host: ConsoleHost, entries: Parameters<typeof rpoStatus>[0]): RpoIndicator {
  const target = rpoTarget(host);
  const status = rpoStatus(entries, host.store.storeId, host.clock(), target);
  const age = status.newestVerified?.ageMs;
  const state: RpoIndicator['state'] =
    status.targetMs === null ? 'none' : age === undefined || status.breached === true ? 'red' : age > status.targetMs * 0.8 ? 'amber' : 'green';
  return {
    newestVerifiedAt: status.newestVerified?.createdAt ?? null,
    newestVerifiedArchive: status.newestVerified?.archive ?? null,
    newestAt: status.newest?.createdAt ?? null,
    targetMinutes: target,
    state,
  };
}
