import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupScheduler, type SchedulerRunners } from '../../main/backup/scheduler/backupScheduler.js';
import type { CreateBackupRequest, CreateBackupResult } from '../../main/backup/createBackup.js';
import type { EventStore } from '../../main/store/eventStore.js';
import { ConsoleError } from '../../shared/errors.js';
import type { BackupScheduleInput } from '../../shared/backup.js';
import { fakeEntry } from '../helpers/backup-entries.js';
import { FakeClock, settle } from '../helpers/backup-fakeClock.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();
const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-01-01T00:00:00Z');

interface Call {
  readonly at: number;
  readonly request: CreateBackupRequest;
}

/** Runners that record each call; a backup takes `durationMs` of fake time when `clock` is given. */
function fakeRunners(clock: FakeClock, options: { durationMs?: number; fail?: ConsoleError; verifyOk?: boolean } = {}) {
  const calls: Call[] = [];
  const pruned: string[] = [];
  const runners: SchedulerRunners = {
    async backup(request, { signal }) {
      calls.push({ at: clock.now(), request });
      if (options.durationMs !== undefined) {
        const ms = options.durationMs;
        await new Promise<void>((resolve, reject) => {
          clock.setTimer(resolve, ms);
          signal.addEventListener('abort', () => reject(new ConsoleError('CANCELLED', 'cancelled')), { once: true });
        });
      }
      if (options.fail !== undefined) throw options.fail;
      const entry = fakeEntry({ kind: request.kind, from: 0, to: calls.length * 10, at: clock.now() });
      const result: CreateBackupResult = {
        created: true,
        archive: join(request.destination, entry.name),
        sidecar: join(request.destination, entry.name + '.manifest.json'),
        manifest: entry.manifest,
        archiveBytes: 1234,
        continues: null,
        fellBackToFull: false,
        durationMs: 5,
        steps: [],
      };
      return result;
    },
    async verify(request) {
      return {
        ok: options.verifyOk ?? true,
        archive: request.archive,
        problems: options.verifyOk === false ? [{ code: 'ARCHIVE_CORRUPT', member: 'events.db', check: 'checksum', message: 'events.db does not match' }] : [],
        verifiedAt: new Date(clock.now()).toISOString(),
        durationMs: 1,
        manifest: null,
        eventsChecked: 0,
        archiveBytes: 0,
        continuity: 'not-applicable',
        previousArchive: null,
        toolVersion: 'test',
        manifestSource: null,
        warnings: [],
        signature: 'unsigned',
        signingKeyId: null,
        trustedKeyId: null,
      };
    },
    async prune(request) {
      pruned.push(request.dir);
      return { dir: request.dir, plans: [], removed: ['a', 'b'], bytesFreed: 0, dryRun: false };
    },
  };
  return { runners, calls, pruned };
}

function schedule(overrides: Partial<BackupScheduleInput> = {}): BackupScheduleInput {
  return { name: 'nightly', cron: '0 2 * * *', timezone: 'UTC', kind: 'full', destination: '/backups/nightly', encryption: { kind: 'none' }, ...overrides };
}

function setup(clock: FakeClock, runners: SchedulerRunners, store?: EventStore): { scheduler: BackupScheduler; store: EventStore } {
  const s = store ?? temp.store();
  return { scheduler: new BackupScheduler({ store: { dir: s.dir, db: s.writerDb() }, runners, clock, readPassphrase: () => 'from-file' }), store: s };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('BackupScheduler with an injected clock', () => {
  it('runs at the times of the cron expression and records every run', async () => {
    const clock = new FakeClock(T0);
    const { runners, calls } = fakeRunners(clock);
    const { scheduler } = setup(clock, runners);
    const s = scheduler.saveSchedule(schedule());
    scheduler.start();
    expect(scheduler.status().next).toEqual([{ scheduleId: s.id, at: '2026-01-01T02:00:00.000Z', trigger: 'schedule' }]);
    await clock.advanceTo(T0 + 3 * 24 * HOUR);
    expect(calls.map((c) => iso(c.at))).toEqual(['2026-01-01T02:00:00.000Z', '2026-01-02T02:00:00.000Z', '2026-01-03T02:00:00.000Z']);
    const runs = scheduler.runs();
    expect(runs.map((r) => [r.outcome, r.trigger, r.dueAt, r.verified, r.archiveBytes])).toEqual([
      ['succeeded', 'schedule', '2026-01-03T02:00:00.000Z', true, 1234],
      ['succeeded', 'schedule', '2026-01-02T02:00:00.000Z', true, 1234],
      ['succeeded', 'schedule', '2026-01-01T02:00:00.000Z', true, 1234],
    ]);
    expect(runs[0]!.startedAt).toBe('2026-01-03T02:00:00.000Z');
    expect(runs[0]!.endedAt).not.toBeNull();
    await scheduler.stop();
  });

  it('never starts outside the backup window: due runs there are recorded as skipped', async () => {
    const clock = new FakeClock(T0);
    const { runners, calls } = fakeRunners(clock);
    const { scheduler } = setup(clock, runners);
    scheduler.saveSchedule(schedule({ cron: '*/30 * * * *', window: { start: '01:00', end: '03:00' } }));
    scheduler.start();
    await clock.advanceTo(T0 + 4 * HOUR);
    expect(calls.map((c) => iso(c.at).slice(11, 16))).toEqual(['01:00', '01:30', '02:00', '02:30']);
    const skipped = scheduler.runs().filter((r) => r.outcome === 'skipped');
    expect(skipped.map((r) => r.dueAt.slice(11, 16)).sort()).toEqual(['00:30', '03:00', '03:30', '04:00']);
    expect(skipped[0]!.note).toContain('outside the backup window 01:00–03:00');
    await scheduler.stop();
  });

  it('honours a window that crosses midnight, in the schedule’s time zone', async () => {
    const clock = new FakeClock(T0);
    const { runners, calls } = fakeRunners(clock);
    const { scheduler } = setup(clock, runners);
    // Lisbon is UTC+0 in winter, Helsinki UTC+2: 22:00–02:00 Helsinki is 20:00–00:00 UTC.
    scheduler.saveSchedule(schedule({ cron: '0 * * * *', timezone: 'Europe/Helsinki', window: { start: '22:00', end: '02:00' } }));
    scheduler.start();
    await clock.advanceTo(T0 + 24 * HOUR);
    expect(calls.map((c) => iso(c.at).slice(11, 16))).toEqual(['20:00', '21:00', '22:00', '23:00']);
    await scheduler.stop();
  });

  it('never overlaps runs: one due while another goes is skipped and recorded', async () => {
    const clock = new FakeClock(T0);
    const { runners, calls } = fakeRunners(clock, { durationMs: 40 * MIN });
    const { scheduler } = setup(clock, runners);
    scheduler.saveSchedule(schedule({ cron: '*/15 * * * *' }));
    scheduler.start();
    await clock.advanceTo(T0 + HOUR + 5 * MIN);
    expect(calls.map((c) => iso(c.at).slice(11, 16))).toEqual(['00:15', '01:00']);
    const outcomes = scheduler.runs().map((r) => `${r.dueAt.slice(11, 16)} ${r.outcome}`).sort();
    expect(outcomes).toEqual(['00:15 succeeded', '00:30 skipped', '00:45 skipped', '01:00 running']);
    expect(scheduler.status().running).not.toBeNull();
    await expectConsoleError(() => scheduler.runNow(scheduler.listSchedules()[0]!.id), 'BUSY');
    await clock.advanceBy(HOUR);
    await scheduler.stop();
  });

  it('a run of another schedule due during a run waits for it to end instead of overlapping', async () => {
    const clock = new FakeClock(T0);
    const { runners, calls } = fakeRunners(clock, { durationMs: 20 * MIN });
    const { scheduler } = setup(clock, runners);
    scheduler.saveSchedule(schedule({ name: 'full', cron: '0 2 * * *' }));
    scheduler.saveSchedule(schedule({ name: 'incremental', cron: '0 * * * *', kind: 'incremental' }));
    scheduler.start();
    await clock.advanceTo(T0 + 3 * HOUR);
    const at02 = calls.filter((c) => iso(c.at) >= '2026-01-01T02:00' && iso(c.at) < '2026-01-01T03:00');
    expect(at02.map((c) => [iso(c.at).slice(11, 16), c.request.kind]).sort()).toEqual([
      ['02:00', expect.any(String)],
      ['02:20', expect.any(String)],
    ]);
    const runs = scheduler.runs().filter((r) => r.startedAt !== null);
    for (const a of runs)
      for (const b of runs)
        if (a !== b) expect(a.endedAt! <= b.startedAt! || b.endedAt! <= a.startedAt!, `${a.startedAt}–${a.endedAt} overlaps ${b.startedAt}–${b.endedAt}`).toBe(true);
    await scheduler.stop();
  });

  it('catches up a run missed while the app was closed when the RPO target is at risk', async () => {
    const clock = new FakeClock(T0);
    const first = fakeRunners(clock);
    const { scheduler, store } = setup(clock, first.runners);
    scheduler.saveSchedule(schedule({ rpoMinutes: 24 * 60 }));
    scheduler.start();
    await clock.advanceTo(T0 + 3 * HOUR); // ran at 02:00 on day 1
    await scheduler.stop();
    expect(first.calls).toHaveLength(1);

    // Closed for a day and a half: 02:00 on day 2 was missed; waiting for day 3's run would leave 48 h without a backup.
    await clock.advanceTo(T0 + 36 * HOUR);
    const second = fakeRunners(clock);
    const { scheduler: again } = setup(clock, second.runners, store);
    again.start();
    expect(again.status().next[0]).toMatchObject({ trigger: 'catch-up', at: iso(T0 + 36 * HOUR) });
    await clock.advanceBy(1);
    expect(second.calls.map((c) => iso(c.at))).toEqual([iso(T0 + 36 * HOUR)]);
    expect(again.runs()[0]).toMatchObject({ trigger: 'catch-up', outcome: 'succeeded' });
    // Then the schedule carries on at its own times.
    await clock.advanceTo(T0 + 50 * HOUR + 1);
    expect(second.calls.map((c) => iso(c.at))).toEqual([iso(T0 + 36 * HOUR), '2026-01-03T02:00:00.000Z']);
    await again.stop();
  });

  it('records a missed run and waits when the RPO target is not at risk (or not set)', async () => {
    const clock = new FakeClock(T0);
    const first = fakeRunners(clock);
    const { scheduler, store } = setup(clock, first.runners);
    const relaxed = scheduler.saveSchedule(schedule({ rpoMinutes: 72 * 60 }));
    const unset = scheduler.saveSchedule(schedule({ name: 'no target', destination: '/backups/other' }));
    scheduler.start();
    await clock.advanceTo(T0 + 3 * HOUR);
    await scheduler.stop();
    await clock.advanceTo(T0 + 30 * HOUR);
    const second = fakeRunners(clock);
    const { scheduler: again } = setup(clock, second.runners, store);
    again.start();
    await clock.advanceBy(HOUR);
    expect(second.calls).toEqual([]);
    for (const s of [relaxed, unset]) {
      const missed = again.runs({ scheduleId: s.id }).filter((r) => r.outcome === 'missed');
      expect(missed).toHaveLength(1);
      expect(missed[0]!.dueAt).toBe('2026-01-02T02:00:00.000Z');
    }
    expect(again.runs({ scheduleId: relaxed.id })[0]!.note).toContain('within the RPO target');
    await again.stop();
  });

  it('a catch-up outside the window waits for the window to open', async () => {
    const clock = new FakeClock(T0);
    const first = fakeRunners(clock);
    const { scheduler, store } = setup(clock, first.runners);
    scheduler.saveSchedule(schedule({ cron: '0 2 * * *', window: { start: '01:00', end: '05:00' }, rpoMinutes: 12 * 60 }));
    scheduler.start();
    await clock.advanceTo(T0 + 3 * HOUR);
    await scheduler.stop();
    await clock.advanceTo(T0 + 24 * HOUR + 12 * HOUR); // day 2, 12:00: outside the window
    const second = fakeRunners(clock);
    const { scheduler: again } = setup(clock, second.runners, store);
    again.start();
    expect(again.status().next[0]).toMatchObject({ trigger: 'catch-up', at: '2026-01-03T01:00:00.000Z' });
    await clock.advanceTo(Date.parse('2026-01-03T01:00:00Z'));
    expect(second.calls.map((c) => iso(c.at))).toEqual(['2026-01-03T01:00:00.000Z']);
    await again.stop();
  });

  it('marks a run left running by a stopped process as interrupted', async () => {
    const clock = new FakeClock(T0);
    const { runners } = fakeRunners(clock, { durationMs: 10 * HOUR });
    const { scheduler, store } = setup(clock, runners);
    const s = scheduler.saveSchedule(schedule());
    void scheduler.runNow(s.id);
    await settle();
    expect(scheduler.runs()[0]!.outcome).toBe('running');
    // The process "dies": a new scheduler on the same store starts without the old one stopping.
    const { scheduler: again } = setup(clock, fakeRunners(clock).runners, store);
    again.start();
    expect(again.runs()[0]).toMatchObject({ outcome: 'interrupted' });
    await again.stop();
  });

  it('records failures with their error code, a failed verification as failed, and prunes with the policy', async () => {
    const clock = new FakeClock(T0);
    const failing = fakeRunners(clock, { fail: new ConsoleError('DISK_FULL', 'the disk is full') });
    const { scheduler, store } = setup(clock, failing.runners);
    const s = scheduler.saveSchedule(schedule({ retention: { keepLast: 3 } }));
    expect(await scheduler.runNow(s.id)).toMatchObject({ outcome: 'failed', trigger: 'manual', error: { code: 'DISK_FULL' } });
    const badVerify = fakeRunners(clock, { verifyOk: false });
    const { scheduler: second } = setup(clock, badVerify.runners, store);
    const run = await second.runNow(s.id);
    expect(run).toMatchObject({ outcome: 'failed', verified: false, pruned: 2 });
    expect(run.note).toContain('verification failed');
    expect(badVerify.pruned).toEqual(['/backups/nightly']);
  });

  it('hands a passphrase read from the named file to the backup, never storing it', async () => {
    const clock = new FakeClock(T0);
    const { runners, calls } = fakeRunners(clock);
    const { scheduler, store } = setup(clock, runners);
    const s = scheduler.saveSchedule(schedule({ encryption: { kind: 'age-passphrase', passphraseFile: '/secrets/backup.pass' } }));
    await scheduler.runNow(s.id);
    expect(calls[0]!.request.encryption).toEqual({ kind: 'age-passphrase', passphrase: 'from-file' });
    const stored = store.db.prepare('SELECT definition FROM backup_schedules').all() as Array<{ definition: string }>;
    expect(stored[0]!.definition).toContain('/secrets/backup.pass');
    expect(stored[0]!.definition).not.toContain('from-file');
  });

  it('validates schedules: cron, time zone, absolute folders, recipients', async () => {
    const clock = new FakeClock(T0);
    const { scheduler } = setup(clock, fakeRunners(clock).runners);
    await expectConsoleError(() => scheduler.saveSchedule(schedule({ cron: 'every night' })), 'INVALID_INPUT');
    await expectConsoleError(() => scheduler.saveSchedule(schedule({ timezone: 'Mars/Olympus' })), 'INVALID_INPUT');
    await expectConsoleError(() => scheduler.saveSchedule(schedule({ destination: 'relative/dir' })), 'INVALID_INPUT');
    await expectConsoleError(() => scheduler.saveSchedule(schedule({ encryption: { kind: 'age-recipient', recipient: 'age1xyz' } })), 'INVALID_INPUT');
    await expectConsoleError(() => scheduler.saveSchedule(schedule({ window: { start: '25:00', end: '01:00' } })), 'INVALID_INPUT');
    const s = scheduler.saveSchedule(schedule({ cron: '30 1 * * 1-5', window: { start: '01:00', end: '02:00' } }));
    expect(scheduler.nextRuns(s.id, 3).map((r) => r.at)).toEqual(['2026-01-01T01:30:00.000Z', '2026-01-02T01:30:00.000Z', '2026-01-05T01:30:00.000Z']);
    expect(scheduler.nextRuns(s.id, 1)[0]!.words).toBe('Thu, 1 Jan 2026, 01:30 (in 2 hours)');
    expect(scheduler.deleteSchedule(s.id)).toBe(true);
    await expectConsoleError(() => scheduler.runNow(s.id), 'NOT_FOUND');
  });
});

describe('cron descriptions for the schedule editor', () => {
  it('summarises common expressions and lists the next runs in words', async () => {
    const { describeCron, summarizeCron } = await import('../../main/platform/recurring/cron.js');
    expect(summarizeCron('0 2 * * *')).toBe('every day at 02:00');
    expect(summarizeCron('15 * * * *')).toBe('every hour at :15');
    expect(summarizeCron('*/10 * * * *')).toBe('every 10 minutes');
    expect(summarizeCron('0 3 * * 0')).toBe('every Sunday at 03:00');
    expect(summarizeCron('0 3 * * 1-5')).toBe('every weekday at 03:00');
    expect(summarizeCron('0 4 1 * *')).toBe('on day 1 of every month at 04:00');
    expect(summarizeCron('0 4 1 1 *')).toBeNull();
    const d = describeCron('0 2 * * *', { now: T0, timezone: 'UTC', count: 5 });
    expect(d).toMatchObject({ valid: true, error: null, summary: 'every day at 02:00' });
    expect(d.nextRuns.map((r) => r.words)).toEqual([
      'Thu, 1 Jan 2026, 02:00 (in 2 hours)',
      'Fri, 2 Jan 2026, 02:00 (in 26 hours)',
      'Sat, 3 Jan 2026, 02:00 (in 2 days)',
      'Sun, 4 Jan 2026, 02:00 (in 3 days)',
      'Mon, 5 Jan 2026, 02:00 (in 4 days)',
    ]);
    expect(describeCron('61 * * * *', { now: T0, timezone: 'UTC' })).toMatchObject({ valid: false, nextRuns: [] });
  });
});
