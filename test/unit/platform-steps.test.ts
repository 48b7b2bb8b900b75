import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/errors.js';
import { PhaseTimer } from '../../main/platform/stepTimer.js';
import { runSteps, STOP_RUN, type Step } from '../../main/platform/steps.js';

/** A state that records what ran, in order. */
interface Log {
  readonly events: string[];
  cancelled?: boolean;
  flag?: boolean;
}

const log = (): Log => ({ events: [] });

/** A step that logs its run and its cleanup. */
function logging(name: string, extra: Partial<Step<Log>> = {}): Step<Log> {
  return {
    name,
    run: (s) => {
      s.events.push(`run ${name}`);
    },
    cleanup: (s) => {
      s.events.push(`cleanup ${name}`);
    },
    ...extra,
  };
}

const failing = (name: string, error: unknown = new Error(`${name} failed`)): Step<Log> =>
  logging(name, {
    run: (s) => {
      s.events.push(`run ${name}`);
      throw error;
    },
  });

describe('runSteps', () => {
  it('runs the steps in order and reports each, timed, in that order', async () => {
    const s = log();
    const slow: Step<Log> = { name: 'slow', run: () => new Promise((resolve) => setTimeout(resolve, 30)) };
    const run = await runSteps([logging('a'), slow, logging('b')], s);
    expect(s.events).toEqual(['run a', 'run b']);
    expect(run.steps.map((x) => x.name)).toEqual(['a', 'slow', 'b']);
    expect(run.steps[1]!.ms).toBeGreaterThanOrEqual(25);
    expect(run.steps.every((x) => Number.isInteger(x.ms) && x.ms >= 0)).toBe(true);
    expect(run.totalMs).toBeGreaterThanOrEqual(run.steps[1]!.ms);
    expect(run.stopped).toBe(false);
  });

  it('after success runs only the `always` cleanups, in reverse order', async () => {
    const s = log();
    await runSteps([logging('lock', { cleanupWhen: 'always' }), logging('undo-only'), logging('folder', { cleanupWhen: 'always' })], s);
    expect(s.events).toEqual(['run lock', 'run undo-only', 'run folder', 'cleanup folder', 'cleanup lock']);
  });

  it('after a failure runs every started step’s cleanup in reverse, the failing one included, and throws the original error', async () => {
    const s = log();
    const error = new Error('disk on fire');
    await expect(runSteps([logging('a'), logging('b', { cleanupWhen: 'always' }), failing('c', error), logging('d')], s)).rejects.toBe(error);
    expect(s.events).toEqual(['run a', 'run b', 'run c', 'cleanup c', 'cleanup b', 'cleanup a']);
  });

  it('a failing cleanup neither hides the run’s error nor stops the other cleanups', async () => {
    const s = log();
    const error = new Error('the real problem');
    const badCleanup = logging('b', {
      cleanup: () => {
        throw new Error('cleanup broke');
      },
    });
    await expect(runSteps([logging('a'), badCleanup, failing('c', error)], s)).rejects.toBe(error);
    expect(s.events).toEqual(['run a', 'run b', 'run c', 'cleanup c', 'cleanup a']);
  });

  it('after success a failing cleanup is thrown once the other cleanups have run', async () => {
    const s = log();
    const broke = new Error('could not release');
    const bad = logging('b', {
      cleanupWhen: 'always',
      cleanup: () => {
        throw broke;
      },
    });
    await expect(runSteps([logging('a', { cleanupWhen: 'always' }), bad], s)).rejects.toBe(broke);
    expect(s.events).toEqual(['run a', 'run b', 'cleanup a']);
  });

  it('checks cancellation between steps: CANCELLED with the caller’s message, the started steps cleaned up', async () => {
    const s = log();
    const cancelAfterB = logging('b', {
      run: (st) => {
        st.events.push('run b');
        st.cancelled = true;
      },
    });
    const error = await runSteps([logging('a'), cancelAfterB, logging('c')], s, {
      isCancelled: () => s.cancelled === true,
      cancelledMessage: 'the thing was cancelled; nothing changed',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsoleError);
    expect(error).toMatchObject({ code: 'CANCELLED', message: 'the thing was cancelled; nothing changed' });
    expect(s.events).toEqual(['run a', 'run b', 'cleanup b', 'cleanup a']);
  });

  it('checks cancellation before the first step too', async () => {
    const s = log();
    await expect(runSteps([logging('a')], s, { isCancelled: () => true })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(s.events).toEqual([]);
  });

  it('does not check cancellation before a step past the point of no return', async () => {
    const s = log();
    let cancelled = false;
    const publish = logging('publish', {
      run: (st) => {
        st.events.push('run publish');
        cancelled = true;
      },
    });
    const run = await runSteps([publish, logging('summary', { cancellable: false })], s, { isCancelled: () => cancelled });
    expect(s.events).toEqual(['run publish', 'run summary']);
    expect(run.steps.map((x) => x.name)).toEqual(['publish', 'summary']);
  });

  it('asks a `cancellable` function when the step is about to run', async () => {
    let cancelled = false;
    const build = (publishes: boolean) =>
      logging('build', {
        run: (st) => {
          cancelled = true;
          st.flag = publishes;
        },
      });
    const summary = logging('summary', { cancellable: (st: Log) => st.flag !== true });
    await expect(runSteps([build(false), summary], log(), { isCancelled: () => cancelled })).rejects.toMatchObject({ code: 'CANCELLED' });
    cancelled = false;
    const run = await runSteps([build(true), summary], log(), { isCancelled: () => cancelled });
    expect(run.steps.map((x) => x.name)).toEqual(['build', 'summary']);
  });

  it('skips a step whose `when` says no: not run, not reported, nothing to clean up', async () => {
    const s = log();
    await expect(runSteps([logging('a'), logging('skipped', { when: () => false }), failing('c')], s)).rejects.toThrow('c failed');
    expect(s.events).toEqual(['run a', 'run c', 'cleanup c', 'cleanup a']);
  });

  it('an unreported step’s time counts toward the next reported step; `reported` may be decided after the run', async () => {
    const s = log();
    const setup: Step<Log> = { name: 'setup', reported: false, run: () => new Promise((resolve) => setTimeout(resolve, 40)) };
    const maybe: Step<Log> = { name: 'maybe', reported: (st) => st.flag === true, run: () => undefined };
    const run = await runSteps([setup, logging('plan'), maybe], s);
    expect(run.steps.map((x) => x.name)).toEqual(['plan']);
    expect(run.steps[0]!.ms).toBeGreaterThanOrEqual(35);
    const s2 = log();
    const run2 = await runSteps([logging('plan'), { ...maybe, run: (st: Log) => void (st.flag = true) }], s2);
    expect(run2.steps.map((x) => x.name)).toEqual(['plan', 'maybe']);
  });

  it('STOP_RUN ends the run successfully: later steps skipped, `always` cleanups run', async () => {
    const s = log();
    const stop = logging('plan', {
      run: (st) => {
        st.events.push('run plan');
        return STOP_RUN;
      },
    });
    const run = await runSteps([logging('lock', { cleanupWhen: 'always' }), stop, logging('archive')], s);
    expect(run.stopped).toBe(true);
    expect(run.steps.map((x) => x.name)).toEqual(['lock', 'plan']);
    expect(s.events).toEqual(['run lock', 'run plan', 'cleanup lock']);
  });

  it('reports to the caller’s timer and calls onStepDone after each reported step, so nested lists make one report', async () => {
    const timer = new PhaseTimer();
    const done: string[] = [];
    const inner = [logging('prepare'), logging('hidden', { reported: false }), logging('verify')];
    const outer: Step<Log>[] = [
      logging('plan'),
      { name: 'build', reported: false, run: async (st) => void (await runSteps(inner, st, { timer, onStepDone: (n) => done.push(`inner ${n}`) })) },
      logging('publish'),
    ];
    const run = await runSteps(outer, log(), { timer, onStepDone: (n) => done.push(n) });
    expect(run.steps.map((x) => x.name)).toEqual(['plan', 'prepare', 'verify', 'publish']);
    expect(done).toEqual(['plan', 'inner prepare', 'inner verify', 'publish']);
  });

  it('an async run and cleanup are awaited in order', async () => {
    const s = log();
    const later = (name: string): Step<Log> => ({
      name,
      cleanupWhen: 'always',
      run: async (st) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        st.events.push(`run ${name}`);
      },
      cleanup: async (st) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        st.events.push(`cleanup ${name}`);
      },
    });
    await runSteps([later('a'), later('b')], s);
    expect(s.events).toEqual(['run a', 'run b', 'cleanup b', 'cleanup a']);
  });
});
