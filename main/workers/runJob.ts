import { ConsoleError, type ErrorInfo } from '../../shared/errors.js';
import type { JobInput, JobName, JobOutput, WorkerProgress } from './jobTable.js';
import { startWorker, workerEntry } from '../platform/index.js';

export interface RunJobOptions<P> {
  readonly onProgress?: (progress: P) => void;
  readonly signal?: AbortSignal;
  /** The Electron build of better-sqlite3, when running inside Electron. */
  readonly nativeBinding?: string;
}

type WorkerMessage = { type: 'progress'; value: unknown } | { type: 'done'; value: unknown } | { type: 'error'; error: ErrorInfo };

const workerUrl = workerEntry(import.meta.url, 'jobWorker');

/**
 * Runs a job in a worker thread so the calling loop never blocks. Cancelling sets a shared flag that the
 * job checks between pages; the job then fails with CANCELLED after releasing what it holds.
 */
export function runJob<N extends JobName>(job: N, input: JobInput<N>, options: RunJobOptions<WorkerProgress<N>> = {}): Promise<JobOutput<N>> {
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  return new Promise<JobOutput<N>>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ConsoleError('CANCELLED', `${job} was cancelled before it started`));
      return;
    }
    const worker = startWorker(workerUrl, { job, input, cancel, nativeBinding: options.nativeBinding });
    let settled = false;
    const onAbort = () => Atomics.store(flag, 0, 1);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.value as WorkerProgress<N>);
      else if (message.type === 'done') finish(() => resolve(message.value as JobOutput<N>));
      else finish(() => reject(new ConsoleError(message.error.code, message.error.message, message.error.details)));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new ConsoleError('INTERNAL', `${job} worker exited with code ${code} before finishing`))));
  });
}
