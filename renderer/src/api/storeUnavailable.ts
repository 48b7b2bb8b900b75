import type { QueryClient } from '@tanstack/react-query';
import type { SessionInfo } from '../../../shared/api/types.js';
import { describeError } from '../ui/errors.js';

/** session.info's query key (as hooks.ts derives it), kept literal here so the API layer needs no hooks. */
const SESSION_KEY = ['session.info', {}] as const;

export function isStoreUnavailable(error: unknown): boolean {
  return error !== null && error !== undefined && describeError(error).code === 'STORE_UNAVAILABLE';
}

/**
 * A call answered STORE_UNAVAILABLE while the console believed its store open (it broke, or another
 * process put something in its place that cannot be opened): read session.info again, so every page
 * switches to the "cannot be opened" state instead of showing the error one panel at a time. Nothing to
 * do while the session is still being read, or already says so. Not a refresh of api/freshness.ts: no
 * call changed the session; an answer only suggests main's view of the store is not the console's.
 */
export function recheckStoreOn(queryClient: QueryClient, error: unknown): void {
  if (!isStoreUnavailable(error)) return;
  const session = queryClient.getQueryData<SessionInfo>(SESSION_KEY);
  if (session === undefined || session.storeProblem !== null) return;
  void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
}
