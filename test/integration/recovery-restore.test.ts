import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackup } from '../../main/backup/createBackup.js';
import { sidecarPathOf } from '../../main/backup/archiveName.js';
import { discardPreRestoreStore, listPreRestoreStores, restoreInPlace } from '../../main/recovery/index.js';
import { acquireRestoreLock } from '../../main/store/restoreLock.js';
import { AuditLog } from '../../main/security/auditLog.js';
import { restorePathsFor } from '../../main/store/restorePaths.js';
import { runRecovery } from '../../main/recovery/runRecovery.js';
import { EventStore } from '../../main/store/eventStore.js';
import { importNdjson } from '../../main/store/importer.js';
import { readHeadRecord } from '../../main/store/headRecord.js';
import type { RecoveryReport } from '../../shared/recovery.js';
import { expectConsistentStore } from '../helpers/checkStore.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { fillStore } from '../helpers/fixtures.js';
import { rawEvents } from '../helpers/rawDb.js';
import { backedUpStore, headRecordWritten, snapshotTree, type BackedUpStore } from '../helpers/recovery-fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

/** 600 events: a full archive of 300, then three incrementals of 100 (positions 300–400–500–600). */
async function sixHundred(root: string, options: Partial<Parameters<typeof backedUpStore>[1]> = {}): Promise<BackedUpStore> {
  return backedUpStore({ store: join(root, 'store'), backups: join(root, 'backups') }, { full: 300, increments: [100, 100, 100], ...options });
}

function expectRestored(dir: string, set: BackedUpStore, n: number, report: RecoveryReport): void {
  expect(report.headPosition).toBe(n);
  expect(report.events).toBe(n);
  expect(report.headHash).toBe(set.rows[n - 1]!.hash);
  const rows = expectConsistentStore(dir);
  expect(rows.map((r) => r.hash)).toEqual(set.rows.slice(0, n).map((r) => r.hash));
  expect(rows.map((r) => r.event_id)).toEqual(set.rows.slice(0, n).map((r) => r.event_id));
}

/** The archive (and its sidecar and record) of the incremental that ends at `to`, removed from the folder. */
function removeArchiveEndingAt(set: BackedUpStore, to: number): void {
  const archive = set.archives.find((a) => a.manifest.toPosition === to)!.archive;
  for (const f of [archive, sidecarPathOf(archive), `${archive}.verification.json`]) rmSync(f, { force: true });
}

describe('restore to a position', () => {
  it('gives exactly N events whose head hash is the original store’s hash at N, from the shortest chain', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    const expectedLinks: Record<number, string[]> = {
      1: ['full:1'],
      150: ['full:150'],
      300: ['full:300'],
      301: ['full:300', 'incremental:301'],
      450: ['full:300', 'incremental:400', 'incremental:450'],
      600: ['full:300', 'incremental:400', 'incremental:500', 'incremental:600'],
    };
    for (const [n, links] of Object.entries(expectedLinks).map(([k, v]) => [Number(k), v] as const)) {
      const to = join(root, `restored-${n}`);
      const report = await runRecovery({ sources: [set.backups], target: { kind: 'position', position: n }, mode: 'to-folder', destination: to });
      expectRestored(to, set, n, report);
      expect(report.archives.map((a) => `${a.kind}:${a.usedTo}`)).toEqual(links);
      expect(report.cutBack).toEqual(n < 300 ? { from: 300, to: n } : null);
      expect(report).toMatchObject({ ok: true, dryRun: false, mode: 'to-folder', destination: to, previousStore: null, target: { kind: 'position', requestedPosition: n, position: n } });
      expect(report.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['plan', 'validate', 'prepare', 'verify', 'finish', 'publish']));
      expect(report.rtoMs).toBeGreaterThan(0);
      // head.json records the restored head; nothing of the work is left beside it.
      expect(readHeadRecord(to)).toMatchObject({ position: n, hash: set.rows[n - 1]!.hash });
      expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
      const store = EventStore.open(to);
      expect(store.openProblems).toEqual([]);
      expect(store.storeId).toBe(set.archives[0]!.manifest.storeId);
      // Meta as the store had it, plus where it was restored from; the restore's own verification is recorded.
      const meta = new Map((store.db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]));
      expect(meta.get('restored_to_position')).toBe(String(n));
      expect(JSON.parse(meta.get('restored_from')!)).toEqual(report.archives.map((a) => a.archive.split('/').pop()));
      expect(store.db.prepare('SELECT ok, head_position AS head FROM integrity_checks ORDER BY id DESC LIMIT 1').get()).toEqual({ ok: 1, head: n });
      store.close();
      // A fresh views.db: the console's views catch up from the log when the store is opened.
      expect(existsSync(join(to, 'views.db'))).toBe(true);
    }
    expect(rawEvents(set.store)).toHaveLength(600);
  });

  it('"latest" restores to the end of the newest archive; a later full archive is the shorter chain and is cut back', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    const latest = await runRecovery({ sources: [set.backups], target: { kind: 'latest' }, mode: 'to-folder', destination: join(root, 'latest') });
    expectRestored(join(root, 'latest'), set, 600, latest);
    // A second full archive at 600: position 450 now comes from it alone, cut back.
    const second = await createBackup({ storeDir: set.store, destination: set.backups, kind: 'full', encryption: { kind: 'none' } }, { clock: () => set.clock.advance(60_000) });
    expect(second.created).toBe(true);
    const report = await runRecovery({ sources: [set.backups], target: { kind: 'position', position: 450 }, mode: 'to-folder', destination: join(root, 'p450') });
    expectRestored(join(root, 'p450'), set, 450, report);
    expect(report.archives.map((a) => `${a.kind}:${a.fromPosition}-${a.toPosition}:${a.usedTo}`)).toEqual(['full:0-600:450']);
    expect(report.cutBack).toEqual({ from: 600, to: 450 });
  });
});

describe('restore to a time', () => {
  it('keeps exactly the events recorded at or before the time (stops before the first one after it)', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    const at = (n: number) => set.rows[n - 1]!.recorded_at;
    const cases: Array<[string, number]> = [
      [new Date(at(120)).toISOString(), 120], // exactly at an event: it is kept
      [new Date(at(120) + 500).toISOString(), 120], // between two events
      [new Date(at(300) + 30_000).toISOString(), 300], // after the full archive's last event, before the next one
      [new Date(at(512)).toISOString(), 512],
      [new Date(at(600) + 3_600_000).toISOString(), 600], // after everything: the newest archived event
    ];
    for (const [time, n] of cases) {
      const to = join(root, `t-${n}-${time.replace(/[:.]/g, '')}`);
      const report = await runRecovery({ sources: [set.backups], target: { kind: 'time', at: time }, mode: 'to-folder', destination: to });
      expectRestored(to, set, n, report);
      expect(report.target).toMatchObject({ kind: 'time', requestedTime: time, position: n });
      expect(report.target.note).toContain(`position ${n}`);
      const rows = rawEvents(to);
      expect(rows.every((r) => r.recorded_at <= Date.parse(time))).toBe(true);
      if (n < 600) expect(set.rows[n]!.recorded_at).toBeGreaterThan(Date.parse(time));
    }
    // A time given with an offset means the same instant.
    const local = new Date(at(42)).toISOString().replace('Z', '+00:00');
    const offset = await runRecovery({ sources: [set.backups], target: { kind: 'time', at: local }, mode: 'dry-run' });
    expect(offset.headPosition).toBe(42);
  });

  it('goes on past the archives planned for the time when imported events kept older times', async () => {
    const root = temp.dir();
    const set = await backedUpStore({ store: join(root, 'store'), backups: join(root, 'backups') }, { full: 100, increments: [100] });
    const T = set.rows[199]!.recorded_at + 10_000; // after event 200, before the incremental holding it was made
    expect(Date.parse(set.archives[1]!.manifest.createdAt)).toBeGreaterThan(T);
    // 50 imported events that kept times before T, then 20 new ones: the first event after T is at 251.
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ streamId: 'imported', type: 'Imported', data: { i }, recordedAt: new Date(T - 5000 + i).toISOString() }));
    writeFileSync(join(root, 'import.ndjson'), lines.join('\n') + '\n');
    const store = EventStore.open(set.store, { clock: () => set.clock.advance(1000) });
    await importNdjson(store, { path: join(root, 'import.ndjson') });
    fillStore(store, 20, { streams: 2 });
    store.close();
    await createBackup({ storeDir: set.store, destination: set.backups, kind: 'incremental', encryption: { kind: 'none' } }, { clock: () => set.clock.advance(60_000) });
    const rows = rawEvents(set.store);
    expect(rows[249]!.recorded_at).toBeLessThanOrEqual(T);
    expect(rows[250]!.recorded_at).toBeGreaterThan(T);
    const report = await runRecovery({ sources: [set.backups], target: { kind: 'time', at: new Date(T).toISOString() }, mode: 'dry-run' });
    expect(report.headPosition).toBe(250);
    expect(report.headHash).toBe(rows[249]!.hash);
    expect(report.archives.map((a) => a.usedTo)).toEqual([100, 200, 250]);
  });

  it('refuses a time before the first event with NOT_FOUND, writing nothing', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    const before = new Date(set.rows[0]!.recorded_at - 1).toISOString();
    await expectConsoleError(() => runRecovery({ sources: [set.backups], target: { kind: 'time', at: before }, mode: 'to-folder', destination: join(root, 'x') }), 'NOT_FOUND');
    expect(existsSync(join(root, 'x'))).toBe(false);
    expect(readdirSync(root).sort()).toEqual(['backups', 'store']);
  });
});

describe('refusals before anything is written', () => {
  it('a chain with a missing middle incremental is refused, naming the missing range', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    removeArchiveEndingAt(set, 500);
    const before = snapshotTree(root);
    for (const target of [{ kind: 'latest' } as const, { kind: 'position', position: 450 } as const, { kind: 'time', at: new Date(set.rows[599]!.recorded_at).toISOString() } as const]) {
      const error = await expectConsoleError(() => runRecovery({ sources: [set.backups], target, mode: 'to-folder', destination: join(root, 'new', 'store') }), 'INTEGRITY_VIOLATION');
      expect(error.message).toContain('401–500');
      expect(error.details).toMatchObject({ reason: 'CHAIN_GAP', missingFrom: 401, missingTo: 500 });
    }
    expect(snapshotTree(root)).toEqual(before);
    expect(existsSync(join(root, 'new'))).toBe(false);
    // Before the gap the chain still restores.
    const report = await runRecovery({ sources: [set.backups], target: { kind: 'position', position: 400 }, mode: 'to-folder', destination: join(root, 'p400') });
    expectRestored(join(root, 'p400'), set, 400, report);
    expect(report.warnings.join('\n')).toContain('401–500');
  });

  it('a position past the newest archive is refused, naming what is missing', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    const error = await expectConsoleError(() => runRecovery({ sources: [set.backups], target: { kind: 'position', position: 700 }, mode: 'dry-run' }), 'INTEGRITY_VIOLATION');
    expect(error.message).toContain('601–700');
  });

  it('a wrong key is refused with DECRYPTION_FAILED, a missing one with INVALID_INPUT; the right one restores', async () => {
    const root = temp.dir();
    const set = await sixHundred(root, { encryption: { kind: 'age-passphrase', passphrase: 'correct horse battery', scryptLogN: 10 } });
    const before = snapshotTree(root);
    const to = join(root, 'restored');
    const wrong = await expectConsoleError(
      () => runRecovery({ sources: [set.backups], target: { kind: 'latest' }, mode: 'to-folder', destination: to, keys: { passphrases: ['wrong horse'] } }),
      'DECRYPTION_FAILED',
    );
    expect(wrong.message).toContain(set.archives[0]!.archive);
    await expectConsoleError(() => runRecovery({ sources: [set.backups], target: { kind: 'latest' }, mode: 'to-folder', destination: to }), 'INVALID_INPUT');
    expect(snapshotTree(root)).toEqual(before);
    const report = await runRecovery({ sources: [set.backups], target: { kind: 'position', position: 555 }, mode: 'to-folder', destination: to, keys: { passphrases: ['correct horse battery'] } });
    expectRestored(to, set, 555, report);
  });

  it('a damaged archive is refused with ARCHIVE_CORRUPT naming it', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    const damaged = set.archives[2]!.archive;
    const bytes = (await import('node:fs')).readFileSync(damaged);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(damaged, bytes);
    const error = await runRecovery({ sources: [set.backups], target: { kind: 'latest' }, mode: 'to-folder', destination: join(root, 'x') }).catch((e: unknown) => e as Error & { code: string });
    expect(['ARCHIVE_CORRUPT', 'INTEGRITY_VIOLATION']).toContain((error as { code: string }).code);
    expect((error as Error).message).toContain(damaged);
    expect(existsSync(join(root, 'x'))).toBe(false);
  });

  it('one restore at a time: a restore already running for the same store is STORE_LOCKED', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    const lock = acquireRestoreLock(restorePathsFor(set.store).lock, 'a test');
    try {
      await expectConsoleError(() => restoreInPlace(set.store, { sources: [set.backups], target: { kind: 'latest' } }), 'STORE_LOCKED');
    } finally {
      lock.release();
    }
    expect(rawEvents(set.store)).toHaveLength(600);
    expect(readdirSync(root).sort()).toEqual(['backups', 'store']);
  });

  it('refuses a destination that is not empty', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    mkdirSync(join(root, 'busy'));
    writeFileSync(join(root, 'busy', 'file'), 'x');
    await expectConsoleError(() => runRecovery({ sources: [set.backups], target: { kind: 'latest' }, mode: 'to-folder', destination: join(root, 'busy') }), 'INVALID_INPUT');
    // An empty folder is fine.
    mkdirSync(join(root, 'empty'));
    const report = await runRecovery({ sources: [set.backups], target: { kind: 'position', position: 10 }, mode: 'to-folder', destination: join(root, 'empty') });
    expect(report.headPosition).toBe(10);
  });
});

describe('dry run', () => {
  it('writes nothing outside its scratch folder, cleans it, and reports what the target leaves out', async () => {
    const root = temp.dir();
    const set = await sixHundred(root, { streams: 3 });
    // Events after the newest archive: a dry run to 590 leaves out 10 archived and 25 newer events.
    const store = EventStore.open(set.store);
    store.appendNow({ streamId: 'orders-9', events: Array.from({ length: 25 }, (_, i) => ({ type: 'BadThingHappened', data: { i } })) });
    store.close();
    await headRecordWritten();
    const scratch = temp.dir();
    const before = snapshotTree(root);
    const report = await runRecovery({ sources: [set.backups], target: { kind: 'position', position: 590 }, mode: 'dry-run', storeDir: set.store, scratchDir: scratch });
    expect(snapshotTree(root)).toEqual(before);
    expect(readdirSync(scratch)).toEqual([]);
    expect(existsSync(report.destination)).toBe(false);
    expect(report).toMatchObject({ ok: true, dryRun: true, mode: 'dry-run', headPosition: 590, headHash: set.rows[589]!.hash, events: 590, streams: 3 });
    expect(report.eventTypes).toEqual([{ type: 'Filled', events: 590 }]);
    expect(report.leftOut).toMatchObject({ available: true, events: 35, fromPosition: 591, toPosition: 625, currentHeadPosition: 625, historyDiverged: false, streams: 4 });
    expect(report.leftOut.byType).toEqual([
      { type: 'BadThingHappened', events: 25 },
      { type: 'Filled', events: 10 },
    ]);
    expect(report.leftOut.byStream[0]).toEqual({ streamId: 'orders-9', events: 25 });
    expect(report.leftOut.byStream.reduce((n, s) => n + s.events, 0)).toBe(35);
    expect(report.dataLoss.reference).toBe('current-store');
    expect(report.dataLoss.windowMs).toBeGreaterThan(0);
    // No verification record was written beside the archives either (that is outside the scratch folder).
    expect(readdirSync(set.backups).filter((n) => n.endsWith('.verification.json'))).toHaveLength(0);
  });
});

describe('in place', () => {
  it('undoes a bad batch: the store is swapped for the restored one and the old one is kept until discarded', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    const store = EventStore.open(set.store);
    fillStore(store, 50, { streams: 2 });
    store.close();
    const report = await restoreInPlace(set.store, { sources: [set.backups], target: { kind: 'position', position: 580 } });
    expectRestored(set.store, set, 580, report);
    expect(report.previousStore).not.toBeNull();
    expect(report.previousStore!).toMatch(/store\.pre-restore-\d{8}T\d{6}Z$/);
    expect(rawEvents(report.previousStore!)).toHaveLength(650);
    expect(report.leftOut).toMatchObject({ available: true, events: 70, fromPosition: 581, toPosition: 650 });
    const reopened = EventStore.open(set.store);
    expect(reopened.openProblems).toEqual([]); // head.json was rewritten: no HEAD_REGRESSION
    expect(reopened.head().position).toBe(580);
    reopened.close();
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
    const kept = await listPreRestoreStores(set.store);
    expect(kept.map((k) => k.path)).toEqual([report.previousStore]);
    expect(kept[0]!.bytes).toBeGreaterThan(0);
    await expectConsoleError(() => discardPreRestoreStore(set.store, set.backups), 'NOT_FOUND');
    await discardPreRestoreStore(set.store, report.previousStore!);
    expect(existsSync(report.previousStore!)).toBe(false);
    expect(await listPreRestoreStores(set.store)).toEqual([]);
  });

  it('keeps the replaced store\'s schedules, settings and audit log: only the events go back in time', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    // Administered after the archives were taken: none of this is in them.
    const store = EventStore.open(set.store);
    store
      .writerDb()
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('backupFolders', ?, 1) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(JSON.stringify([set.backups]));
    const audit = new AuditLog(store.writerDb(), Date.now);
    audit.record({ actor: 'alice', transport: 'electron', action: 'backup.saveSchedule', target: 'nightly', outcome: 'ok' });
    audit.record({ actor: 'alice', transport: 'electron', action: 'recovery.restore', target: set.store, outcome: 'started' });
    const auditBefore = store.db.prepare('SELECT * FROM audit ORDER BY seq').all();
    fillStore(store, 20, { streams: 1 });
    store.close();
    const report = await restoreInPlace(set.store, { sources: [set.backups], target: { kind: 'position', position: 590 } });
    expectRestored(set.store, set, 590, report);
    expect(report.carriedOver).toMatchObject({ notCarried: null });
    expect(report.carriedOver!.tables).toContainEqual({ table: 'audit', rows: 2 });
    const reopened = EventStore.open(set.store);
    try {
      const folders = reopened.db.prepare("SELECT value FROM settings WHERE key = 'backupFolders'").get() as { value: string } | undefined;
      expect(folders?.value).toBe(JSON.stringify([set.backups]));
      expect(reopened.db.prepare('SELECT * FROM audit ORDER BY seq').all()).toEqual(auditBefore);
    } finally {
      reopened.close();
    }

    // A store that cannot be read keeps the archive's state, and the report says so.
    writeFileSync(join(set.store, 'events.db'), Buffer.alloc(64 * 1024, 0x5a));
    for (const f of readdirSync(set.store)) if (f.startsWith('events.db-')) unlinkSync(join(set.store, f));
    const again = await restoreInPlace(set.store, { sources: [set.backups], target: { kind: 'position', position: 590 } });
    expect(again.carriedOver?.notCarried).toContain('cannot be opened');
    expect(again.warnings.join('\n')).toContain('the schedules, settings and audit log are those of the full archive');
  });

  it('the backup run in flight in a full archive\'s own snapshot is restored as the success it was, not as interrupted', async () => {
    const root = temp.dir();
    const storeDir = join(root, 'store');
    const backups = join(root, 'backups');
    const store = EventStore.create(storeDir);
    fillStore(store, 30, { streams: 3 });
    // What the scheduler writes before it takes the snapshot.
    store
      .writerDb()
      .prepare("INSERT INTO backup_runs (schedule_id, trigger, kind, due_at, started_at, outcome) VALUES (NULL, 'manual', 'full', ?, ?, 'running')")
      .run(Date.now() - 1000, Date.now() - 1000);
    store.close();
    const created = await createBackup({ storeDir, destination: backups, kind: 'full', encryption: { kind: 'none' } });
    const to = join(root, 'restored');
    await runRecovery({ sources: [backups], target: { kind: 'latest' }, mode: 'to-folder', destination: to });
    const restored = EventStore.open(to);
    try {
      const runs = restored.db.prepare('SELECT outcome, archive FROM backup_runs').all();
      expect(created.created).toBe(true);
      expect(runs).toEqual([{ outcome: 'succeeded', archive: created.created ? created.archive : null }]);
    } finally {
      restored.close();
    }
  });

  it('recovers a store whose events.db was overwritten with garbage: the store id comes from the archives', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    for (const f of readdirSync(set.store)) if (f.startsWith('events.db-')) unlinkSync(join(set.store, f));
    writeFileSync(join(set.store, 'events.db'), Buffer.alloc(64 * 1024, 0x5a));
    expect(() => EventStore.open(set.store)).toThrow();
    const report = await restoreInPlace(set.store, { sources: [set.backups], target: { kind: 'latest' } });
    expectRestored(set.store, set, 600, report);
    expect(report.storeId).toBe(set.archives[0]!.manifest.storeId);
    expect(report.leftOut.available).toBe(false);
    expect(report.leftOut.reason).toContain('cannot be opened');
    expect(report.dataLoss.reference).toBe('run-start');
  });

  it('recovers a store whose files are missing, and a store folder that is gone', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    for (const f of readdirSync(set.store)) unlinkSync(join(set.store, f));
    const report = await restoreInPlace(set.store, { sources: [set.backups], target: { kind: 'position', position: 333 } });
    expectRestored(set.store, set, 333, report);
    rmSync(set.store, { recursive: true });
    renameSync(report.previousStore!, join(root, 'elsewhere'));
    const again = await restoreInPlace(set.store, { sources: [set.backups], target: { kind: 'position', position: 334 } });
    expectRestored(set.store, set, 334, again);
    expect(again.previousStore).toBeNull();
  });
});

describe('sources', () => {
  it('takes archives, sidecars and folders alike, and an archive without its sidecar', async () => {
    const root = temp.dir();
    const set = await sixHundred(root);
    const [full, i1, i2] = set.archives;
    unlinkSync(sidecarPathOf(i1!.archive));
    const report = await runRecovery({ sources: [full!.archive, i1!.archive, sidecarPathOf(i2!.archive)], target: { kind: 'latest' }, mode: 'dry-run' });
    expect(report.headPosition).toBe(500);
    expect(report.headHash).toBe(set.rows[499]!.hash);
    await expectConsoleError(() => runRecovery({ sources: [join(root, 'nothing-here')], target: { kind: 'latest' }, mode: 'dry-run' }), 'NOT_FOUND');
    await expectConsoleError(() => runRecovery({ sources: [join(set.store, 'events.db')], target: { kind: 'latest' }, mode: 'dry-run' }), 'INVALID_INPUT');
  });

  it('picks the archives of the store being restored from a folder shared by several stores', async () => {
    const root = temp.dir();
    const a = await sixHundred(join(root, 'a'));
    mkdirSync(join(root, 'a'), { recursive: true });
    const b = await backedUpStore({ store: join(root, 'b', 'store'), backups: a.backups }, { full: 20, increments: [5] });
    await expectConsoleError(() => runRecovery({ sources: [a.backups], target: { kind: 'latest' }, mode: 'dry-run' }), 'INVALID_INPUT');
    const report = await runRecovery({ sources: [a.backups], target: { kind: 'latest' }, mode: 'dry-run', storeDir: b.store });
    expect(report).toMatchObject({ storeId: b.archives[0]!.manifest.storeId, headPosition: 25 });
    const byId = await runRecovery({ sources: [a.backups], target: { kind: 'latest' }, mode: 'dry-run', storeId: a.archives[0]!.manifest.storeId });
    expect(byId.headPosition).toBe(600);
  });
});
