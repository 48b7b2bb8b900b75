import type { ErrorInfo } from './errors.js';

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Progress of any job in one shape the UI and CLI can draw: a bar, counts, rate and ETA. */
export interface JobProgress {
  readonly phase: string;
  readonly done: number;
  /** null when the total is not known yet. */
  readonly total: number | null;
  readonly unit: string;
}

export interface JobInfo {
  readonly id: string;
  /** The contract entry that started it, e.g. `store.verify`. */
  readonly kind: string;
  readonly label: string;
  readonly state: JobState;
  readonly startedBy: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly progress: JobProgress | null;
  readonly result: unknown;
  readonly error: ErrorInfo | null;
}

export interface JobStarted {
  readonly jobId: string;
}
