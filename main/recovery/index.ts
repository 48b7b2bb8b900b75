/**
 * The recovery engine's public surface (issue 5), for the API handlers, the console host and the CLI.
 * Long operations also exist as worker jobs in main/workers/jobTable.ts: runJob('recoveryValidate' |
 * 'recoveryRun' | 'recoveryDrill', …) with RecoveryProgress and cancellation.
 *
 * The wizard's flow: planRecovery (sidecars only, fast, no key) → validateRecovery (every archive verified)
 * → runRecovery mode 'dry-run' (what the store will hold and what is left out) → close the store →
 * runRecovery mode 'in-place' → reopen the store. listPreRestoreStores / discardPreRestoreStore manage the
 * stores set aside. completeInterruptedSwap runs at every EventStore.open/create.
 */
export { planRecovery, storeToRestore, type PlanRequest } from './planRecovery.js';
export { validateRecovery, type ValidateRecoveryRequest } from './validateRecovery.js';
export { runRecovery, parseRecoveryRequest, type RecoveryRequest, type RecoveryContext, type RecoveryHooks } from './runRecovery.js';
export { listPreRestoreStores, discardPreRestoreStore } from './preRestore.js';
export { completeInterruptedSwap, type SwapRecovery } from '../store/index.js';
export { runDrill, type DrillRequest } from './runDrill.js';
export { DrillScheduler, defaultReadKeys, type DrillRunner, type DrillSchedulerEvent, type DrillSchedulerOptions } from './drillScheduler.js';
export { drillWarning } from './drillWarning.js';
export { readDrillPolicy, listDrills, lastDrills, insertDrill, finishDrill } from './drillRepository.js';
export { inspectStore, type StoreIdentity } from './inspectStore.js';
export { resolveSources, type ResolvedSources } from './sources.js';
export { validationError } from './validateLinks.js';

import type { DecryptionKeyInput } from '../backup/index.js';
import type { RecoveryProgress, RecoveryReport, RecoveryTarget } from '../../shared/recovery.js';
import { runRecovery, type RecoveryHooks } from './runRecovery.js';

/**
 * Restores the store at `storeDir` in place from `sources` (the console's "restore" step). The caller must
 * have closed the store (and everything beside it: views, live feed, schedulers) and reopens it afterwards;
 * the store as it was is kept as `<store>.pre-restore-<UTC time>`.
 */
export function restoreInPlace(
  storeDir: string,
  request: { readonly sources: readonly string[]; readonly target: RecoveryTarget; readonly keys?: DecryptionKeyInput; readonly storeId?: string; readonly failedAt?: string },
  ctx: { readonly onProgress?: (p: RecoveryProgress) => void; readonly isCancelled?: () => boolean; readonly hooks?: RecoveryHooks } = {},
): Promise<RecoveryReport> {
  return runRecovery({ ...request, mode: 'in-place', storeDir }, ctx);
}

export { openForInspection } from './inspectStore.js';
