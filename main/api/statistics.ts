/** Per-method call counts and timings; slow calls are logged (STYLE: every query is timed). */
export interface MethodStatistics {
  readonly method: string;
  readonly calls: number;
  readonly totalMs: number;
  readonly maxMs: number;
  readonly slow: number;
}

export class CallStatistics {
  private readonly byMethod = new Map<string, { calls: number; totalMs: number; maxMs: number; slow: number }>();

  constructor(private readonly slowMs = 100) {}

  record(method: string, ms: number): void {
    let s = this.byMethod.get(method);
    if (s === undefined) this.byMethod.set(method, (s = { calls: 0, totalMs: 0, maxMs: 0, slow: 0 }));
    s.calls++;
    s.totalMs += ms;
    s.maxMs = Math.max(s.maxMs, ms);
    if (ms >= this.slowMs) {
      s.slow++;
      process.stderr.write(`slow call: ${method} took ${ms.toFixed(1)} ms\n`);
    }
  }

  snapshot(): MethodStatistics[] {
    return [...this.byMethod].map(([method, s]) => ({ method, ...s }));
  }
}
