/** Durations of the named steps of a job, for reports ("steps":[{"name","ms"}]). */
export class PhaseTimer {
  private readonly started = performance.now();
  private last = this.started;
  private readonly list: Array<{ name: string; ms: number }> = [];

  /** Ends the step running since the previous call (or the start) under `name`. */
  next(name: string): void {
    const now = performance.now();
    this.list.push({ name, ms: Math.round(now - this.last) });
    this.last = now;
  }

  steps(): ReadonlyArray<{ readonly name: string; readonly ms: number }> {
    return [...this.list];
  }

  totalMs(): number {
    return Math.round(performance.now() - this.started);
  }
}
