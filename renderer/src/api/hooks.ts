import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { CallMethod, SubscriptionMethod } from '../../../shared/api/client.js';
import type { CallResultOf, InputOf, MethodName, MethodsOfKind, OutputOf } from '../../../shared/api/contract.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import type { JobInfo } from '../../../shared/jobs.js';
import { api } from './client.js';
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

/** A command or job start as a mutation; the caller decides what to invalidate on success. */
export function useApiMutation<M extends CommandMethod | JobMethod>(method: M) {
  return useMutation({
    mutationFn: (input: InputOf<M>) => (api.call as (m: CallMethod, i: unknown) => Promise<CallResultOf<M>>)(method, input),
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

/** Follows one job from its id to its end; undefined until the first update arrives. */
export function useJob(jobId: string | undefined): JobInfo | undefined {
  // Updates are kept with the id they belong to, so a new id starts from nothing without an effect.
  const [latest, setLatest] = useState<JobInfo | undefined>(undefined);
  const job = latest?.id === jobId ? latest : undefined;
  const queryClient = useQueryClient();
  useSubscription('jobs.updates', { jobId }, (update) => setLatest(update), { enabled: jobId !== undefined });
  // The job may have finished before the subscription started: read it once from the list.
  const list = useApiQuery('jobs.list', {}, { enabled: jobId !== undefined && job === undefined });
  const fromList = list.data?.find((j) => j.id === jobId);
  useEffect(() => {
    if (job?.state !== undefined && job.state !== 'running') void queryClient.invalidateQueries({ queryKey: ['jobs.list'] });
  }, [job?.state, queryClient]);
  return job ?? fromList;
}

/**
 * Keeps head-dependent queries fresh: when the log's head moves (any process), the listed methods are
 * invalidated, at most once per `throttleMs`, instead of polling each of them.
 */
export function useInvalidateOnHead(methods: readonly QueryMethod[], throttleMs = 1000): number | undefined {
  const queryClient = useQueryClient();
  const [head, setHead] = useState<number | undefined>(undefined);
  const last = useRef(0);
  const timer = useRef<number | undefined>(undefined);
  const key = methods.join(',');
  useSubscription('live.head', {}, (notice) => {
    setHead(notice.headPosition);
    const run = () => {
      last.current = Date.now();
      timer.current = undefined;
      for (const m of key.split(',')) void queryClient.invalidateQueries({ queryKey: [m] });
    };
    const wait = throttleMs - (Date.now() - last.current);
    if (wait <= 0) run();
    else timer.current ??= window.setTimeout(run, wait);
  });
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return head;
}
