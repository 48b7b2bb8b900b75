import { describe, expect, it } from 'vitest';
import { DrillScheduler, type DrillRunner } from '../../main/recovery/drillScheduler.js';
import { insertDrill } from '../../main/recovery/drillRepository.js';
import { drillWarning } from '../../main/recovery/drillWarning.js';
import type { EventStore } from '../../main/store/eventStore.js';
import { ConsoleError } from '../../shared/errors.js';
import type { DrillPolicy, DrillRecord, DrillReport } from '../../shared/recovery.js';
import { FakeClock, settle } from '../helpers/backup-fakeClock.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();
const HOUR = 3_600_000;
const START = Date.parse('2026-05-04T12:00:00Z');

function report(rtoMs: number, rpoMs: number): DrillReport {
  return {
    ok: true,
    mode: 'dry-run',
    dryRun: true,
    storeId: 's',
    target: { kind: 'position', requestedPosition: 10, requestedTime: null, position: 10, note: null },
    headPosition: 10,
    headHash: 'a'.repeat(64),
    headRecordedAt: new Date(START).toISOString(),
    events: 10,
    streams: 1,
    eventTypes: [],
    steps: [{ name: 'plan', ms: 1 }],
    rtoMs,
    startedAt: new Date(START).toISOString(),
    finishedAt: new Date(START).toISOString(),
    destination: '/tmp/x',
    previousStore: null,
    archives: [{ archive: '/b/a', kind: 'full', fromPosition: 0, toPosition: 10, usedTo: 10, verifyMs: 1 }],
    cutBack: null,
    verification: { ok: true, checkedEvents: 10, integrityCheck: 'ok' },
    leftOut: { available: false, reason: 'x', currentHeadPosition: null, currentHeadHash: null, currentHeadRecordedAt: null, events: 0, fromPosition: null, toPosition: null, firstRecordedAt: null, lastRecordedAt: null, byStream: [], streams: 0, byType: [], historyDiverged: false, regained: 0 },
    dataLoss: { newestRestoredAt: null, referenceAt: new Date(START).toISOString(), reference: 'run-start', windowMs: 0 },
    carriedOver: null,
    warnings: [],
    rpoMs,
    rtoTargetMs: null,
    rpoTargetMs: null,
    rtoMet: null,
    rpoMet: null,
  };
}

interface Harness {
  readonly store: EventStore;
  readonly clock: FakeClock;
  readonly scheduler: DrillScheduler;
  readonly calls: Array<Parameters<DrillRunner>[0]>;
  outcome: () => Promise<DrillReport>;
}

function harness(options: { clock?: FakeClock; store?: EventStore } = {}): Harness {
  const store = options.store ?? temp.store();
  const clock = options.clock ?? new FakeClock(START);
  const calls: Array<Parameters<DrillRunner>[0]> = [];
  const h: Harness = {
    store,
    clock,
    calls,
    outcome: async () => report(2000, 30_000),
    scheduler: undefined as unknown as DrillScheduler,
  };
  const scheduler = new DrillScheduler({
    store: { dir: store.dir, db: store.writerDb() },
    clock,
    readKeys: () => ({}),
    runner: (request) => {
      calls.push(request);
      return h.outcome();
    },
  });
  return Object.assign(h, { scheduler });
}

const policy = { cron: '0 3 * * *', timezone: 'UTC', backupsDir: '/backups', maxAgeHours: 30, rtoTargetMinutes: 5, rpoTargetMinutes: 60 };

describe('DrillScheduler', () => {
  it('validates and keeps its policy in the settings table', async () => {
    const { scheduler, store } = harness();
    expect(scheduler.policy()).toBeNull();
    await expectConsoleError(() => scheduler.savePolicy({ ...policy, cron: 'every day' }), 'INVALID_INPUT');
    await expectConsoleError(() => scheduler.savePolicy({ ...policy, backupsDir: 'relative/dir' }), 'INVALID_INPUT');
    await expectConsoleError(() => scheduler.savePolicy({ ...policy, timezone: 'Mars/Olympus' }), 'INVALID_INPUT');
    await expectConsoleError(() => scheduler.savePolicy({ ...policy, maxAgeHours: 0 }), 'INVALID_INPUT');
    const saved = scheduler.savePolicy({ ...policy, key: { kind: 'passphrase-file', path: '/keys/pass' } });
    expect(saved).toMatchObject({ ...policy, enabled: true, key: { kind: 'passphrase-file', path: '/keys/pass' }, scratchDir: null, updatedAt: new Date(START).toISOString() });
    expect(harness({ store }).scheduler.policy()).toEqual(saved);
    expect(scheduler.deletePolicy()).toBe(true);
    expect(scheduler.policy()).toBeNull();
    await expectConsoleError(() => scheduler.runNow(), 'NOT_FOUND');
  });

  it('runs drills on the cron schedule with the policy’s folder and targets, and records RTO and RPO', async () => {
    const h = harness();
    h.scheduler.savePolicy(policy);
    h.scheduler.start();
    expect(h.scheduler.status().next).toEqual({ at: '2026-05-05T03:00:00.000Z', trigger: 'schedule' });
    await h.clock.advanceTo(Date.parse('2026-05-05T02:59:00Z'));
    expect(h.calls).toHaveLength(0);
    await h.clock.advanceTo(Date.parse('2026-05-05T03:00:01Z'));
    expect(h.calls).toEqual([{ storeDir: h.store.dir, backupsDir: '/backups', keys: {}, scratchDir: undefined, rtoTargetMs: 300_000, rpoTargetMs: 3_600_000 }]);
    const [drill] = h.scheduler.history();
    expect(drill).toMatchObject({ trigger: 'schedule', outcome: 'succeeded', rtoMs: 2000, rpoMs: 30_000, rtoTargetMs: 300_000, rpoTargetMs: 3_600_000, headPosition: 10, archives: 1 });
    expect(h.scheduler.status()).toMatchObject({ warning: null, next: { at: '2026-05-06T03:00:00.000Z' } });
    await h.clock.advanceTo(Date.parse('2026-05-07T04:00:00Z'));
    expect(h.calls).toHaveLength(3);
    await h.scheduler.stop();
  });

  it('records a failed drill, and Overview’s warning says so', async () => {
    const h = harness();
    h.scheduler.savePolicy(policy);
    h.outcome = () => Promise.reject(new ConsoleError('DECRYPTION_FAILED', 'no key matches'));
    const failed = await h.scheduler.runNow();
    expect(failed).toMatchObject({ outcome: 'failed', error: { code: 'DECRYPTION_FAILED', message: 'no key matches' }, rtoMs: null });
    expect(h.scheduler.status().warning).toMatchObject({ code: 'LAST_DRILL_FAILED', severity: 'error' });
    expect(h.scheduler.status().warning!.message).toContain('DECRYPTION_FAILED');
    h.outcome = () => Promise.reject(new ConsoleError('CANCELLED', 'stopped'));
    expect(await h.scheduler.runNow()).toMatchObject({ outcome: 'cancelled' });
  });

  it('catches up at start a drill that came due while the app was closed; marks one it left running as interrupted', async () => {
    const h = harness();
    h.scheduler.savePolicy(policy);
    insertDrill(h.store.writerDb(), 'schedule', START - HOUR, { rtoTargetMs: null, rpoTargetMs: null }); // a process died mid-drill
    // Closed for two days: the 03:00 drills were missed.
    const later = new FakeClock(Date.parse('2026-05-06T09:00:00Z'));
    const again = harness({ store: h.store, clock: later });
    again.scheduler.start();
    expect(again.scheduler.history().find((d) => d.startedAt === new Date(START - HOUR).toISOString())).toMatchObject({ outcome: 'interrupted' });
    expect(again.scheduler.status().next).toMatchObject({ trigger: 'catch-up' });
    await later.advanceBy(1);
    expect(again.calls).toHaveLength(1);
    expect(again.scheduler.history()[0]).toMatchObject({ trigger: 'catch-up', outcome: 'succeeded' });
    expect(again.scheduler.status().next).toEqual({ at: '2026-05-07T03:00:00.000Z', trigger: 'schedule' });
    await again.scheduler.stop();
  });

  it('runs one drill at a time: runNow while one runs is BUSY, a due drill meanwhile is not started', async () => {
    const h = harness();
    h.scheduler.savePolicy({ ...policy, cron: '*/10 * * * *' });
    let release: (r: DrillReport) => void = () => undefined;
    h.outcome = () => new Promise<DrillReport>((resolve) => (release = resolve));
    h.scheduler.start();
    const first = h.scheduler.runNow();
    await settle();
    expect(h.scheduler.status().running).not.toBeNull();
    await expectConsoleError(() => h.scheduler.runNow(), 'BUSY');
    await h.clock.advanceBy(10 * 60_000);
    expect(h.calls).toHaveLength(1);
    release(report(1, 1));
    expect(await first).toMatchObject({ outcome: 'succeeded' });
    expect(h.scheduler.status().running).toBeNull();
    await h.scheduler.stop();
  });
});

describe('drillWarning', () => {
  const p: DrillPolicy = { enabled: true, cron: '0 3 * * *', backupsDir: '/b', key: { kind: 'none' }, maxAgeHours: 24, rtoTargetMinutes: null, rpoTargetMinutes: null, scratchDir: null, updatedAt: new Date(START).toISOString() };
  const record = (over: Partial<DrillRecord>): DrillRecord => ({
    id: 1,
    trigger: 'schedule',
    startedAt: new Date(START).toISOString(),
    endedAt: new Date(START + 1000).toISOString(),
    outcome: 'succeeded',
    headPosition: 1,
    headHash: null,
    events: 1,
    archives: 1,
    rtoMs: 1000,
    rpoMs: 1000,
    rtoTargetMs: null,
    rpoTargetMs: null,
    error: null,
    report: null,
    ...over,
  });

  it('warns when no drill ran, the last failed, the last success is too old, or targets were missed', () => {
    expect(drillWarning(null, null, null, START)).toBeNull();
    expect(drillWarning({ ...p, enabled: false }, null, null, START)).toBeNull();
    expect(drillWarning(p, null, null, START)?.code).toBe('NEVER_RUN');
    const ok = record({});
    expect(drillWarning(p, ok, ok, START + HOUR)).toBeNull();
    expect(drillWarning(p, ok, ok, START + 25 * HOUR)).toMatchObject({ code: 'DRILL_OVERDUE', severity: 'warning' });
    expect(drillWarning(p, record({ outcome: 'failed', error: { code: 'ARCHIVE_CORRUPT', message: 'bad' } }), ok, START + HOUR)).toMatchObject({ code: 'LAST_DRILL_FAILED', severity: 'error' });
    expect(drillWarning(p, record({ outcome: 'cancelled' }), ok, START + HOUR)).toBeNull();
    const slow = record({ rtoMs: 700_000, rtoTargetMs: 600_000 });
    expect(drillWarning(p, slow, slow, START + HOUR)).toMatchObject({ code: 'TARGET_MISSED' });
  });
});
