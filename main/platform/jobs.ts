import { EventEmitter } from 'node:events';
import { ConsoleError, toErrorInfo } from '../../shared/errors.js';
import type { JobInfo, JobProgress, JobState } from '../../shared/jobs.js';
import { uuidv7 } from './uuid7.js';

export interface JobRunContext {
  /** The job's own id (e.g. so it can tell itself apart from other running jobs). */
  readonly jobId: string;
  readonly signal: AbortSignal;
  readonly progress: (progress: JobProgress) => void;
}

export interface JobSpec<T> {
  readonly label: string;
  run(ctx: JobRunContext): Promise<T>;
}

interface JobRecord {
  info: JobInfo;
  readonly controller: AbortController;
  lastPushAt: number;
  pushTimer: NodeJS.Timeout | undefined;
}

const KEEP_FINISHED = 200;
/**
 * Jobs running at once. Each runs in a worker thread of ~20 MiB or more: without a bound, one client
 * starting jobs in a loop (issue 9, bad input: 65 `store.verify` calls took serve to ~1 GiB) exhausts memory.
 */
export const MAX_RUNNING_JOBS = 8;
const PUSH_INTERVAL_MS = 100;

/**
 * Long work (verify, backup, restore, rebuilds): started, listed, cancelled and watched here. The work
 * itself runs in a worker thread or in bounded async steps; this only keeps the record, so every job
 * leaves a line in the jobs list whether it succeeded, failed or was cancelled.
 */
export class JobManager {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly emitter = new EventEmitter();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly maxRunning = MAX_RUNNING_JOBS,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Starts a job; BUSY when `maxRunning` jobs are running already. */
  start<T>(kind: string, startedBy: string, spec: JobSpec<T>): { info: JobInfo; done: Promise<T> } {
    const running = this.running();
    if (running.length >= this.maxRunning)
      throw new ConsoleError('BUSY', `${running.length} jobs are running already (at most ${this.maxRunning} at once): wait for one to end or cancel one, then try again`, {
        running: running.length,
      });
    const id = uuidv7(this.clock());
    const record: JobRecord = {
      info: {
        id,
        kind,
        label: spec.label,
        state: 'running',
        startedBy,
        startedAt: new Date(this.clock()).toISOString(),
        endedAt: null,
        progress: null,
        result: null,
        error: null,
      },
      controller: new AbortController(),
      lastPushAt: 0,
      pushTimer: undefined,
    };
    this.jobs.set(id, record);
    this.prune();
    this.emit(record);
    const done = Promise.resolve()
      .then(() =>
        spec.run({
          jobId: id,
          signal: record.controller.signal,
          progress: (progress) => this.progress(record, progress),
        }),
      )
      .then(
        (result) => {
          this.finish(record, 'succeeded', result, null);
          return result;
        },
        (error: unknown) => {
          const info = toErrorInfo(error);
          this.finish(record, info.code === 'CANCELLED' ? 'cancelled' : 'failed', null, info);
          throw error;
        },
      );
    done.catch(() => undefined); // the outcome is in the record; callers that await `done` see the error too
    return { info: record.info, done };
  }

  cancel(id: string): boolean {
    const record = this.jobs.get(id);
    if (record === undefined) throw new ConsoleError('NOT_FOUND', `no job ${id}`);
    if (record.info.state !== 'running') return false;
    record.controller.abort();
    return true;
  }

  /** Resolves when the job has ended, however it ended (at once for an unknown or finished job). */
  settled(id: string): Promise<JobInfo | undefined> {
    const record = this.jobs.get(id);
    if (record === undefined || record.info.state !== 'running') return Promise.resolve(record?.info);
    return new Promise((resolve) => {
      const stop = this.onUpdate((job) => {
        if (job.id !== id || job.state === 'running') return;
        stop();
        resolve(job);
      });
    });
  }

  get(id: string): JobInfo | undefined {
    return this.jobs.get(id)?.info;
  }

  /** Newest first. */
  list(): JobInfo[] {
    return [...this.jobs.values()].map((r) => r.info).reverse();
  }

  running(kind?: string): JobInfo[] {
    return this.list().filter((j) => j.state === 'running' && (kind === undefined || j.kind === kind));
  }

  onUpdate(listener: (job: JobInfo) => void): () => void {
    this.emitter.on('update', listener);
    return () => this.emitter.off('update', listener);
  }

  /** Cancels everything still running (shutdown). */
  cancelAll(): void {
    for (const r of this.jobs.values()) if (r.info.state === 'running') r.controller.abort();
  }

  private progress(record: JobRecord, progress: JobProgress): void {
    if (record.info.state !== 'running') return;
    const newPhase = record.info.progress?.phase !== progress.phase;
    record.info = { ...record.info, progress };
    // Pushes are throttled: a job may report thousands of times a second, screens redraw ~10 times.
    // A new phase always goes out at once, so short phases still show.
    const now = Date.now();
    if (newPhase || now - record.lastPushAt >= PUSH_INTERVAL_MS) {
      record.lastPushAt = now;
      this.emit(record);
    } else if (record.pushTimer === undefined) {
      record.pushTimer = setTimeout(() => {
        record.pushTimer = undefined;
        record.lastPushAt = Date.now();
        if (record.info.state === 'running') this.emit(record);
      }, PUSH_INTERVAL_MS);
      record.pushTimer.unref();
    }
  }

  private finish(record: JobRecord, state: JobState, result: unknown, error: JobInfo['error']): void {
    if (record.pushTimer !== undefined) clearTimeout(record.pushTimer);
    record.info = { ...record.info, state, result, error, endedAt: new Date(this.clock()).toISOString() };
    this.emit(record);
  }

  private emit(record: JobRecord): void {
    this.emitter.emit('update', record.info);
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((r) => r.info.state !== 'running');
    for (const r of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(r.info.id);
  }
}
