/** A daily time window, local to a time zone: `HH:MM` to `HH:MM`, which may cross midnight. */
export interface TimeWindow {
  readonly start: string;
  readonly end: string;
}
import { compileCron, nextRunAfter } from './cron.js';

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Minutes since local midnight in `timezone`. */
function localMinutes(atMs: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(atMs));
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

/** Whether a backup may start at `atMs`: inside [start, end) local time, a window may cross midnight. */
export function isInWindow(atMs: number, window: TimeWindow | null, timezone: string): boolean {
  if (window === null) return true;
  const now = localMinutes(atMs, timezone);
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** When the window next opens after `afterMs` (the time itself when it is open now). */
export function nextWindowStart(afterMs: number, window: TimeWindow | null, timezone: string): number {
  if (window === null || isInWindow(afterMs, window, timezone)) return afterMs;
  const [h, m] = window.start.split(':').map(Number) as [number, number];
  return nextRunAfter(compileCron(`${m} ${h} * * *`, timezone), afterMs) ?? afterMs;
}

export function describeWindow(window: TimeWindow): string {
  return `${window.start}–${window.end}`;
}
