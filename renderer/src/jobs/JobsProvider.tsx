import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { JobInfo } from '../../../shared/jobs.js';
import { refreshAfterJob } from '../api/freshness.js';
import { useApiQuery, useSubscription, type JobMethod } from '../api/hooks.js';
import { recheckStoreOn } from '../api/storeUnavailable.js';

export interface JobRate {
  /** Units per second: over the last few seconds while running, the whole run's average once ended. */
  readonly perSecond: number;
  /** Milliseconds left at that rate; null when the total or the rate is unknown. */
  readonly etaMs: number | null;
}

interface JobsState {
  /** Newest first. */
  readonly jobs: readonly JobInfo[];
  readonly loaded: boolean;
  readonly rates: ReadonlyMap<string, JobRate>;
}

const JobsContext = createContext<JobsState>({ jobs: [], loaded: false, rates: new Map() });

/** Rate samples older than this are forgotten, so the rate follows the job's current speed. */
const RATE_WINDOW_MS = 8000;

type Sample = { readonly at: number; readonly done: number; readonly phase: string };

function measureRate(job: JobInfo, samples: readonly Sample[]): JobRate | null {
  if (job.progress === null) return null;
  if (job.state !== 'running') {
    const seconds = job.endedAt === null ? 0 : (Date.parse(job.endedAt) - Date.parse(job.startedAt)) / 1000;
    return seconds > 0 ? { perSecond: job.progress.done / seconds, etaMs: null } : null;
  }
  if (samples.length < 2) return null;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const seconds = (last.at - first.at) / 1000;
  if (seconds <= 0) return null;
  const perSecond = (last.done - first.done) / seconds;
  const left = job.progress.total === null ? null : job.progress.total - job.progress.done;
  return { perSecond, etaMs: left === null || perSecond <= 0 ? null : (left / perSecond) * 1000 };
}

/**
 * One record of every job for the whole console: the list as loaded once, then kept current by a single
 * `jobs.updates` subscription. Rates and ETAs are measured here from successive progress updates. A job
 * that ends refreshes what its contract entry changes (api/freshness.ts).
 */
export function JobsProvider({ children }: { readonly children: ReactNode }) {
  const queryClient = useQueryClient();
  const initial = useApiQuery('jobs.list', {}, { staleTime: Infinity });
  const [updates, setUpdates] = useState<ReadonlyMap<string, { job: JobInfo; rate: JobRate | null }>>(new Map());
  const samples = useRef(new Map<string, Sample[]>());
  const states = useRef(new Map<string, JobInfo['state']>());

  useSubscription('jobs.updates', {}, (job) => {
    let list: Sample[] = [];
    if (job.state !== 'running') {
      samples.current.delete(job.id);
      if (states.current.get(job.id) !== job.state) {
        if (job.state === 'failed') recheckStoreOn(queryClient, job.error);
        // What the job's contract entry changes, whatever its outcome: a failed or cancelled job may have
        // done part of its work (a restore that failed after the swap, a verification record written).
        void refreshAfterJob(queryClient, job.kind);
      }
    } else if (job.progress !== null) {
      const phase = `${job.progress.phase}/${job.progress.unit}`;
      list = samples.current.get(job.id) ?? [];
      // A new phase counts something else (steps, then bytes, then events): its rate starts afresh.
      if (list.length > 0 && list[list.length - 1]!.phase !== phase) list = [];
      const now = performance.now();
      list.push({ at: now, done: job.progress.done, phase });
      while (list.length > 2 && now - list[0]!.at > RATE_WINDOW_MS) list.shift();
      samples.current.set(job.id, list);
    }
    states.current.set(job.id, job.state);
    const rate = measureRate(job, list);
    setUpdates((current) => new Map(current).set(job.id, { job, rate }));
  });

  const value = useMemo((): JobsState => {
    const byId = new Map<string, JobInfo>();
    const rates = new Map<string, JobRate>();
    for (const job of initial.data ?? []) {
      byId.set(job.id, job);
      const rate = measureRate(job, []);
      if (rate !== null) rates.set(job.id, rate);
    }
    for (const [id, { job, rate }] of updates) {
      byId.set(id, job);
      if (rate !== null) rates.set(id, rate);
    }
    const jobs = [...byId.values()].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.id.localeCompare(a.id)));
    return { jobs, loaded: initial.isSuccess, rates };
  }, [initial.data, initial.isSuccess, updates]);

  return <JobsContext.Provider value={value}>{children}</JobsContext.Provider>;
}

export function useJobs(): JobsState {
  return useContext(JobsContext);
}

/** One job by id (undefined until its first update or the list arrives). */
export function useJobById(id: string | undefined): JobInfo | undefined {
  const { jobs } = useJobs();
  return id === undefined ? undefined : jobs.find((j) => j.id === id);
}

/** The newest job of a kind (e.g. the last `store.verify`), running or finished. */
export function useLatestJob(kind: JobMethod): JobInfo | undefined {
  const { jobs } = useJobs();
  return jobs.find((j) => j.kind === kind);
}
