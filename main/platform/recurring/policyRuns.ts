import type { RecurringJobs } from './engine.js';

/** The run of a policy going now: what cancels it, and what it reports. */
export interface ActiveRun<P> {
  /** The schedule (or `manual`) the run is of. */
  readonly key: string;
  readonly signal: AbortSignal;
  progress: P | null;
}

interface Current<P> extends ActiveRun<P> {
  readonly controller: AbortController;
  done: Promise<unknown>;
}

/**
 * The run side of a recurring policy, the skeleton every one of them shares: the engine it is planned by
 * (shared with the store's other policies, or its own), one run at a time with its cancel and progress,
 * and the engine told when a run ended so a run queued behind it starts.
 */
export class PolicyRuns<P> {
  private current: Current<P> | undefined;
  private started = false;

  constructor(
    private readonly policyName: string,
    readonly engine: RecurringJobs,
    /** Whether this policy owns the engine (starts and stops it) or shares the store's. */
    private readonly ownsEngine: boolean,
  ) {}

  get isStarted(): boolean {
    return this.started && this.engine.isStarted;
  }

  /** The run going now, if any. */
  get active(): ActiveRun<P> | undefined {
    return this.current;
  }

  /** `recoverInterrupted` records runs a stopped process left running; an owned engine then plans and arms. */
  start(recoverInterrupted: () => void): void {
    if (this.started) return;
    this.started = true;
    recoverInterrupted();
    if (this.ownsEngine) this.engine.start();
  }

  /** Stops planning, cancels the run going and waits for it to be recorded. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.ownsEngine) this.engine.stop();
    if (this.current !== undefined) {
      this.current.controller.abort();
      await this.current.done.catch(() => undefined);
    }
  }

  cancel(): boolean {
    if (this.current === undefined) return false;
    this.current.controller.abort();
    return true;
  }

  /**
   * Runs `work` as the policy's one run. The run counts as going from this call on (a run due meanwhile
   * sees it); `ended` runs once it no longer does, before a queued run may start.
   */
  run<T>(key: string, work: (run: ActiveRun<P>) => Promise<T>, ended: (value: T) => T): Promise<T> {
    const controller = new AbortController();
    const current: Current<P> = { key, controller, signal: controller.signal, progress: null, done: Promise.resolve() };
    this.current = current;
    const done = (async () => {
      await Promise.resolve();
      let value: T;
      try {
        value = await work(current);
      } catch (error) {
        if (this.current === current) this.current = undefined;
        this.engine.runEnded(this.policyName);
        throw error;
      }
      if (this.current === current) this.current = undefined;
      const result = ended(value);
      this.engine.runEnded(this.policyName);
      return result;
    })();
    current.done = done;
    return done;
  }
}
