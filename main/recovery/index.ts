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
import type { planRecovery as planRecoveryNow } from './planRecovery.js';
import type { runDrill as runDrillNow } from './runDrill.js';
import type { runRecovery as runRecoveryNow } from './runRecovery.js';
import type { resolveSources as resolveSourcesNow } from './sources.js';
import type { validateRecovery as validateRecoveryNow } from './validateRecovery.js';

// Plans, restores and drills load on first use: the console host keeps only the drill schedule and the
// stores set aside in memory, and a CLI command that restores nothing never loads the restore code.
export const planRecovery: typeof planRecoveryNow = async (...args) => (await import('./planRecovery.js')).planRecovery(...args);
export const validateRecovery: typeof validateRecoveryNow = async (...args) => (await import('./validateRecovery.js')).validateRecovery(...args);
export const runRecovery: typeof runRecoveryNow = async (...args) => (await import('./runRecovery.js')).runRecovery(...args);
export const runDrill: typeof runDrillNow = async (...args) => (await import('./runDrill.js')).runDrill(...args);
export const resolveSources: typeof resolveSourcesNow = async (...args) => (await import('./sources.js')).resolveSources(...args);
export { storeToRestore, type PlanRequest } from './planRecovery.js';
export { validationError } from './validateLinks.js';
export { type ValidateRecoveryRequest } from './validateRecovery.js';
export { type RecoveryRequest, type RecoveryContext, type RecoveryHooks } from './runRecovery.js';
export { listPreRestoreStores, discardPreRestoreStore } from './preRestore.js';
export { completeInterruptedSwap, type SwapRecovery } from '../store/index.js';
export { type DrillRequest } from './runDrill.js';
export { DrillScheduler, defaultReadKeys, type DrillOverrides, type DrillRunner, type DrillSchedulerEvent, type DrillSchedulerOptions } from './drillScheduler.js';
export { drillWarning } from './drillWarning.js';
export { readDrillPolicy, listDrills, lastDrills } from './drillRepository.js';
export { inspectStore, type StoreIdentity } from './inspectStore.js';
export { type ResolvedSources } from './sources.js';

import type { DecryptionKeyInput } from '../backup/index.js';
import type { RecoveryProgress, RecoveryReport, RecoveryTarget } from '../../shared/recovery.js';
import type { RecoveryHooks } from './runRecovery.js';

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
