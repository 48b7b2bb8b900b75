import { resolve } from 'node:path';
import { ConsoleError } from '../../shared/errors.js';
import type { DrillReport } from '../../shared/recovery.js';
import type { DecryptionKeyInput, TrustedKeyInput } from '../backup/index.js';
import { newestRestorable } from './chooseChain.js';
import { inspectStore } from './inspectStore.js';
import { runRecovery, type RecoveryContext } from './runRecovery.js';
import { confirmFromInside, resolveSources } from './sources.js';

export interface DrillRequest {
  /** The live store: its id picks the archives, its newest event shows what is not backed up yet. */
  readonly storeDir: string;
  /** The folder of archives to restore from. */
  readonly backupsDir: string;
  readonly keys?: DecryptionKeyInput;
  /** Every archive must be signed by this key (the store's trusted key, or the CLI's --trust-key). */
  readonly trustedKey?: TrustedKeyInput;
  /** Where the test restore is built (default: the system's temporary folder); it is deleted afterwards. */
  readonly scratchDir?: string;
  readonly rtoTargetMs?: number | null;
  readonly rpoTargetMs?: number | null;
}

/**
 * A recovery drill (issue 5 item 2): a test restore of the newest complete chain of the store's archives
 * into a scratch folder — the same steps and report as a restore, nothing written outside the scratch folder
 * (verification records beside the archives aside) — plus the recovery point achieved: the age of the newest
 * restored event when the drill ends. Archives after a gap are reported as warnings: they could not be restored.
 */
export async function runDrill(request: DrillRequest, ctx: RecoveryContext = {}): Promise<DrillReport> {
  const clock = ctx.clock ?? Date.now;
  const storeDir = resolve(request.storeDir);
  const current = inspectStore(storeDir);
  let sources = await resolveSources([request.backupsDir], request.keys);
  const ids = [...new Set(sources.entries.map((e) => e.manifest.storeId))].sort();
  let storeId: string;
  if (current.readable) storeId = current.storeId;
  else if (ids.length === 1) storeId = ids[0]!;
  else
    throw new ConsoleError(
      ids.length === 0 ? 'NOT_FOUND' : 'INVALID_INPUT',
      ids.length === 0 ? `no archives in ${resolve(request.backupsDir)}` : `${storeDir} cannot be read and ${resolve(request.backupsDir)} holds archives of ${ids.length} stores (${ids.join(', ')})`,
      { storeIds: ids },
    );
  if (!ids.includes(storeId)) throw new ConsoleError('NOT_FOUND', `no archive of store ${storeId} in ${resolve(request.backupsDir)}`, { storeId });
  let newest = newestRestorable(sources.entries, storeId);
  // Archives past the newest restorable point (a gap, or a sidecar that says so wrongly): their own manifests decide.
  if (newest === undefined || sources.entries.some((e) => e.manifest.storeId === storeId && e.archiveBytes !== null && e.manifest.toPosition > newest!.position)) {
    const inside = await confirmFromInside(sources, storeId, request.keys);
    if (inside.changed) {
      sources = inside.sources;
      newest = newestRestorable(sources.entries, storeId);
    }
  }
  // An archive of the store that cannot be read, past that point: the drill would prove less than the backups claim.
  const unread = sources.unreadable.filter((u) => u.storeId === storeId && u.toPosition > (newest?.position ?? 0));
  if (unread.length > 0)
    throw new ConsoleError(
      unread.every((u) => u.needsKey) ? 'INVALID_INPUT' : 'ARCHIVE_CORRUPT',
      `the drill cannot restore the newest archives of store ${storeId}: ${unread.map((u) => `${u.name} (positions ${u.fromPosition + 1}–${u.toPosition} by its name): ${u.reason}`).join('; ')}`,
      { reason: 'ARCHIVE_UNREADABLE', reachablePosition: newest?.position ?? 0, unreadable: unread.map((u) => ({ archive: u.archive, fromPosition: u.fromPosition, toPosition: u.toPosition, reason: u.reason })) },
    );
  if (newest === undefined)
    throw new ConsoleError('INTEGRITY_VIOLATION', `no chain of store ${storeId} in ${resolve(request.backupsDir)} starts with a full archive: nothing can be restored`, {
      reason: 'CHAIN_GAP',
      storeId,
    });
  const report = await runRecovery(
    {
      sources: [request.backupsDir],
      target: { kind: 'position', position: newest.position },
      mode: 'dry-run',
      storeDir: current.readable || current.exists ? storeDir : undefined,
      storeId,
      scratchDir: request.scratchDir,
      keys: request.keys,
      trustedKey: request.trustedKey,
    },
    { ...ctx, clock },
  );
  const end = clock();
  const rpoMs = Math.max(0, end - (report.headRecordedAt === null ? end : Date.parse(report.headRecordedAt)));
  const rtoTargetMs = request.rtoTargetMs ?? null;
  const rpoTargetMs = request.rpoTargetMs ?? null;
  return {
    ...report,
    finishedAt: new Date(end).toISOString(),
    rpoMs,
    rtoTargetMs,
    rpoTargetMs,
    rtoMet: rtoTargetMs === null ? null : report.rtoMs <= rtoTargetMs,
    rpoMet: rpoTargetMs === null ? null : rpoMs <= rpoTargetMs,
  };
}
