import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LossRecord, OpenProblem } from '../../shared/store.js';
import { openWritable } from '../../main/platform/sqlite.js';
import { EventStore } from '../../main/store/eventStore.js';
import { readHeadRecord } from '../../main/store/headRecord.js';
import { importNdjson } from '../../main/store/importer.js';
import { ViewsProjector } from '../../main/views/viewsProjector.js';
import { verifyStore } from '../helpers/checkStore.js';
import { startAppendLoop } from '../helpers/children.js';
import { runCli, runCliJson, type CliResult } from '../helpers/cli.js';
import { createFilledStore, fillStore } from '../helpers/fixtures.js';
import { rawHeadPosition, withRawDb } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

const LOG_FILES = ['events.db', 'head.json'];
const VIEWS_FILES = ['views.db'];

/** The files of a store's log and head record (and `also`), copied aside (a snapshot a rollback restores). */
function snapshotLog(dir: string, to: string, also: readonly string[] = []): void {
  mkdirSync(to, { recursive: true });
  for (const base of [...LOG_FILES, ...also])
    for (const name of [base, `${base}-wal`]) if (existsSync(join(dir, name))) copyFileSync(join(dir, name), join(to, name));
}

/** Puts a snapshot back: events.db and head.json (or only `files`) roll back together, as a restored VM image or a file copy would. */
function rollBack(dir: string, from: string, files: readonly string[] = LOG_FILES): void {
  for (const base of files) for (const name of [base, `${base}-wal`, `${base}-shm`]) rmSync(join(dir, name), { force: true });
  for (const base of files) for (const name of [base, `${base}-wal`]) if (existsSync(join(from, name))) copyFileSync(join(from, name), join(dir, name));
}

/** The console's views caught up to the log's head in views.db (what the console's views worker does). */
function catchUpViews(store: EventStore): void {
  const views = openWritable(join(store.dir, 'views.db'), { durability: 'normal' });
  try {
    const projector = new ViewsProjector(store.reader, views);
    while (projector.step(1000) > 0);
  } finally {
    views.close();
  }
}

describe('every acknowledged head is recorded before it is acknowledged (issue 9, class 5)', () => {
  it('head.json holds the position an append answered, the moment it answers: queue, direct, import', async () => {
    const store = temp.store();
    const queued = await store.append({ streamId: 's', events: [{ type: 'Happened', data: { n: 1 } }] });
    expect(readHeadRecord(store.dir)).toMatchObject({ position: queued.globalPosition, hash: store.reader.eventAt(queued.globalPosition)!.hash });
    const direct = store.appendNow({ streamId: 's', events: [{ type: 'Happened', data: { n: 2 } }, { type: 'Happened', data: { n: 3 } }] });
    expect(readHeadRecord(store.dir)).toMatchObject({ position: direct.globalPosition });
    const file = join(temp.dir(), 'in.ndjson');
    writeFileSync(file, Array.from({ length: 5 }, (_, i) => JSON.stringify({ streamId: 'i', type: 'Imported', data: { i } })).join('\n') + '\n');
    const imported = await importNdjson(store, { path: file }, { batchSize: 2 });
    expect(readHeadRecord(store.dir)).toMatchObject({ position: imported.headPosition, hash: store.head().hash });
  });

  it('a process killed right after its first acknowledged appends, whose WAL is then lost, opens with HEAD_REGRESSION', async () => {
    const dir = join(temp.dir(), 'store');
    EventStore.create(dir).close();
    const child = startAppendLoop({ store: dir, count: 0, mode: 'queue', workers: 2, streamPrefix: 'k', maxBatch: 3 });
    await child.firstAck;
    child.process.kill('SIGKILL');
    const exit = await child.exited;
    expect(exit.signal).toBe('SIGKILL');
    const acknowledged = Math.max(...child.acks.flatMap((a) => a.events.map((e) => e.p)));
    expect(acknowledged).toBeGreaterThan(0);
    // The WAL (never checkpointed: every acknowledged event is in it) is lost, as a damaged WAL's tail is.
    rmSync(join(dir, 'events.db-wal'));
    rmSync(join(dir, 'events.db-shm'), { force: true });
    const store = temp.track(EventStore.open(dir, { readonly: true }));
    expect(store.head().position).toBe(0);
    expect(store.openProblems).toEqual([expect.objectContaining({ code: 'HEAD_REGRESSION', position: 1 })]);
    const report = verifyStore(dir);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(['HEAD_REGRESSION']);
    // head.json holds at least the newest acknowledged head (the child may have committed more before it died).
    const recorded = Number(/head\.json recorded position (\d+)/.exec(report.problems[0]!.message)?.[1]);
    expect(recorded).toBeGreaterThanOrEqual(acknowledged);
  });
});

describe('a rollback of events.db together with head.json is noticed (issue 9, class 5)', () => {
  it('by the console views checkpoint in views.db: HEAD_REGRESSION naming views.db', () => {
    const root = temp.dir();
    const store = EventStore.create(join(root, 'store'));
    fillStore(store, 10);
    store.close();
    snapshotLog(store.dir, join(root, 'old'));
    const again = EventStore.open(store.dir);
    fillStore(again, 10);
    catchUpViews(again);
    again.close();
    rollBack(store.dir, join(root, 'old'));
    const reopened = temp.track(EventStore.open(store.dir, { readonly: true }));
    expect(reopened.head().position).toBe(10);
    expect(reopened.openProblems).toEqual([expect.objectContaining({ code: 'HEAD_REGRESSION', position: 11 })]);
    expect(reopened.openProblems[0]!.message).toContain('views.db');
    expect(reopened.openProblems[0]!.message).toContain('11–20');
  });

  it('by a views checkpoint whose event the log does not have (another history): HEAD_MISMATCH', () => {
    const root = temp.dir();
    const a = EventStore.create(join(root, 'a'));
    fillStore(a, 20);
    catchUpViews(a);
    a.close();
    const b = EventStore.create(join(root, 'b'));
    fillStore(b, 25, { streams: 2 });
    b.close();
    copyFileSync(join(a.dir, 'views.db'), join(b.dir, 'views.db'));
    const reopened = temp.track(EventStore.open(b.dir, { readonly: true }));
    expect(reopened.openProblems).toEqual([expect.objectContaining({ code: 'HEAD_MISMATCH', position: 20 })]);
    expect(reopened.openProblems[0]!.message).toContain('views.db');
  });
});

interface StatsJson {
  headPosition: number;
  problems: OpenProblem[];
  losses: LossRecord[];
}

/**
 * A store whose log lost its last 10 events (a file copy of events.db put back, head.json left as it was):
 * 10 events in the log, head.json recording position 20. Its folder is named `store`.
 */
function storeThatLostEvents(): string {
  const root = temp.dir();
  const dir = join(root, 'store');
  createFilledStore(dir, 10);
  snapshotLog(dir, join(root, 'at-10'));
  const again = EventStore.open(dir);
  fillStore(again, 10);
  again.close();
  rollBack(dir, join(root, 'at-10'), ['events.db']);
  return dir;
}

/** The `warning <CODE>: …` lines a command printed on stderr. */
function warningLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((l) => l.startsWith('warning '));
}

/** The last line of stderr as the `--json` error document. */
function jsonError(result: CliResult): { code: string; message: string; details: Record<string, unknown> } {
  const lines = result.stderr.trim().split('\n');
  return (JSON.parse(lines[lines.length - 1]!) as { error: { code: string; message: string; details: Record<string, unknown> } }).error;
}

function lossRows(dir: string): Array<{ acknowledged_at: number | null; acknowledged_by: string | null }> {
  return withRawDb(dir, (db) => db.prepare('SELECT acknowledged_at, acknowledged_by FROM integrity_losses ORDER BY id').all() as Array<{ acknowledged_at: number | null; acknowledged_by: string | null }>);
}

describe('a detected loss is said by every command and refuses writes until an admin acknowledges it (issue 9, class 4)', () => {
  it('stats, read and verify say so; append and import are refused and write nothing; backup create still backs it up, warning', async () => {
    const dir = storeThatLostEvents();
    const warning = /^warning HEAD_REGRESSION: the log ends at position 10 but head\.json recorded position 20.*events 11–20 are missing/;

    const stats = await runCli(['stats', dir]);
    expect(stats.code).toBe(0);
    expect(warningLines(stats)).toEqual([expect.stringMatching(warning)]);
    // In --json the document carries it, and stderr stays for errors.
    const statsJson = await runCli(['stats', dir, '--json']);
    expect(statsJson.stderr).toBe('');
    expect(JSON.parse(statsJson.stdout)).toMatchObject({ headPosition: 10, problems: [{ code: 'HEAD_REGRESSION', position: 11 }] });

    const read = await runCli(['read', dir]);
    expect(read.code).toBe(0);
    expect(read.stdout.trim().split('\n')).toHaveLength(10);
    expect(warningLines(read)).toEqual([expect.stringMatching(warning)]);

    // verify's report names the loss among its problems; a warning line would only repeat it.
    const verify = await runCli(['verify', dir, '--json']);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toBe('');
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: false, problems: [{ code: 'HEAD_REGRESSION', position: 11 }], losses: [{ code: 'HEAD_REGRESSION', acknowledgedAt: null }] });

    const before = readdirSync(dir).sort();
    const append = await runCli(['append', dir, '--stream', 'late', '--type', 'T', '--data', '{}', '--json']);
    expect(append.code).toBe(1);
    expect(append.stdout).toBe('');
    // The error names the loss and the command that lifts it; the warning would only repeat it.
    expect(append.stderr.trim().split('\n')).toHaveLength(1);
    const refused = jsonError(append);
    expect(refused.code).toBe('INTEGRITY_VIOLATION');
    expect(refused.message).toContain('events 11–20 are missing');
    expect(refused.message).toContain(`pconsole acknowledge-loss ${dir} --confirm store`);
    const imported = await runCli(['import', dir, '-', '--json'], { input: '{"streamId":"late","type":"T","data":{}}\n'.repeat(3) });
    expect(imported.code).toBe(1);
    expect(jsonError(imported).code).toBe('INTEGRITY_VIOLATION');
    // Refused before the file is read at all: a missing one is not even looked for.
    const importMissing = await runCli(['import', dir, join(temp.dir(), 'absent.ndjson'), '--json']);
    expect(jsonError(importMissing).code).toBe('INTEGRITY_VIOLATION');
    expect(rawHeadPosition(dir)).toBe(10);
    expect(readdirSync(dir).sort()).toEqual(before); // no spool or temp file left
    expect(readHeadRecord(dir)).toMatchObject({ position: 20 }); // the evidence is not overwritten

    const backups = join(temp.dir(), 'backups');
    const backupText = await runCli(['backup', 'create', dir, '--out', join(temp.dir(), 'more-backups')]);
    expect(backupText.code).toBe(0);
    expect(backupText.stdout).toMatch(/^created /);
    expect(warningLines(backupText)).toEqual([expect.stringMatching(warning)]);
    const backup = await runCli(['backup', 'create', dir, '--out', backups, '--json']);
    expect(backup.code).toBe(0);
    expect(backup.stderr).toBe('');
    const created = JSON.parse(backup.stdout) as { archive: string; manifest: { toPosition: number }; warnings: Array<{ code: string }> };
    expect(created.manifest.toPosition).toBe(10);
    expect(created.warnings).toEqual([expect.objectContaining({ code: 'HEAD_REGRESSION' })]);
    expect(existsSync(created.archive)).toBe(true);
    // The loss is still there, recorded once, unacknowledged.
    expect(lossRows(dir)).toEqual([{ acknowledged_at: null, acknowledged_by: null }]);
  });

  it('acknowledge-loss with another name is INVALID_INPUT (exit 2) and changes nothing', async () => {
    const dir = storeThatLostEvents();
    await runCli(['stats', dir]); // opened read-only: nothing recorded yet
    const headBefore = readFileSync(join(dir, 'head.json'));
    const wrong = await runCli(['acknowledge-loss', dir, '--confirm', 'shop', '--json']);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(jsonError(wrong)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('store') });
    expect(readFileSync(join(dir, 'head.json'))).toEqual(headBefore);
    expect(lossRows(dir)).toEqual([{ acknowledged_at: null, acknowledged_by: null }]);
    expect((await runCli(['append', dir, '--stream', 'late', '--type', 'T', '--data', '{}'])).code).toBe(1);
    const missing = await runCli(['acknowledge-loss', dir, '--json']);
    expect(missing.code).toBe(2);
    expect(jsonError(missing)).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('--confirm') });
  });

  it('acknowledge-loss with the folder name: audited, verify passes, stats lists it acknowledged, appends resume, and it is not reported again', async () => {
    const dir = storeThatLostEvents();
    const me = userInfo().username;
    const text = await runCli(['acknowledge-loss', dir, '--confirm', 'store']);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^acknowledged 1 loss in .*\/store \(kept on record\):\n {2}HEAD_REGRESSION at 11: head\.json recorded position 20, the log had 10 .*\nwrites resume from position 10 \([0-9a-f]{64}\)\n$/);

    const audit = withRawDb(dir, (db) => db.prepare("SELECT actor, action, transport, outcome FROM audit WHERE action = 'store.acknowledgeLoss'").all());
    expect(audit).toEqual([{ actor: me, action: 'store.acknowledgeLoss', transport: 'cli', outcome: 'ok' }]);
    expect(await runCliJson(['verify', dir])).toMatchObject({ ok: true, problems: [], losses: [{ code: 'HEAD_REGRESSION', acknowledgedBy: me }] });
    const stats = await runCliJson<StatsJson>(['stats', dir]); // stderr empty: nothing to warn of
    expect(stats.problems).toEqual([]);
    expect(stats.losses).toEqual([
      expect.objectContaining({ code: 'HEAD_REGRESSION', position: 11, source: 'head.json', recordedPosition: 20, logPosition: 10, acknowledgedBy: me, acknowledgedAt: expect.any(String) }),
    ]);
    expect(await runCliJson(['append', dir, '--stream', 'late', '--type', 'T', '--data', '{}'])).toMatchObject({ globalPosition: 11 });
    // Opened again after a write: the loss is history, never reported or refusing again.
    expect((await runCliJson<StatsJson>(['stats', dir])).problems).toEqual([]);
    expect(await runCliJson(['acknowledge-loss', dir, '--confirm', 'store'])).toMatchObject({ acknowledged: [], headPosition: 11 });
  });

  it('acknowledge-loss on a store without a loss changes nothing: head.json keeps every recorded head in force', async () => {
    const dir = join(temp.dir(), 'store');
    createFilledStore(dir, 5);
    const headBefore = readFileSync(join(dir, 'head.json'), 'utf8');
    const answer = await runCli(['acknowledge-loss', dir, '--confirm', 'store']);
    expect(answer.code).toBe(0);
    expect(answer.stdout).toMatch(/^no loss to acknowledge in .*: nothing changed; the head is position 5 /);
    // A new acceptedAt would set aside the backups and checkpoints recorded before it.
    expect(readFileSync(join(dir, 'head.json'), 'utf8')).toBe(headBefore);
    expect(readHeadRecord(dir)?.acceptedAt).toBeUndefined();
  });
});

describe('a rollback of events.db, head.json and views.db together is noticed by the backup catalog (issue 9, class 5)', () => {
  it('the newest archive of a folder the store backs up to reaches further than the log: HEAD_REGRESSION naming the archive', async () => {
    const root = temp.dir();
    const dir = join(root, 'store');
    const backups = join(root, 'backups');
    createFilledStore(dir, 5);
    await runCliJson(['backup', 'create', dir, '--out', backups]); // the store knows the folder from now on
    const store = EventStore.open(dir);
    fillStore(store, 5);
    catchUpViews(store);
    store.close();
    snapshotLog(dir, join(root, 'at-10'), VIEWS_FILES);
    const later = EventStore.open(dir);
    fillStore(later, 10);
    catchUpViews(later);
    later.close();
    const { archive } = await runCliJson<{ archive: string }>(['backup', 'create', dir, '--out', backups]);
    rollBack(dir, join(root, 'at-10'), [...LOG_FILES, ...VIEWS_FILES]);

    // Nothing in the folder knows of positions 11–20 any more: only the catalog does.
    const local = EventStore.open(dir, { readonly: true });
    expect(local.openProblems).toEqual([]);
    local.close();
    const stats = await runCli(['stats', dir]);
    expect(warningLines(stats)).toEqual([expect.stringContaining(`backup ${basename(archive)} recorded position 20`)]);
    const problems = (JSON.parse((await runCli(['stats', dir, '--json'])).stdout) as StatsJson).problems;
    expect(problems).toEqual([expect.objectContaining({ code: 'HEAD_REGRESSION', position: 11 })]);
    expect(problems[0]!.message).toContain(`backup ${basename(archive)} recorded position 20`);
    const verify = await runCli(['verify', dir, '--json']);
    expect(verify.code).toBe(1);
    expect((JSON.parse(verify.stdout) as { problems: OpenProblem[] }).problems[0]!.message).toContain(basename(archive));
    // A writable opening records it as evidence, naming the archive, and refuses the write.
    expect(jsonError(await runCli(['append', dir, '--stream', 's', '--type', 'T', '--data', '{}', '--json'])).code).toBe('INTEGRITY_VIOLATION');
    expect((JSON.parse((await runCli(['stats', dir, '--json'])).stdout) as StatsJson).losses).toEqual([expect.objectContaining({ source: `backup ${basename(archive)}`, recordedPosition: 20, logPosition: 10 })]);
  });
});
