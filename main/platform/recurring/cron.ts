import { Cron } from 'croner';
import type { CronDescription, CronRun } from '../../../shared/backup.js';
import { ConsoleError } from '../../../shared/errors.js';

/** A cron expression compiled for one time zone: croner computes the times, our clock decides when to act. */
export function compileCron(expression: string, timezone: string): Cron {
  try {
    // No callback: croner schedules nothing itself; it only answers "when next / when last".
    return new Cron(expression.trim(), { timezone, paused: true });
  } catch (error) {
    throw new ConsoleError('INVALID_INPUT', `${JSON.stringify(expression)} is not a cron expression: ${(error as Error).message}`);
  }
}

export function checkTimeZone(timezone: string): void {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone });
  } catch {
    throw new ConsoleError('INVALID_INPUT', `${JSON.stringify(timezone)} is not a time zone (use an IANA name such as Europe/Lisbon)`);
  }
}

/** The first run strictly after `afterMs`, or undefined when the expression never fires again. */
export function nextRunAfter(cron: Cron, afterMs: number): number | undefined {
  return cron.nextRun(new Date(afterMs))?.getTime();
}

/** The last run at or before `atMs`. */
export function previousRunAtOrBefore(cron: Cron, atMs: number): number | undefined {
  return cron.previousRuns(1, new Date(atMs + 1))[0]?.getTime();
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function two(n: string): string {
  return n.padStart(2, '0');
}

/** "every day at 02:00" for the common shapes of 5-field expressions; null for anything else. */
export function summarizeCron(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [min, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const num = /^\d{1,2}$/;
  const every = /^\*\/(\d{1,2})$/;
  if (every.test(min) && hour === '*' && dom === '*' && month === '*' && dow === '*') return `every ${every.exec(min)![1]} minutes`;
  if (min === '*' && hour === '*' && dom === '*' && month === '*' && dow === '*') return 'every minute';
  if (!num.test(min) || month !== '*') return null;
  if (hour === '*' && dom === '*' && dow === '*') return `every hour at :${two(min)}`;
  if (every.test(hour) && dom === '*' && dow === '*') return `every ${every.exec(hour)![1]} hours at :${two(min)}`;
  if (!num.test(hour)) return null;
  const at = `at ${two(hour)}:${two(min)}`;
  if (dom === '*' && dow === '*') return `every day ${at}`;
  if (dom === '*' && /^[0-7](,[0-7])*$/.test(dow)) return `every ${dow.split(',').map((d) => DAYS[Number(d) % 7]).join(', ')} ${at}`;
  if (dom === '*' && dow === '1-5') return `every weekday ${at}`;
  if (num.test(dom) && dow === '*') return `on day ${Number(dom)} of every month ${at}`;
  return null;
}

function relative(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'in less than a minute';
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.round(hours / 24);
  return `in ${days} days`;
}

/** "Wed 26 Nov 2026, 02:00 (in 7 hours)" in the schedule's time zone. */
export function runInWords(atMs: number, nowMs: number, timezone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(atMs));
  return `${text} (${relative(atMs - nowMs)})`;
}

/** What the schedule editor shows under a cron field: valid or why not, a summary, the next runs in words. */
export function describeCron(expression: string, options: { readonly count?: number; readonly now?: number; readonly timezone: string }): CronDescription {
  const now = options.now ?? Date.now();
  try {
    checkTimeZone(options.timezone);
    const cron = compileCron(expression, options.timezone);
    const nextRuns: CronRun[] = [];
    let after = now;
    for (let i = 0; i < (options.count ?? 5); i++) {
      const at = nextRunAfter(cron, after);
      if (at === undefined) break;
      nextRuns.push({ at: new Date(at).toISOString(), words: runInWords(at, now, options.timezone) });
      after = at;
    }
    return { valid: true, error: null, summary: summarizeCron(expression), nextRuns };
  } catch (error) {
    return { valid: false, error: (error as Error).message, summary: null, nextRuns: [] };
  }
}
