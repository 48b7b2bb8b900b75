import type { BackupWindow } from '../../../shared/backup.js';
import { compileCron, nextRunAfter, previousRunAtOrBefore } from './cron.js';
import { nextWindowStart } from './window.js';

export interface StartFacts {
  readonly cron: string;
  readonly timezone: string;
  readonly window: BackupWindow | null;
  readonly rpoMinutes: number | null;
  readonly now: number;
  /** The newest due time recorded for the schedule, if any. */
  readonly lastDueAt: number | undefined;
  /** When the schedule was created or last changed: occurrences before it were never due. */
  readonly updatedAt: number;
  /** When the newest successful backup to the schedule's folder ended. */
  readonly lastSuccessAt: number | undefined;
}

export type StartDecision =
  /** Nothing was missed: wait for the next occurrence. */
  | { readonly kind: 'wait'; readonly next: number | undefined }
  /** Run the missed backup at `at` (now, or when the window opens), before the next occurrence. */
  | { readonly kind: 'catch-up'; readonly at: number; readonly next: number | undefined }
  /** An occurrence was missed; record it and wait for the next one. */
  | { readonly kind: 'missed'; readonly dueAt: number; readonly next: number | undefined; readonly note: string };

/**
 * What a schedule does when the application starts (pure). An occurrence that passed since the schedule's
 * last recorded run was missed while the app was closed. It is caught up when waiting for the next
 * occurrence would leave the newest backup older than the RPO target — at once, or when the window next
 * opens if that comes first; otherwise the miss is recorded and the schedule waits.
 */
export function decideAtStart(f: StartFacts): StartDecision {
  const cron = compileCron(f.cron, f.timezone);
  const next = nextRunAfter(cron, f.now);
  const previous = previousRunAtOrBefore(cron, f.now);
  if (previous === undefined || previous <= Math.max(f.lastDueAt ?? -Infinity, f.updatedAt)) return { kind: 'wait', next };
  const rpoMs = f.rpoMinutes === null ? undefined : f.rpoMinutes * 60_000;
  const atRisk = rpoMs !== undefined && (next === undefined || f.lastSuccessAt === undefined || next - f.lastSuccessAt > rpoMs);
  if (atRisk) {
    const at = nextWindowStart(f.now, f.window, f.timezone);
    if (next === undefined || at < next) return { kind: 'catch-up', at, next };
  }
  return {
    kind: 'missed',
    dueAt: previous,
    next,
    note:
      rpoMs === undefined
        ? 'the application was not running; no RPO target is set, so the next scheduled run is awaited'
        : atRisk
          ? 'the application was not running and the backup window does not open before the next scheduled run'
          : `the application was not running; the newest backup stays within the RPO target (${f.rpoMinutes} min) until the next run`,
  };
}
