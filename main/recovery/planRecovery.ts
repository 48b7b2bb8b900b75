import { ConsoleError } from '../../shared/errors.js';
import type { RecoveryPlan, RecoveryTarget } from '../../shared/recovery.js';
import type { DecryptionKeyInput } from '../backup/index.js';
import { chooseChain } from './chooseChain.js';
import { resolveSources, type ResolvedSources } from './sources.js';
import { resolve } from 'node:path';
import { inspectStore, type StoreIdentity } from './inspectStore.js';

export interface PlanRequest {
  /** Archives, sidecars, verification records or folders of archives. */
  readonly sources: readonly string[];
  readonly target: RecoveryTarget;
  /** The store whose archives to use; else `currentStoreId`; else the only store in the sources. */
  readonly storeId?: string;
  /** The id of the store being replaced, when it can be read. */
  readonly currentStoreId?: string;
  /** Only needed for an encrypted archive whose sidecar is missing. */
  readonly keys?: DecryptionKeyInput;
}

/**
 * The restore plan (issue 5 item 1): reads the sidecars of the sources (no key needed), picks the store,
 * finds its chains and chooses the shortest one that reaches the target. Refuses a target beyond a gap with
 * INTEGRITY_VIOLATION naming the missing range (details.reason CHAIN_GAP) — before anything is written.
 */
export async function planRecovery(request: PlanRequest): Promise<RecoveryPlan> {
  const sources = await resolveSources(request.sources, request.keys);
  const storeId = storeToRestore(request, sources);
  const plan = chooseChain(sources.entries, storeId, request.target, sources.withoutSidecar);
  const otherWarnings = sources.warnings.filter((w) => !plan.warnings.includes(w));
  return otherWarnings.length === 0 ? plan : { ...plan, warnings: [...plan.warnings, ...otherWarnings] };
}

/**
 * Whose archives a recovery uses: the store named, else the current store (refusing archives that are all
 * another store's), else the only store in the sources. NOT_FOUND when the sources hold no archive.
 */
export function storeToRestore(request: Pick<PlanRequest, 'sources' | 'storeId' | 'currentStoreId'>, sources: Pick<ResolvedSources, 'entries' | 'warnings'>): string {
  const ids = [...new Set(sources.entries.map((e) => e.manifest.storeId))].sort();
  if (ids.length === 0) throw new ConsoleError('NOT_FOUND', `no archives found in ${request.sources.join(', ')}${sources.warnings.length > 0 ? `: ${sources.warnings.join('; ')}` : ''}`);
  if (request.storeId !== undefined) {
    if (!ids.includes(request.storeId)) throw new ConsoleError('NOT_FOUND', `no archive of store ${request.storeId} in the sources (they hold ${ids.join(', ')})`, { storeIds: ids });
    return request.storeId;
  }
  if (request.currentStoreId !== undefined) {
    if (!ids.includes(request.currentStoreId))
      throw new ConsoleError(
        'INVALID_INPUT',
        `the archives belong to store ${ids.join(', ')}, not to this store (${request.currentStoreId}): name the store id explicitly to restore another store's archives here`,
        { storeIds: ids, currentStoreId: request.currentStoreId },
      );
    return request.currentStoreId;
  }
  if (ids.length === 1) return ids[0]!;
  throw new ConsoleError('INVALID_INPUT', `the sources hold archives of ${ids.length} stores (${ids.join(', ')}): name the archives of one store, or its id`, { storeIds: ids });
}

/**
 * The plan for restoring the store in `storeDir` (when named): the store is inspected without being changed,
 * and its id, when it can be read, picks its archives among the sources. The inspection is returned too:
 * its head is what the restore's report compares against.
 */
export async function planForStore(request: Omit<PlanRequest, 'currentStoreId'> & { readonly storeDir?: string }): Promise<{ plan: RecoveryPlan; current: StoreIdentity | undefined }> {
  const current = request.storeDir === undefined ? undefined : inspectStore(resolve(request.storeDir));
  const plan = await planRecovery({
    sources: request.sources,
    target: request.target,
    storeId: request.storeId,
    currentStoreId: current?.readable === true ? current.storeId : undefined,
    keys: request.keys,
  });
  return { plan, current };
}
