import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../../shared/errors.js';
import { setDefaultNativeBinding } from '../platform/index.js';
import { jobTable, type JobName } from './jobTable.js';

// The entry of a job worker thread: runs one job from jobTable and reports back through messages.
interface Start {
  readonly job: JobName;
  readonly input: unknown;
  readonly cancel: SharedArrayBuffer;
  readonly nativeBinding: string | undefined;
}

const start = workerData as Start;
setDefaultNativeBinding(start.nativeBinding);
const cancelFlag = new Int32Array(start.cancel);
let lastProgressAt = 0;
let lastPhase: unknown;

const run = jobTable[start.job] as (input: unknown, ctx: { progress(p: unknown): void; isCancelled(): boolean }) => unknown;

Promise.resolve()
  .then(() =>
    run(start.input, {
      progress(value) {
        // At most ~20 messages a second: progress is for eyes, not a log. A new phase always goes
        // through, so a short phase still shows in the UI and the CLI.
        const now = performance.now();
        const phase = typeof value === 'object' && value !== null ? (value as { phase?: unknown }).phase : undefined;
        if (now - lastProgressAt < 50 && phase === lastPhase) return;
        lastProgressAt = now;
        lastPhase = phase;
        parentPort!.postMessage({ type: 'progress', value });
      },
      isCancelled: () => Atomics.load(cancelFlag, 0) === 1,
    }),
  )
  .then(
    (value) => parentPort!.postMessage({ type: 'done', value }),
    (error: unknown) => parentPort!.postMessage({ type: 'error', error: toErrorInfo(error) }),
  );
