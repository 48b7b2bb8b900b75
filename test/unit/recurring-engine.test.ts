import { describe, expect, it } from 'vitest';
import { RecurringJobs, type Due, type RecurringPolicy, type RecurringSchedule } from '../../main/platform/recurring/engine.js';
import type { CatchUpRule } from '../../main/platform/recurring/catchUp.js';
import { FakeClock } from '../helpers/backup-fakeClock.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-01-01T00:00:00Z');

interface Record {
  readonly scheduleId: string;
  readonly dueAt: number;
  readonly trigger: string;
  readonly outcome: 'ran' | 'missed' | 'skipped';
  readonly at: number;
  readonly note?: string;
}

/** A policy whose runs take `runMs` of fake time and whose history is a list. */
function fakePolicy(clock: FakeClock, name: string, schedules: RecurringSchedule[], options: { runMs?: number; rule?: CatchUpRule; history?: Record[] } = {}) {
  const history: Record[] = options.history ?? [];
  let running: string | null = null;
  const policy: RecurringPolicy = {
    name,
    windowName: `${name} window`,
    schedules: () => schedules,
    catchUp: () => options.rule ?? { kind: 'never' },
    lastDueAt: (s) => Math.max(-Infinity, ...history.filter((h) => h.scheduleId === s.id).map((h) => h.dueAt)),
    running: () => running,
    recordNotRun: (s, due, outcome, note, now) => history.push({ scheduleId: s.id, dueAt: due.at, trigger: due.trigger, outcome, note, at: now }),
    start: async (s, due: Due) => {
      running = s.id;
      history.push({ scheduleId: s.id, dueAt: due.at, trigger: due.trigger, outcome: 'ran', at: clock.now() });
      await new Promise<void>((resolve) => clock.setTimer(resolve, options.runMs ?? 0));
      running = null;
    },
  };
  return { policy, history };
}

const schedule = (id: string, cron: string, extra: Partial<RecurringSchedule> = {}): RecurringSchedule => ({
  id,
  cron,
  timezone: 'UTC',
  window: null,
  enabled: true,
  updatedAt: T0,
  ...extra,
});

describe('the recurring-job engine', () => {
  it('runs two policies on one timer, each at its own cron times', async () => {
    const clock = new FakeClock(T0);
    const jobs = new RecurringJobs(clock);
    const backups = fakePolicy(clock, 'backup', [schedule('hourly', '0 * * * *')]);
    const drills = fakePolicy(clock, 'drill', [schedule('nightly', '30 2 * * *')]);
    jobs.register(backups.policy);
    jobs.register(drills.policy);
    jobs.start();
    expect(clock.pendingTimers).toBe(1);
    await clock.advanceTo(T0 + 3 * HOUR);
    expect(backups.history.map((h) => h.dueAt)).toEqual([T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
    expect(drills.history.map((h) => h.dueAt)).toEqual([T0 + 2.5 * HOUR]);
    expect(jobs.pending('drill')).toEqual([{ scheduleId: 'nightly', at: new Date(T0 + 26.5 * HOUR).toISOString(), trigger: 'schedule' }]);
    expect(() => jobs.register(backups.policy)).toThrow('registered twice');
  });

  it('never overlaps within a policy: its own next run is skipped, another schedule’s waits for the end', async () => {
    const clock = new FakeClock(T0);
    const jobs = new RecurringJobs(clock);
    const p = fakePolicy(clock, 'backup', [schedule('a', '*/10 * * * *'), schedule('b', '5 * * * *')], { runMs: 12 * MIN });
    jobs.register(p.policy);
    jobs.start();
    await clock.advanceTo(T0 + 21 * MIN);
    // b, due at :05, runs until :17; a, due at :10, waits for it and runs from :17 until :29.
    expect(p.history.map((h) => `${h.scheduleId}@${(h.dueAt - T0) / MIN} ${h.outcome}${h.outcome === 'ran' ? `@${(h.at - T0) / MIN}` : ''}`)).toEqual([
      'b@5 ran@5',
      'a@10 ran@17', // waited for b's run to end
      'a@20 skipped', // its own previous run was still going
    ]);
    expect(p.history.find((h) => h.outcome === 'skipped')!.note).toBe('the previous run of this schedule was still running');
  });

  it('starts only inside the window; a due run outside it is recorded as skipped', async () => {
    const clock = new FakeClock(T0);
    const jobs = new RecurringJobs(clock);
    const p = fakePolicy(clock, 'maintenance', [schedule('m', '0 * * * *', { window: { start: '02:00', end: '04:00' } })]);
    jobs.register(p.policy);
    jobs.start();
    await clock.advanceTo(T0 + 5 * HOUR);
    expect(p.history.map((h) => `${(h.dueAt - T0) / HOUR} ${h.outcome}`)).toEqual(['1 skipped', '2 ran', '3 ran', '4 skipped', '5 skipped']);
    expect(p.history[0]!.note).toBe('outside the maintenance window 02:00–04:00');
  });

  it('at start, a run missed while closed follows the policy’s rule: always, never, or only when the RPO is at risk', async () => {
    const missed = (rule: CatchUpRule) => {
      const clock = new FakeClock(T0 + 26 * HOUR); // the 02:00 run of day 2 was missed; the last recorded was day 1's
      const jobs = new RecurringJobs(clock);
      const history: Record[] = [{ scheduleId: 'n', dueAt: T0 + 2 * HOUR, trigger: 'schedule', outcome: 'ran', at: T0 + 2 * HOUR }];
      const p = fakePolicy(clock, 'p', [schedule('n', '0 2 * * *')], { rule, history });
      jobs.register(p.policy);
      jobs.start();
      return { pending: jobs.pending('p')[0]!, history };
    };
    expect(missed({ kind: 'always' }).pending).toMatchObject({ trigger: 'catch-up', at: new Date(T0 + 26 * HOUR).toISOString() });
    const never = missed({ kind: 'never' });
    expect(never.pending).toMatchObject({ trigger: 'schedule', at: new Date(T0 + 50 * HOUR).toISOString() });
    expect(never.history.at(-1)).toMatchObject({ outcome: 'missed', dueAt: T0 + 26 * HOUR });
    // The newest success is 24 h old: waiting until tomorrow's run breaks a 30 h RPO, not a 72 h one.
    expect(missed({ kind: 'rpo', rpoMinutes: 30 * 60, lastSuccessAt: T0 + 2 * HOUR }).pending.trigger).toBe('catch-up');
    expect(missed({ kind: 'rpo', rpoMinutes: 72 * 60, lastSuccessAt: T0 + 2 * HOUR }).history.at(-1)!.note).toContain('within the RPO target (4320 min)');
  });

  it('follows changed schedules: a disabled one stops, a saved one waits for its new cron', async () => {
    const clock = new FakeClock(T0);
    const jobs = new RecurringJobs(clock);
    const list = [schedule('a', '0 * * * *')];
    const p = fakePolicy(clock, 'p', list);
    jobs.register(p.policy);
    jobs.start();
    list[0] = schedule('a', '30 * * * *');
    jobs.schedulesChanged('p', 'a');
    expect(jobs.pending('p')[0]!.at).toBe(new Date(T0 + 30 * MIN).toISOString());
    list[0] = schedule('a', '30 * * * *', { enabled: false });
    jobs.schedulesChanged('p');
    expect(jobs.pending('p')).toEqual([]);
    await clock.advanceTo(T0 + 2 * HOUR);
    expect(p.history).toEqual([]);
    jobs.stop();
    expect(jobs.isStarted).toBe(false);
  });
});
