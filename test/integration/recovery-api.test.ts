import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecoverySources, EventsAround } from '../../shared/api/recoveryContract.js';
import type { BackupEvent } from '../../shared/api/backupContract.js';
import type { HeadNotice, LiveBatch } from '../../shared/api/types.js';
import type { DrillPolicy, DrillRecord, DrillReport, DrillStatus, PreRestoreStore, RecoveryPlan, RecoveryReport, ValidationReport } from '../../shared/recovery.js';
import { ApiPipeline } from '../../main/api/pipeline.js';
import { createBackup } from '../../main/backup/createBackup.js';
import { ConsoleHost } from '../../main/host/consoleHost.js';
import { AuditLog } from '../../main/security/auditLog.js';
import { EventStore } from '../../main/store/eventStore.js';
import { firstEventRecordedAfter } from '../../main/store/timeSearch.js';
import { callValue, runJobToEnd, TEST_ADMIN } from '../helpers/apiCalls.js';
import { StepClock, T0 } from '../helpers/recovery-fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const iso = (ms: number) => new Date(ms).toISOString();

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A host on a store named `name`, whose events are recorded one second apart by a clock the test moves. */
function hostWithClock(path: string): { host: ConsoleHost; pipeline: ApiPipeline; clock: StepClock } {
  const clock = new StepClock(T0);
  const host = new ConsoleHost({ storePath: path, transport: 'test', createIfMissing: true, clock: clock.read });
  return { host, pipeline: new ApiPipeline(host), clock };
}

async function appendEach(host: ConsoleHost, clock: StepClock, count: number, event: (i: number) => { streamId: string; type: string }): Promise<void> {
  for (let i = 0; i < count; i++) {
    clock.advance(1000);
    const { streamId, type } = event(i);
    await host.store.append({ streamId, events: [{ type, data: { i } }] });
  }
}

async function backUp(pipeline: ApiPipeline, host: ConsoleHost, destination: string, kind: 'full' | 'incremental', encryption: unknown = { kind: 'none' }): Promise<void> {
  const { job } = await runJobToEnd(pipeline, host, 'backup.create', { destination, kind, encryption });
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
}

describe('recovery through the API', () => {
  const temp = useTempDirs();

  it('plans from the catalog, shows events around a target, validates, dry-runs, restores in place with live subscriptions following, and discards the store set aside', async () => {
    const root = temp.dir();
    const backups = join(root, 'backups');
    mkdirSync(backups);
    const { host, pipeline, clock } = hostWithClock(join(root, 'orders'));
    try {
      // 40 events, a full backup; 10 more, an incremental; then a bad batch of 5, backed up too.
      await appendEach(host, clock, 40, (i) => ({ streamId: `order-${i % 5}`, type: 'OrderPlaced' }));
      await backUp(pipeline, host, backups, 'full');
      await appendEach(host, clock, 10, (i) => ({ streamId: `order-${i % 5}`, type: 'OrderShipped' }));
      await backUp(pipeline, host, backups, 'incremental');
      await appendEach(host, clock, 5, () => ({ streamId: 'order-bad', type: 'OrderCorrupted' }));
      await backUp(pipeline, host, backups, 'incremental');
      const original = host.store.reader.readAll(1, 100);
      expect(original).toHaveLength(55);

      // An archive of another store in the same folder: counted apart, never used for this one.
      const otherDir = join(root, 'other');
      const other = EventStore.create(otherDir);
      other.appendNow({ streamId: 'x', events: [{ type: 'Other', data: {} }] });
      const otherStoreId = other.storeId;
      other.close();
      await createBackup({ storeDir: otherDir, destination: backups, kind: 'full', encryption: { kind: 'none' } });

      // Sources and plan from the catalog (no sources given).
      const sources = await callValue<RecoverySources>(pipeline, 'recovery.sources', {});
      expect(sources.sources).toEqual([backups]);
      expect(sources.storeId).toBe(host.store.storeId);
      expect(sources.entries.map((e) => [e.manifest.kind, e.manifest.fromPosition, e.manifest.toPosition])).toEqual([
        ['full', 0, 40],
        ['incremental', 40, 50],
        ['incremental', 50, 55],
      ]);
      expect(sources.chains).toHaveLength(1);
      expect(sources.chains[0]).toMatchObject({ complete: true, restorableTo: 55 });
      expect(sources.otherStores).toEqual([{ storeId: otherStoreId, archives: 1 }]);
      const plan = await callValue<RecoveryPlan>(pipeline, 'recovery.plan', { target: { kind: 'position', position: 50 } });
      expect(plan).toMatchObject({ storeId: host.store.storeId, position: 50, expectedHash: original[49]!.hash, blockingGap: null });
      expect(plan.links.map((l) => l.toPosition)).toEqual([40, 50]);

      // Events around a position, and around a time (between the 50th and 51st events).
      const byPosition = await callValue<EventsAround>(pipeline, 'recovery.eventsAround', { target: { kind: 'position', position: 50 }, before: 2, after: 2 });
      expect(byPosition.position).toBe(50);
      expect(byPosition.headPosition).toBe(55);
      expect(byPosition.events.map((e) => e.globalPosition)).toEqual([48, 49, 50, 51, 52]);
      const at50 = original[49]!.recordedAt;
      const byTime = await callValue<EventsAround>(pipeline, 'recovery.eventsAround', { target: { kind: 'time', at: iso(at50 + 500) }, before: 1, after: 1 });
      expect(byTime.position).toBe(50);
      expect(byTime.events.map((e) => e.globalPosition)).toEqual([49, 50, 51]);
      const exactly = await callValue<EventsAround>(pipeline, 'recovery.eventsAround', { target: { kind: 'time', at: iso(at50) }, before: 0, after: 0 });
      expect(exactly.position, 'an event recorded exactly at the time is kept').toBe(50);
      const beforeAll = await callValue<EventsAround>(pipeline, 'recovery.eventsAround', { target: { kind: 'time', at: iso(T0) }, after: 2 });
      expect(beforeAll).toMatchObject({ position: null, headPosition: 55 });
      expect(beforeAll.events.map((e) => e.globalPosition)).toEqual([1, 2]);
      const afterAll = await callValue<EventsAround>(pipeline, 'recovery.eventsAround', { target: { kind: 'time', at: iso(clock.now + 60_000) }, before: 1, after: 3 });
      expect(afterAll.position).toBe(55);
      expect(afterAll.events.map((e) => e.globalPosition)).toEqual([54, 55]);
      // Once the views have caught up they vouch for the order of times, and the search bisects.
      await waitFor('the views to catch up', () => host.views.timesInOrderTo() === 55);
      const bisected = await callValue<EventsAround>(pipeline, 'recovery.eventsAround', { target: { kind: 'time', at: iso(at50 + 500) }, before: 0, after: 0 });
      expect(bisected.position).toBe(50);

      // Validation and a dry run: nothing changes, the dry run says what would be left out.
      const validation = await runJobToEnd(pipeline, host, 'recovery.validate', { target: { kind: 'position', position: 50 } });
      expect(validation.job.state, JSON.stringify(validation.job.error)).toBe('succeeded');
      const validated = validation.job.result as ValidationReport;
      expect(validated.ok).toBe(true);
      expect(validated.archives.map((a) => a.ok)).toEqual([true, true]);
      expect(validation.phases.has('validating')).toBe(true);
      const dry = await runJobToEnd(pipeline, host, 'recovery.dryRun', { target: { kind: 'position', position: 50 } });
      expect(dry.job.state, JSON.stringify(dry.job.error)).toBe('succeeded');
      const dryReport = dry.job.result as RecoveryReport;
      expect(dryReport).toMatchObject({ dryRun: true, headPosition: 50, headHash: original[49]!.hash, previousStore: null });
      expect(dryReport.leftOut).toMatchObject({ available: true, events: 5, fromPosition: 51, toPosition: 55, byStream: [{ streamId: 'order-bad', events: 5 }], byType: [{ type: 'OrderCorrupted', events: 5 }] });
      expect(dryReport.destination.startsWith(tmpdir()), 'the scratch store is built in the temporary folder').toBe(true);
      expect(host.store.head().position).toBe(55);

      // The wrong store name is refused at once, and nothing is done.
      const jobsBefore = host.jobs.list().length;
      const refused = await pipeline.call(TEST_ADMIN, 'recovery.restore', { target: { kind: 'position', position: 50 }, confirmStoreName: 'order' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      if (!refused.ok) expect(refused.error.message).toContain('"orders"');
      expect(host.jobs.list()).toHaveLength(jobsBefore);
      expect(host.store.head().position).toBe(55);
      expect(await callValue<PreRestoreStore[]>(pipeline, 'recovery.preRestoreStores', {})).toEqual([]);

      // Subscriptions made before the restore.
      const batches: LiveBatch[] = [];
      const heads: HeadNotice[] = [];
      const backupEvents: BackupEvent[] = [];
      const ends: unknown[] = [];
      const subscriptions = [
        pipeline.subscribe(TEST_ADMIN, 'live.events', {}, (v) => batches.push(v as LiveBatch), (e) => ends.push(e)),
        pipeline.subscribe(TEST_ADMIN, 'live.head', {}, (v) => heads.push(v as HeadNotice), (e) => ends.push(e)),
        pipeline.subscribe(TEST_ADMIN, 'backup.events', {}, (v) => backupEvents.push(v as BackupEvent), (e) => ends.push(e)),
      ];
      expect(subscriptions.every((s) => s.ok)).toBe(true);
      await waitFor('the first head notice', () => heads.length > 0);

      // The restore in place to just before the bad batch.
      const restore = await runJobToEnd(pipeline, host, 'recovery.restore', { target: { kind: 'position', position: 50 }, confirmStoreName: 'orders' });
      expect(restore.job.state, JSON.stringify(restore.job.error)).toBe('succeeded');
      const report = restore.job.result as RecoveryReport;
      expect(report).toMatchObject({ mode: 'in-place', dryRun: false, headPosition: 50, headHash: original[49]!.hash, destination: join(root, 'orders') });
      expect(report.leftOut).toMatchObject({ available: true, events: 5 });
      expect(report.previousStore).toMatch(/orders\.pre-restore-/);
      expect(restore.phases.has('validating') && restore.phases.has('publishing')).toBe(true);

      // The reopened store: exactly the 50 events, the original hash at 50, appends go on from there.
      expect(host.store.head()).toMatchObject({ position: 50, hash: original[49]!.hash });
      expect(host.store.reader.readAll(1, 100).map((e) => e.hash)).toEqual(original.slice(0, 50).map((e) => e.hash));
      clock.advance(1000);
      const appended = await callValue<{ globalPosition: number }>(pipeline, 'events.append', { streamId: 'order-1', events: [{ type: 'OrderAmended', data: {} }] });
      expect(appended.globalPosition).toBe(51);

      // The live subscriptions followed the restored store and said it was replaced.
      await waitFor('the appended event on the live tail', () => batches.some((b) => b.events.some((e) => e.type === 'OrderAmended')));
      const replacedAt = batches.findIndex((b) => b.storeReplaced === true);
      expect(replacedAt).toBeGreaterThanOrEqual(0);
      expect(batches[replacedAt]).toMatchObject({ headPosition: 50, events: [] });
      const afterRestore = batches.slice(replacedAt + 1).flatMap((b) => b.events);
      expect(afterRestore.map((e) => [e.globalPosition, e.type])).toEqual([[51, 'OrderAmended']]);
      await waitFor('the new head', () => heads.some((h) => h.headPosition === 51));
      expect(heads.find((h) => h.storeReplaced === true)).toMatchObject({ headPosition: 50, headHash: original[49]!.hash });
      expect(backupEvents).toContainEqual({ type: 'schedules-changed' });
      expect(ends).toEqual([]);
      for (const s of subscriptions) if (s.ok) s.value.unsubscribe();

      // Audited in the restored store's log.
      const audit = new AuditLog(host.store.writerDb()).recent(20);
      expect(audit.find((a) => a.action === 'recovery.swap')).toMatchObject({ outcome: 'ok', actor: TEST_ADMIN.name, details: { headPosition: 50, previousStore: report.previousStore } });
      expect(audit.some((a) => a.action === 'recovery.restore' && a.outcome === 'ok')).toBe(true);

      // The store set aside, listed and discarded.
      const kept = await callValue<PreRestoreStore[]>(pipeline, 'recovery.preRestoreStores', {});
      expect(kept.map((k) => k.path)).toEqual([report.previousStore]);
      expect(kept[0]!.bytes).toBeGreaterThan(0);
      const notKept = await pipeline.call(TEST_ADMIN, 'recovery.discardPreRestore', { path: join(root, 'other') });
      expect(notKept).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const discarded = await callValue<{ discarded: string; bytes: number }>(pipeline, 'recovery.discardPreRestore', { path: report.previousStore });
      expect(discarded.discarded).toBe(report.previousStore);
      expect(existsSync(report.previousStore!)).toBe(false);
      expect(await callValue<PreRestoreStore[]>(pipeline, 'recovery.preRestoreStores', {})).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('finds the last event at or before a time when times go back (imported events, a clock set back)', async () => {
    const { host, pipeline, clock } = hostWithClock(temp.path('times'));
    try {
      for (const offset of [1000, 3000, 500, 600, 700, 4000]) {
        clock.now = T0 + offset;
        await host.store.append({ streamId: 's', events: [{ type: 'Happened', data: { offset } }] });
      }
      const around = async (offset: number) =>
        (await callValue<EventsAround>(pipeline, 'recovery.eventsAround', { target: { kind: 'time', at: iso(T0 + offset) }, before: 0, after: 0 })).position;
      // The restore keeps the longest prefix with no event after the time: a later event ends it even if
      // earlier times follow (a bisection over the raw times would answer 5 for 2000).
      const expected: Array<[number, number | null]> = [
        [2000, 1],
        [800, null],
        [3000, 5],
        [3500, 5],
        [5000, 6],
        [0, null],
      ];
      for (const [offset, position] of expected) expect(await around(offset), `at T0+${offset}`).toBe(position);
      expect(await firstEventRecordedAfter(host.store.reader, T0 + 2000, 0)).toEqual({ position: 2, recordedAt: T0 + 3000 });
      // The views see where times first go back: only positions before it are bisected.
      await waitFor('the views to catch up', () => host.views.status().lag === 0);
      expect(host.views.timesInOrderTo()).toBe(2);
      for (const [offset, position] of expected) expect(await around(offset), `at T0+${offset} with the views`).toBe(position);
    } finally {
      await host.close();
    }
  });

  it('replaces the store only when no other job runs, answers BUSY meanwhile, and reopens it unchanged when the work fails', async () => {
    const { host, pipeline, clock } = hostWithClock(temp.path('books'));
    try {
      await appendEach(host, clock, 3, () => ({ streamId: 'book-1', type: 'Written' }));
      const head = host.store.head();
      const batches: LiveBatch[] = [];
      const live = pipeline.subscribe(TEST_ADMIN, 'live.events', {}, (v) => batches.push(v as LiveBatch), () => undefined);
      expect(live.ok).toBe(true);

      let release: () => void = () => undefined;
      const other = host.jobs.start('test', 'tester', { label: 'a long job', run: () => new Promise<void>((resolve) => (release = resolve)) });
      await expect(host.replaceStore(() => Promise.resolve())).rejects.toMatchObject({ code: 'BUSY' });
      release();
      await other.done;

      let during: unknown;
      await expect(
        host.replaceStore(async () => {
          during = await pipeline.call(TEST_ADMIN, 'store.overview', {});
          await pipeline.call(TEST_ADMIN, 'events.append', { streamId: 'book-2', events: [{ type: 'Written', data: {} }] });
          throw new Error('the restore failed');
        }),
      ).rejects.toThrow('the restore failed');
      expect(during).toMatchObject({ ok: false, error: { code: 'BUSY' } });
      expect(host.store.head()).toEqual(head);
      // The append refused meanwhile was audited once the store was back.
      const audit = new AuditLog(host.store.writerDb()).recent(5);
      expect(audit.some((a) => a.action === 'events.append' && a.outcome === 'failed' && a.details.code === 'BUSY')).toBe(true);

      // The same store, reopened: no "replaced" notice, and the live subscription goes on.
      clock.advance(1000);
      await callValue(pipeline, 'events.append', { streamId: 'book-1', events: [{ type: 'Revised', data: {} }] });
      await waitFor('the append after the failed restore', () => batches.some((b) => b.events.some((e) => e.type === 'Revised')));
      expect(batches.some((b) => b.storeReplaced === true)).toBe(false);
      expect(batches.flatMap((b) => b.events).map((e) => e.globalPosition)).toEqual([4]);
      if (live.ok) live.value.unsubscribe();
    } finally {
      await host.close();
    }
  });

  it('refuses a wrong passphrase before anything is written and leaves the store open and usable', async () => {
    const root = temp.dir();
    const backups = join(root, 'backups');
    mkdirSync(backups);
    const { host, pipeline, clock } = hostWithClock(join(root, 'ledger'));
    try {
      await appendEach(host, clock, 20, (i) => ({ streamId: `account-${i % 3}`, type: 'Deposited' }));
      await backUp(pipeline, host, backups, 'full', { kind: 'age-passphrase', passphrase: 'the right one' });
      const head = host.store.head();
      const rootBefore = readdirSync(root).sort();
      const storeBefore = readdirSync(host.store.dir).sort();

      const restore = await runJobToEnd(pipeline, host, 'recovery.restore', {
        target: { kind: 'latest' },
        keys: { passphrase: 'a wrong one' },
        confirmStoreName: 'ledger',
      });
      expect(restore.job.state).toBe('failed');
      expect(restore.job.error?.code).toBe('DECRYPTION_FAILED');
      expect(restore.phases.has('publishing')).toBe(false);
      expect(readdirSync(root).sort(), 'no work folder, no store set aside').toEqual(rootBefore);
      expect(readdirSync(host.store.dir).sort()).toEqual(storeBefore);
      expect(host.store.head()).toEqual(head);
      clock.advance(1000);
      const appended = await callValue<{ globalPosition: number }>(pipeline, 'events.append', { streamId: 'account-1', events: [{ type: 'Withdrawn', data: {} }] });
      expect(appended.globalPosition).toBe(21);
      expect(await callValue<PreRestoreStore[]>(pipeline, 'recovery.preRestoreStores', {})).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('runs drills through the store’s drill scheduler: policy, a manual drill, its status; a damaged archive makes the last drill fail', async () => {
    const root = temp.dir();
    const backups = join(root, 'backups');
    mkdirSync(backups);
    const { host, pipeline, clock } = hostWithClock(join(root, 'shop'));
    try {
      await appendEach(host, clock, 30, (i) => ({ streamId: `cart-${i % 4}`, type: 'ItemAdded' }));
      await backUp(pipeline, host, backups, 'full');

      const noPolicy = await pipeline.call(TEST_ADMIN, 'recovery.runDrill', {});
      expect(noPolicy).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const policy = await callValue<DrillPolicy>(pipeline, 'recovery.saveDrillPolicy', { policy: { cron: '0 4 * * *', timezone: 'UTC', backupsDir: backups, maxAgeHours: 24 } });
      expect(policy).toMatchObject({ enabled: true, backupsDir: backups, key: { kind: 'none' } });
      let status = await callValue<DrillStatus>(pipeline, 'recovery.drillStatus', {});
      expect(status).toMatchObject({ started: true, running: null, last: null, warning: { code: 'NEVER_RUN' } });
      // Re-armed with the new policy: the next drill is the next 04:00 UTC.
      expect(status.next?.trigger).toBe('schedule');
      expect(new Date(status.next!.at).getUTCHours()).toBe(4);
      expect(Date.parse(status.next!.at)).toBeGreaterThan(Date.now());

      const drill = await runJobToEnd(pipeline, host, 'recovery.runDrill', {}, { name: 'test-operator', role: 'operator', transport: 'test' });
      expect(drill.job.state, JSON.stringify(drill.job.error)).toBe('succeeded');
      expect(drill.job.result as DrillReport).toMatchObject({ ok: true, dryRun: true, headPosition: 30, rtoMet: null, rpoMet: null });
      expect(drill.phases.has('validating')).toBe(true);
      status = await callValue<DrillStatus>(pipeline, 'recovery.drillStatus', {});
      expect(status).toMatchObject({ running: null, warning: null, last: { trigger: 'manual', outcome: 'succeeded', headPosition: 30 } });
      expect(status.lastSuccess?.id).toBe(status.last?.id);

      // A damaged archive: the next drill fails, and Overview's warning says so.
      const archive = readdirSync(backups).find((n) => n.endsWith('.tar.gz'))!;
      const bytes = readFileSync(join(backups, archive));
      for (let i = Math.floor(bytes.length / 2); i < Math.floor(bytes.length / 2) + 64; i++) bytes[i] = bytes[i]! ^ 0xff;
      writeFileSync(join(backups, archive), bytes);
      const failing = await runJobToEnd(pipeline, host, 'recovery.runDrill', {});
      expect(failing.job.state).toBe('failed');
      status = await callValue<DrillStatus>(pipeline, 'recovery.drillStatus', {});
      expect(status.last).toMatchObject({ trigger: 'manual', outcome: 'failed' });
      expect(status.warning).toMatchObject({ code: 'LAST_DRILL_FAILED', severity: 'error' });
      expect(status.warning!.message).toContain(failing.job.error!.code);
      const history = await callValue<DrillRecord[]>(pipeline, 'recovery.drills', {});
      expect(history.map((d) => d.outcome)).toEqual(['failed', 'succeeded']);
      expect(basename(host.store.dir)).toBe('shop');
    } finally {
      await host.close();
    }
  });
});
