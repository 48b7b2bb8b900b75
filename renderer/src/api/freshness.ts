import type { Query, QueryClient } from '@tanstack/react-query';
import type { MethodName } from '../../../shared/api/contract.js';
import type { Changes } from '../../../shared/api/define.js';

/**
 * Keeping screens fresh, derived from the contract: every query declares the data domains it reads, every
 * command and job what it changes (shared/api/define.ts). When something changed, the queries that read it
 * are invalidated here (react-query refetches those on screen, the others when they are next shown). This is
 * the only table of refresh rules: a misspelt method or domain does not compile.
 */

/**
 * The contract, loaded with the first refresh rather than with the first screen: its module holds every
 * entry's zod schema, which the first screen does not need (the pages with forms load it anyway).
 */
const loadContract = () => import('../../../shared/api/contract.js');

/** Loads the contract ahead of the first refresh (once the first screen is drawn), so that refresh does not wait for it. */
export function preloadContract(): void {
  void loadContract();
}

/** What changed: some domains (or everything), or whatever a contract entry changes (`{ as: 'backup.runNow' }`). */
export type ChangeSource = Changes | { readonly as: MethodName };

/** An append (from this console, the CLI or an application) changes what `events.append` changes. */
export const APPEND_CHANGES: ChangeSource = { as: 'events.append' };

/**
 * Meta of a query whose answer appends cannot change: a block of fixed positions of the log (pages/streams/
 * eventPages.ts, Overview's newest events below a given head). The head moving leaves such queries alone
 * (refetching every visible block once a second while events pour in would fetch the same rows again and
 * again); the block that was the log's end when fetched is refetched by eventPages itself once the total
 * says it has grown. Any other change (a restore: `everything`) invalidates them like any query.
 */
export const UNCHANGED_BY_APPENDS = { unchangedByAppends: true } as const;

export interface RefreshOptions {
  /** What caused it: `append` leaves the queries marked UNCHANGED_BY_APPENDS alone. */
  readonly cause?: 'change' | 'append';
  /**
   * Let a refetch already under way finish rather than start it again: for refreshes that come often (the
   * live head), where restarting would keep a slow query (a long list's pages) from ever finishing.
   */
  readonly keepRunningFetches?: boolean;
}

function isEntry(source: ChangeSource): source is { readonly as: MethodName } {
  return typeof source === 'object' && !Array.isArray(source);
}

/** The domains a change source names. */
export async function changesOf(source: ChangeSource): Promise<Changes> {
  if (!isEntry(source)) return source;
  const { contract } = await loadContract();
  return contract[source.as].changes;
}

/** Which cached queries are stale once `changes` happened (a query key's head is its contract method: api/hooks.ts queryKey). */
export async function staleQueries(source: ChangeSource, options: RefreshOptions = {}): Promise<(query: Query) => boolean> {
  const [{ queriesStaleAfter }, changes] = await Promise.all([loadContract(), changesOf(source)]);
  const stale = new Set<string>(queriesStaleAfter(changes));
  const appended = options.cause === 'append';
  return (query) => {
    const method = query.queryKey[0];
    return typeof method === 'string' && stale.has(method) && !(appended && query.meta?.unchangedByAppends === true);
  };
}

/** Invalidates every cached query that reads what `source` changed. */
export async function refreshAfter(queryClient: QueryClient, source: ChangeSource, options: RefreshOptions = {}): Promise<void> {
  if (!isEntry(source) && source !== 'everything' && source.length === 0) return;
  const predicate = await staleQueries(source, options);
  await queryClient.invalidateQueries({ predicate }, { cancelRefetch: options.keepRunningFetches !== true });
}

/** After a call succeeded: a command's changes are done (a job's come when it ends: refreshAfterJob). */
export async function refreshAfterCall(queryClient: QueryClient, method: MethodName): Promise<void> {
  const { contract } = await loadContract();
  if (contract[method].kind === 'command') await refreshAfter(queryClient, { as: method });
}

/** After a job ended, whatever its outcome (a failed restore may have swapped the store; a failed verify recorded its finding). */
export async function refreshAfterJob(queryClient: QueryClient, kind: string): Promise<void> {
  // A job's kind is the contract method that started it; a kind this build does not know changed nothing it shows.
  const { isMethodName } = await loadContract();
  if (isMethodName(kind)) await refreshAfter(queryClient, { as: kind });
}

/** The refresh after events were appended (the live head moved). */
export function refreshAfterAppends(queryClient: QueryClient): Promise<void> {
  return refreshAfter(queryClient, APPEND_CHANGES, { cause: 'append', keepRunningFetches: true });
}

export interface Throttle {
  /** Runs once the delay has passed and the last run is at least the interval ago; calls meanwhile collapse into that run. */
  call(): void;
  cancel(): void;
}

export interface Timers {
  readonly now: () => number;
  readonly setTimeout: (run: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * Runs `run` at most once per `intervalMs`, each run at least `delayMs` after the call that asked for it
 * (what caused the call settles first); calls while a run is pending collapse into it.
 */
export function throttle(run: () => void, intervalMs: number, delayMs = 0, timers: Timers = realTimers): Throttle {
  let last = Number.NEGATIVE_INFINITY;
  let pending: unknown;
  const fire = () => {
    pending = undefined;
    last = timers.now();
    run();
  };
  return {
    call() {
      if (pending !== undefined) return;
      const wait = Math.max(delayMs, intervalMs - (timers.now() - last));
      if (wait <= 0) fire();
      else pending = timers.setTimeout(fire, wait);
    },
    cancel() {
      if (pending !== undefined) timers.clearTimeout(pending);
      pending = undefined;
    },
  };
}
