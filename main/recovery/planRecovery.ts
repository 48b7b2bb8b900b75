import { resolve } from 'node:path';
import { ConsoleError } from '../../shared/errors.js';
import type { RecoveryPlan, RecoveryTarget } from '../../shared/recovery.js';
import type { DecryptionKeyInput } from '../backup/index.js';
import { chooseChain } from './chooseChain.js';
import { inspectStore, type StoreIdentity } from './inspectStore.js';
import { confirmFromInside, resolveSources, type ResolvedSources, type UnreadableArchive } from './sources.js';

export interface PlanRequest {
  /** Archives, sidecars, verification records or folders of archives. */
  readonly sources: readonly string[];
  readonly target: RecoveryTarget;
  /** The store whose archives to use; else `currentStoreId`; else the only store in the sources. */
  readonly storeId?: string;
  /** The id of the store being replaced, when it can be read. */
  readonly currentStoreId?: string;
  /** Needed for an encrypted archive whose sidecar is missing or unreadable (or to check an encrypted sidecar's word). */
  readonly keys?: DecryptionKeyInput;
  /**
   * A preview (the wizard's plan, made before any key is asked for): an encrypted archive that cannot be
   * listed without its key is a warning, since the validation with the key will read it. Otherwise (a
   * restore, a validation, a drill) a target it might reach is refused until the key is given.
   */
  readonly preview?: boolean;
}

/** A plan and the sources it was made from (as far as they were read: a sidecar found wrong is replaced by the manifest inside). */
export interface PlannedSources {
  readonly plan: RecoveryPlan;
  readonly sources: ResolvedSources;
}

/**
 * The restore plan (issue 5 item 1): reads the sidecars of the sources (no key needed), picks the store,
 * finds its chains and chooses the shortest one that reaches the target. Refuses a target beyond a gap with
 * INTEGRITY_VIOLATION naming the missing range (details.reason CHAIN_GAP) — before anything is written.
 */
export async function planRecovery(request: PlanRequest): Promise<RecoveryPlan> {
  return (await planWithSources(request)).plan;
}

export async function planWithSources(request: PlanRequest): Promise<PlannedSources> {
  const sources = await resolveSources(request.sources, request.keys);
  const storeId = storeToRestore(request, sources);
  return planFrom(sources, storeId, request.target, request);
}

const isRefusal = (error: unknown) =>
  error instanceof ConsoleError && ((error.code === 'INTEGRITY_VIOLATION' && error.details?.reason === 'CHAIN_GAP') || error.code === 'NOT_FOUND');

/**
 * The plan for `target` from resolved sources (issue 9 class 3). Sidecars are read for speed, and a plan made
 * from them is confirmed when its archives are validated (validatePlan); but before a target is refused,
 * each archive listed from its sidecar is opened (as far as the keys allow) and its own manifest.json
 * replaces a sidecar that disagrees with it: a wrong sidecar never makes a target look unreachable. An
 * archive that cannot be read at all is not passed over either: "latest", or a time, that it might reach
 * further is refused naming it, what its sidecar and the manifest inside said (ARCHIVE_CORRUPT, or
 * INVALID_INPUT when its key is missing).
 */
export async function planFrom(sources: ResolvedSources, storeId: string, target: RecoveryTarget, options: Pick<PlanRequest, 'keys' | 'preview'> = {}): Promise<PlannedSources> {
  let current = sources;
  let confirmed = false;
  for (;;) {
    let plan: RecoveryPlan;
    try {
      plan = chooseChain(current.entries, storeId, target, current.withoutSidecar);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      if (!confirmed) {
        confirmed = true;
        const inside = await confirmFromInside(current, storeId, options.keys);
        current = inside.sources;
        if (inside.changed) continue;
      }
      throw withUnreadable(error as ConsoleError, current.unreadable.filter((u) => u.storeId === storeId));
    }
    refuseUnreached(plan, current, storeId, options.preview === true);
    const extra = current.warnings.filter((w) => !plan.warnings.includes(w));
    return { plan: extra.length === 0 ? plan : { ...plan, warnings: [...plan.warnings, ...extra] }, sources: current };
  }
}

function describe(u: UnreadableArchive): string {
  return `${u.name} (${u.kind === 'full' ? 'a full archive' : 'an incremental'} of positions ${u.fromPosition + 1}–${u.toPosition} by its name): ${u.reason}`;
}

/** A refusal that names the archives which might have closed the gap but cannot be read. */
function withUnreadable(error: ConsoleError, unreadable: readonly UnreadableArchive[]): ConsoleError {
  if (unreadable.length === 0) return error;
  return new ConsoleError(error.code, `${error.message}; and ${unreadable.length === 1 ? 'an archive' : `${unreadable.length} archives`} that cannot be read: ${unreadable.map(describe).join('; ')}`, {
    ...error.details,
    unreadable: unreadable.map((u) => ({ archive: u.archive, fromPosition: u.fromPosition, toPosition: u.toPosition, reason: u.reason })),
  });
}

/**
 * "latest" and time targets depend on every archive of the store: one that cannot be read but whose name says
 * it goes further than the plan (or, for a time, holds events after the plan's last archive when that one was
 * made before the time) makes the plan fall short of the target, which is refused rather than restored short.
 */
function refuseUnreached(plan: RecoveryPlan, sources: ResolvedSources, storeId: string, preview: boolean): void {
  const target = plan.target;
  if (target.kind === 'position') return; // the plan reaches it exactly, or chooseChain refused it
  const last = plan.continuation[plan.continuation.length - 1] ?? plan.links[plan.links.length - 1]!;
  const newestSecond = plan.newestArchive === null ? 0 : Math.floor(Date.parse(plan.newestArchive.createdAt) / 1000) * 1000;
  const blocking = sources.unreadable.filter((u) => {
    if (u.storeId !== storeId || (preview && u.needsKey)) return false;
    if (target.kind === 'latest') return u.toPosition > (plan.position ?? 0) || Date.parse(u.createdAtSecond) > newestSecond;
    return Date.parse(last.createdAt) <= Date.parse(target.at) && u.toPosition > last.toPosition;
  });
  if (blocking.length === 0) return;
  const what = target.kind === 'latest' ? `the newest point of store ${storeId}` : `the state at ${target.at}`;
  const reach = target.kind === 'latest' ? plan.position : last.toPosition;
  const needsKey = blocking.every((u) => u.needsKey);
  throw new ConsoleError(
    needsKey ? 'INVALID_INPUT' : 'ARCHIVE_CORRUPT',
    `cannot restore ${what}: ${blocking.map(describe).join('; ')}. The archives that can be read reach position ${reach}; ` +
      (needsKey ? 'give the key of the encrypted archives' : `restore up to ${reach} by naming that position, or repair or replace ${blocking.length === 1 ? 'that archive' : 'those archives'}`),
    {
      reason: 'ARCHIVE_UNREADABLE',
      reachablePosition: reach,
      unreadable: blocking.map((u) => ({ archive: u.archive, fromPosition: u.fromPosition, toPosition: u.toPosition, reason: u.reason })),
    },
  );
}

/**
 * Whose archives a recovery uses: the store named, else the current store (refusing archives that are all
 * another store's), else the only store in the sources. NOT_FOUND when the sources hold no archive.
 */
export function storeToRestore(request: Pick<PlanRequest, 'sources' | 'storeId' | 'currentStoreId'>, sources: Pick<ResolvedSources, 'entries' | 'warnings'> & { readonly unreadable?: readonly UnreadableArchive[] }): string {
  const ids = [...new Set(sources.entries.map((e) => e.manifest.storeId))].sort();
  if (ids.length === 0) {
    const unreadable = sources.unreadable ?? [];
    // Archives are there, but none could be read: say which and why (the same refusal as a target they would reach).
    if (unreadable.length > 0 && (request.storeId === undefined || unreadable.some((u) => u.storeId === request.storeId)))
      throw new ConsoleError(
        unreadable.every((u) => u.needsKey) ? 'INVALID_INPUT' : 'ARCHIVE_CORRUPT',
        `no archive in ${request.sources.join(', ')} can be read: ${unreadable.map(describe).join('; ')}`,
        { reason: 'ARCHIVE_UNREADABLE', unreadable: unreadable.map((u) => ({ archive: u.archive, fromPosition: u.fromPosition, toPosition: u.toPosition, reason: u.reason })) },
      );
    throw new ConsoleError('NOT_FOUND', `no archives found in ${request.sources.join(', ')}${sources.warnings.length > 0 ? `: ${sources.warnings.join('; ')}` : ''}`);
  }
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
export async function planForStore(request: Omit<PlanRequest, 'currentStoreId'> & { readonly storeDir?: string }): Promise<PlannedSources & { current: StoreIdentity | undefined }> {
  const current = request.storeDir === undefined ? undefined : inspectStore(resolve(request.storeDir));
  const planned = await planWithSources({
    sources: request.sources,
    target: request.target,
    storeId: request.storeId,
    currentStoreId: current?.readable === true ? current.storeId : undefined,
    keys: request.keys,
    preview: request.preview,
  });
  return { ...planned, current };
}
