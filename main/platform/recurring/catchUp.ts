import { compileCron, nextRunAfter, previousRunAtOrBefore } from './cron.js';
import { nextWindowStart, type TimeWindow } from './window.js';

/**
 * What a schedule does at start with a run missed while the app was closed:
 * - `always`: run it (now, or when the window next opens, if that is before the next occurrence);
 * - `never`: record the miss and wait for the next occurrence;
 * - `rpo`: run it only when waiting for the next occurrence would leave the newest success older than the
 *   RPO target (`rpoMinutes` null: no target, so never); otherwise record the miss.
 */
export type CatchUpRule =
  | { readonly kind: 'always' }
  | { readonly kind: 'never' }
  | { readonly kind: 'rpo'; readonly rpoMinutes: number | null; readonly lastSuccessAt: number | undefined };

export interface StartFacts {
  readonly cron: string;
  readonly timezone: string;
  readonly window: TimeWindow | null;
  readonly rule: CatchUpRule;
  /** How the note names the window, e.g. `backup window`. */
  readonly windowName?: string;
  readonly now: number;
  /** The newest due time recorded for the schedule, if any. */
  readonly lastDueAt: number | undefined;
  /** When the schedule was created or last changed: occurrences before it were never due. */
  readonly updatedAt: number;
}

export type StartDecision =
  /** Nothing was missed: wait for the next occurrence. */
  | { readonly kind: 'wait'; readonly next: number | undefined }
  /** Run the missed one at `at` (now, or when the window opens), before the next occurrence. */
  | { readonly kind: 'catch-up'; readonly at: number; readonly next: number | undefined }
  /** An occurrence was missed; record it and wait for the next one. */
  | { readonly kind: 'missed'; readonly dueAt: number; readonly next: number | undefined; readonly note: string };

/** What a schedule does when the application starts (pure). */
export function decideAtStart(f: StartFacts): StartDecision {
  const cron = compileCron(f.cron, f.timezone);
  const next = nextRunAfter(cron, f.now);
  const previous = previousRunAtOrBefore(cron, f.now);
  if (previous === undefined || previous <= Math.max(f.lastDueAt ?? -Infinity, f.updatedAt)) return { kind: 'wait', next };
  const rule = f.rule;
  const rpoMs = rule.kind === 'rpo' && rule.rpoMinutes !== null ? rule.rpoMinutes * 60_000 : undefined;
  const atRisk =
    rule.kind === 'always' ||
    (rpoMs !== undefined && rule.kind === 'rpo' && (next === undefined || rule.lastSuccessAt === undefined || next - rule.lastSuccessAt > rpoMs));
  if (atRisk) {
    const at = nextWindowStart(f.now, f.window, f.timezone);
    if (next === undefined || at < next) return { kind: 'catch-up', at, next };
  }
  return { kind: 'missed', dueAt: previous, next, note: missNote(rule, atRisk, f.windowName ?? 'window') };
}

function missNote(rule: CatchUpRule, atRisk: boolean, windowName: string): string {
  if (atRisk) return `the application was not running and the ${windowName} does not open before the next scheduled run`;
  if (rule.kind === 'never') return 'the application was not running; missed runs are not caught up, so the next scheduled run is awaited';
  if (rule.kind === 'rpo' && rule.rpoMinutes === null) return 'the application was not running; no RPO target is set, so the next scheduled run is awaited';
  return `the application was not running; the newest backup stays within the RPO target (${rule.kind === 'rpo' ? rule.rpoMinutes : ''} min) until the next run`;
}
