import type { SessionInfo, StoreProblem } from '../../../shared/api/types.js';
import { useApiQuery } from '../api/hooks.js';

/**
 * Whether the console's store is open, as session.info says: `open` (pages read it), `unavailable` (the
 * console runs without it: only Recovery works, every other page explains why), or `unknown` until the
 * session is read (pages wait rather than ask the store and flash errors).
 */
export type StoreState =
  | { readonly kind: 'unknown'; readonly session: undefined; readonly error: Error | null }
  | { readonly kind: 'open'; readonly session: SessionInfo }
  | { readonly kind: 'unavailable'; readonly session: SessionInfo; readonly problem: StoreProblem };

export function useStoreState(): StoreState {
  const session = useApiQuery('session.info', {}, { staleTime: Infinity });
  const data = session.data;
  if (data === undefined) return { kind: 'unknown', session: undefined, error: session.error };
  return data.storeProblem === null ? { kind: 'open', session: data } : { kind: 'unavailable', session: data, problem: data.storeProblem };
}

/** True once the store is known to be open: gate for queries that need it (they would only answer STORE_UNAVAILABLE). */
export function useStoreOpen(): boolean {
  return useStoreState().kind === 'open';
}

/** The store's problem while it cannot be opened; null while it is open or not known yet. */
export function useStoreProblem(): StoreProblem | null {
  const state = useStoreState();
  return state.kind === 'unavailable' ? state.problem : null;
}
