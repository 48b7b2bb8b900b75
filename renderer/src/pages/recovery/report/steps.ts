import type { RecoveryStep } from '../../../../../shared/recovery.js';

/** A step of a recovery run with its share of the measured RTO (the chart, the table and the printed report). */
export interface StepShare {
  readonly name: string;
  readonly ms: number;
  /** Percent of the RTO. */
  readonly share: number;
}

export function stepShares(steps: readonly RecoveryStep[], rtoMs: number): StepShare[] {
  return steps.map((s) => ({ name: s.name, ms: s.ms, share: rtoMs > 0 ? (s.ms / rtoMs) * 100 : 0 }));
}

/** "45%", and a decimal under 1% so a small step does not read as nothing ("0.4%"). */
export function formatShare(share: number): string {
  return `${share < 1 && share > 0 ? share.toFixed(1) : Math.round(share)}%`;
}
