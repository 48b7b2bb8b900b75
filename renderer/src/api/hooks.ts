import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { CallMethod, SubscriptionMethod } from '../../../shared/api/client.js';
import type { CallResultOf, InputOf, MethodName, MethodsOfKind, OutputOf } from '../../../shared/api/contract.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import { api } from './client.js';
import { refreshAfterCall } from './freshness.js';
import { recheckStoreOn } from './storeUnavailable.js';

export type QueryMethod = MethodsOfKind<'query'>;
export type JobMethod = MethodsOfKind<'job'>;
export type CommandMethod = MethodsOfKind<'command'>;

/** Query keys are derived from the contract: `[method, input]`, so invalidation can target a method. */
export function queryKey<M extends MethodName>(method: M, input: InputOf<M>): readonly [M, InputOf<M>] {
  return [method, input] as const;
}

export function useApiQuery<M extends QueryMethod>(
  method: M,
  input: InputOf<M>,
  options: Omit<UseQueryOptions<CallResultOf<M>, Error, CallResultOf<M>, readonly [M, InputOf<M>]>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery({
    queryKey: queryKey(method, input),
    queryFn: () => (api.call as (m: CallMethod, i: unknown) => Promise<CallResultOf<M>>)(method, input),
    ...options,
  });
}

/**
 * A command or job start as a mutation. A command's success refreshes what the contract says it changes
 * (api/freshness.ts); a job changes things when it ends, which the jobs list hears of (JobsProvider).
 */
export function useApiMutation<M extends CommandMethod | JobMethod>(method: M) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<M>) => (api.call as (m: CallMethod, i: unknown) => Promise<CallResultOf<M>>)(method, input),
    onSuccess: () => void refreshAfterCall(queryClient, method),
  });
}

/**
 * Subscribes while mounted (and while `enabled`); re-subscribes when the input changes. The latest
 * `onPush` is always used without re-subscribing.
 */
export function useSubscription<M extends SubscriptionMethod>(
  method: M,
  input: InputOf<M>,
  onPush: (value: OutputOf<M>) => void,
  options: { enabled?: boolean; onEnd?: (error: ErrorInfo | null) => void } = {},
): void {
  const pushRef = useRef(onPush);
  const endRef = useRef(options.onEnd);
  useEffect(() => {
    pushRef.current = onPush;
    endRef.current = options.onEnd;
  });
  const key = JSON.stringify(input);
  const enabled = options.enabled ?? true;
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return undefined;
    return api.subscribe(
      method,
      JSON.parse(key) as InputOf<M>,
      (value) => pushRef.current(value),
      (error) => {
        recheckStoreOn(queryClient, error);
        endRef.current?.(error);
      },
    );
  }, [method, key, enabled, queryClient]);
}
