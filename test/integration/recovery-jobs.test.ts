import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as RecoveryModule from '../../main/recovery/index.js';
import type * as SchedulersModule from '../../main/host/schedulers.js';
import type * as RunJobModule from '../../main/workers/runJob.js';
import { EventStore } from '../../main/store/eventStore.js';
import type { RecoveryProgress } from '../../shared/recovery.js';
import { importBuilt } from '../helpers/built.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { backedUpStore } from '../helpers/recovery-fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

// The shipped worker (dist/main/workers/jobWorker.js), as the console and `pconsole serve` run it.
const built = async () => ({
  runJob: (await importBuilt<typeof RunJobModule>('main/workers/runJob.ts')).runJob,
  recovery: await importBuilt<typeof RecoveryModule>('main/recovery/index.ts'),
  schedulers: await importBuilt<typeof SchedulersModule>('main/host/schedulers.ts'),
});

describe('recovery jobs in a worker thread (runJob)', () => {
  it('recoveryValidate, recoveryRun (dry run, in place) and recoveryDrill report progress by phase and return their reports', async () => {
    const { runJob } = await built();
    const root = temp.dir();
    const set = await backedUpStore({ store: join(root, 'store'), backups: join(root, 'backups') }, { full: 3000, increments: [1000, 1000], perAppend: 50 });

    const validation = await runJob('recoveryValidate', { sources: [set.backups], target: { kind: 'latest' } });
    expect(validation.ok).toBe(true);
    expect(validation.archives.map((a) => a.ok)).toEqual([true, true, true]);
    expect(validation.plan.position).toBe(5000);

    const progress: RecoveryProgress[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    const dry = await runJob(
      'recoveryRun',
      { sources: [set.backups], target: { kind: 'position', position: 4500 }, mode: 'dry-run', storeDir: set.store, scratchDir: temp.dir() },
      { onProgress: (p) => progress.push(p) },
    );
    clearInterval(timer);
    expect(dry).toMatchObject({ ok: true, dryRun: true, headPosition: 4500, headHash: set.rows[4499]!.hash });
    expect(dry.leftOut).toMatchObject({ available: true, events: 500 });
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['planning', 'validating', 'preparing', 'applying', 'verifying', 'finishing', 'summarising', 'comparing']);
    expect(progress.filter((p) => p.phase === 'validating').every((p) => typeof p.archive === 'string')).toBe(true);
    expect(ticks).toBeGreaterThan((performance.now() - started) / 10 / 4);

    const inPlace = await runJob('recoveryRun', { sources: [set.backups], target: { kind: 'position', position: 4200 }, mode: 'in-place', storeDir: set.store });
    expect(inPlace).toMatchObject({ headPosition: 4200, previousStore: expect.stringContaining('store.pre-restore-') as unknown });
    const reopened = EventStore.open(set.store);
    expect(reopened.head()).toMatchObject({ position: 4200, hash: set.rows[4199]!.hash });
    reopened.close();

    const drill = await runJob('recoveryDrill', { storeDir: set.store, backupsDir: set.backups, rtoTargetMs: 600_000, rpoTargetMs: 1 });
    expect(drill).toMatchObject({ ok: true, dryRun: true, headPosition: 5000, rtoMet: true, rpoMet: false });
    expect(drill.rpoMs).toBeGreaterThan(0);
  });

  it('recoveryRun cancelled through its AbortSignal: CANCELLED, the destination not created, the work folder gone', async () => {
    const { runJob } = await built();
    const root = temp.dir();
    const set = await backedUpStore({ store: join(root, 'store'), backups: join(root, 'backups') }, { full: 2000, increments: [3000], perAppend: 100 });
    const controller = new AbortController();
    const job = runJob(
      'recoveryRun',
      { sources: [set.backups], target: { kind: 'latest' }, mode: 'to-folder', destination: join(root, 'restored') },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'applying') controller.abort();
        },
      },
    );
    await expectConsoleError(() => job, 'CANCELLED');
    expect(existsSync(join(root, 'restored'))).toBe(false);
    expect(readdirSync(root).sort()).toEqual(['backups', 'store']);
  });

  it('the drill scheduler of a store runs its drills in a worker and records them', async () => {
    const { schedulers } = await built();
    const root = temp.dir();
    const set = await backedUpStore({ store: join(root, 'store'), backups: join(root, 'backups') }, { full: 500, increments: [100] });
    const store = temp.track(EventStore.open(set.store));
    const scheduler = schedulers.drillSchedulerForStore(store);
    expect(scheduler.status()).toMatchObject({ policy: null, warning: null });
    scheduler.savePolicy({ cron: '0 3 * * *', backupsDir: set.backups, maxAgeHours: 24, rtoTargetMinutes: 10 });
    scheduler.start();
    expect(scheduler.status().warning).toMatchObject({ code: 'NEVER_RUN' });
    const record = await scheduler.runNow();
    expect(record).toMatchObject({ outcome: 'succeeded', trigger: 'manual', headPosition: 600, events: 600, archives: 2, rtoTargetMs: 600_000 });
    expect(record.rtoMs).toBeGreaterThan(0);
    expect(record.rpoMs).toBeGreaterThan(0);
    expect(record.report?.headHash).toBe(set.rows[599]!.hash);
    expect(scheduler.status()).toMatchObject({ warning: null, last: { id: record.id }, lastSuccess: { id: record.id } });
    expect(scheduler.history().map((h) => h.id)).toEqual([record.id]);
    await scheduler.stop();
  });
});
