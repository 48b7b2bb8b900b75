import { ConsoleError } from '../../shared/errors.js';
import { PhaseTimer } from './stepTimer.js';

/** What a step's `run` returns to end the run there, successfully: the steps after it are skipped (a backup with nothing new). */
export const STOP_RUN: unique symbol = Symbol('stop-run');

export type StepOutcome = void | typeof STOP_RUN;

/**
 * One named step of a long procedure (backup, verify, restore). Steps share one state object `S`: each reads
 * what the steps before it set and sets what it produces.
 */
export interface Step<S> {
  /** The name in the report's `steps: [{name, ms}]` and given to `onStepDone`. */
  readonly name: string;
  /** The step runs only when this says so; a skipped step is not timed and has nothing to clean up. */
  readonly when?: (state: S) => boolean;
  readonly run: (state: S) => StepOutcome | Promise<StepOutcome>;
  /**
   * Undoes or releases what `run` took. Cleanups run in reverse order for every step that started (the one
   * that failed included, so a cleanup must cope with a `run` cut short), after a failure or a cancellation;
   * with `cleanupWhen: 'always'` after success too (what the step holds only for the run: a lock, a work
   * folder, an open connection).
   */
  readonly cleanup?: (state: S) => void | Promise<void>;
  readonly cleanupWhen?: 'failure' | 'always';
  /**
   * Whether the step shows in the report (default true). An unreported step's time counts toward the next
   * step that shows, so setup can stay out of the report. A function is asked after the step ran.
   */
  readonly reported?: boolean | ((state: S) => boolean);
  /**
   * false past the point of no return (once a store was published): cancellation is no longer checked
   * before this step. A function is asked when the step is about to run.
   */
  readonly cancellable?: boolean | ((state: S) => boolean);
}

export interface RunStepsOptions {
  /** Checked before each cancellable step: the run then stops with CANCELLED and cleans up. */
  readonly isCancelled?: () => boolean;
  /** The message of that CANCELLED error: what it means for the user ("the store was not changed"). */
  readonly cancelledMessage?: string;
  /** The timer the steps are reported to; a nested list shares its caller's so both lists make one report. */
  readonly timer?: PhaseTimer;
  /** After each reported step, once it is timed (fault tests stop the process here). */
  readonly onStepDone?: (name: string) => void;
}

export interface StepsRun {
  /** The reported steps, in order, with their durations (the whole report when the timer was the caller's). */
  readonly steps: ReadonlyArray<{ readonly name: string; readonly ms: number }>;
  /** From the timer's start to the end of the last step, before the cleanups. */
  readonly totalMs: number;
  /** A step returned STOP_RUN. */
  readonly stopped: boolean;
}

/**
 * Runs `steps` in order on `state`. On success the `always` cleanups run (in reverse order) and the first
 * cleanup error, if any, is thrown once all have run. On a failure or a cancellation every started step's
 * cleanup runs and the original error is thrown; a cleanup failing then cannot hide it.
 */
export async function runSteps<S>(steps: readonly Step<S>[], state: S, options: RunStepsOptions = {}): Promise<StepsRun> {
  const timer = options.timer ?? new PhaseTimer();
  const started: Step<S>[] = [];
  let stopped = false;
  let totalMs: number;
  try {
    for (const step of steps) {
      if (step.when !== undefined && !step.when(state)) continue;
      const cancellable = typeof step.cancellable === 'function' ? step.cancellable(state) : step.cancellable !== false;
      if (cancellable && options.isCancelled?.() === true) throw new ConsoleError('CANCELLED', options.cancelledMessage ?? 'the run was cancelled');
      started.push(step);
      const outcome = await step.run(state);
      const reported = typeof step.reported === 'function' ? step.reported(state) : step.reported !== false;
      if (reported) {
        timer.next(step.name);
        options.onStepDone?.(step.name);
      }
      if (outcome === STOP_RUN) {
        stopped = true;
        break;
      }
    }
    totalMs = timer.totalMs();
  } catch (error) {
    await cleanUp(started, state, 'failure');
    throw error;
  }
  const cleanupError = await cleanUp(started, state, 'success');
  if (cleanupError !== undefined) throw cleanupError.error;
  return { steps: timer.steps(), totalMs, stopped };
}

async function cleanUp<S>(started: readonly Step<S>[], state: S, after: 'success' | 'failure'): Promise<{ error: unknown } | undefined> {
  let first: { error: unknown } | undefined;
  for (const step of [...started].reverse()) {
    if (step.cleanup === undefined || (after === 'success' && step.cleanupWhen !== 'always')) continue;
    try {
      await step.cleanup(state);
    } catch (error) {
      first ??= { error };
    }
  }
  return first;
}
