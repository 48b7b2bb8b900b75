import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../main/backup/verifyArchive.js';
import { EventStore } from '../../main/store/eventStore.js';
import { missingCompiler } from '../helpers/faultNative.js';
import {
  describeFault,
  eventIds,
  expectNoTempFiles,
  expectStableOutcome,
  expectSucceeded,
  expectVerified,
  faultAt,
  note,
  outcomeName,
  printFindings,
  sweep,
} from '../helpers/faultOutcome.js';
import { prepareFaultedCli, type FaultedCli } from '../helpers/faultShim.js';
import { fillStore } from '../helpers/fixtures.js';
import { rawEvents } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

/**
 * I/O errors (issue 9): the CLI runs with an LD_PRELOAD shim that fails the Nth write or sync on the files
 * of the operation (SQLite's and Node's alike) with EIO or ENOSPC, N swept over the calls the operation
 * makes without a fault. For every N: exit 0 with the result, or exit 1 with one error line whose code is
 * DISK_FULL or IO_ERROR (never INTERNAL, never a crash); nothing acknowledged is lost; nothing half-written
 * stays under a final name; and the same operation without the fault then succeeds.
 */
const temp = useTempDirs();
/** Points per sweep (FAULT_SWEEP_MAX=1000 sweeps every call). */
const BUDGET = Number(process.env.FAULT_SWEEP_MAX ?? 44);

let skipReason: string | undefined;
let toolsDir: string | undefined;
let cli: FaultedCli;

beforeAll(async () => {
  skipReason = process.platform !== 'linux' ? 'the LD_PRELOAD shim needs Linux (glibc)' : missingCompiler();
  if (skipReason !== undefined) return console.warn(`I/O-error tests skipped: ${skipReason}`);
  toolsDir = mkdtempSync(join(tmpdir(), 'pconsole-ioerrors-tools-'));
  cli = prepareFaultedCli(toolsDir);
  // The shim must see the CLI's writes here (a static or io_uring build would not): a probe counts them.
  const probe = join(toolsDir, 'probe');
  const run = await cli.run(['init', probe, '--json'], { under: probe });
  if (run.report === undefined || run.report.calls === 0) {
    skipReason = `the shim saw no write of the CLI (LD_PRELOAD ignored here?): ${run.stderr}`;
    console.warn(`I/O-error tests skipped: ${skipReason}`);
  }
});
afterAll(() => {
  printFindings();
  if (toolsDir !== undefined) rmSync(toolsDir, { recursive: true, force: true });
});


describe('I/O errors (EIO, ENOSPC) at every write and sync', () => {
  it.for([
    { variant: 'a new stream, full durability', durability: 'full' as const, expected: false },
    { variant: 'an expected version, normal durability', durability: 'normal' as const, expected: true },
  ])('append ($variant)', async ({ variant, durability, expected }, ctx) => {
    if (skipReason !== undefined) return ctx.skip(skipReason);
    const base = temp.path('base');
    const store = EventStore.create(base);
    store.setDurability(durability);
    fillStore(store, 20);
    store.close();
    const baseRows = rawEvents(base);
    const baseIds = baseRows.map((r) => r.event_id);
    const streamVersion = baseRows.filter((r) => r.stream_id === 'stream-0').length - 1;
    const fresh = () => {
      const dir = join(temp.dir('pconsole-ioerr-append-'), 'store');
      cpSync(base, dir, { recursive: true });
      return dir;
    };
    const args = (dir: string, eventId: string, n: number) => [
      'append',
      dir,
      '--stream',
      expected ? 'stream-0' : 'fault-stream',
      '--type',
      'FaultProbed',
      '--data',
      JSON.stringify({ n }),
      '--event-id',
      eventId,
      ...(expected ? ['--expected-version', String(streamVersion)] : []),
      '--json',
    ];
    await sweep(
      `append (${variant})`,
      BUDGET,
      () => {
        const dir = fresh();
        return cli.run(args(dir, randomUUID(), 0), { under: dir });
      },
      async (n) => {
        const dir = fresh();
        const eventId = randomUUID();
        const fault = faultAt(n, dir);
        const what = `append (${variant}), ${describeFault(fault)}`;
        const run = await cli.run(args(dir, eventId, n), fault);
        const outcome = expectStableOutcome(run, fault, what);
        expectNoTempFiles(dir, what);
        // Reopened without the fault: the events before are all there, an acknowledged append is too.
        const rows = rawEvents(dir);
        expect(rows.slice(0, baseIds.length).map((r) => r.event_id), what).toEqual(baseIds);
        const copies = rows.filter((r) => r.event_id === eventId);
        if (outcome.ok) {
          expect(copies, `${what}: acknowledged, then missing`).toHaveLength(1);
          expect(copies[0]!.global_position, what).toBe(outcome.json.globalPosition);
        } else {
          expect(copies.length, what).toBeLessThanOrEqual(1);
        }
        // The same append without the fault succeeds, and is never written twice.
        const again = expectSucceeded(await cli.run(args(dir, eventId, n)), what);
        expect(again.idempotent, `${what}: retried`).toBe(copies.length === 1);
        expect(eventIds(dir).filter((id) => id === eventId), what).toHaveLength(1);
        expectVerified(dir, what);
        return outcomeName(outcome);
      },
    );
  });

  it('import of a small file from standard input', async (ctx) => {
    if (skipReason !== undefined) return ctx.skip(skipReason);
    const base = temp.path('base');
    const store = EventStore.create(base);
    fillStore(store, 5);
    store.close();
    const lines = Array.from({ length: 30 }, (_, i) => ({ streamId: `imported-${i % 3}`, type: 'FaultImported', eventId: randomUUID(), data: { i } }));
    const input = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    const lineIds = lines.map((l) => l.eventId);
    const fresh = () => {
      const dir = join(temp.dir('pconsole-ioerr-import-'), 'store');
      cpSync(base, dir, { recursive: true });
      return dir;
    };
    const args = (dir: string) => ['import', dir, '-', '--batch-size', '10', '--json'];
    await sweep(
      'import',
      BUDGET,
      () => {
        const dir = fresh();
        return cli.run(args(dir), { under: dir }, { input });
      },
      async (n) => {
        const dir = fresh();
        const fault = faultAt(n, dir);
        const what = `import, ${describeFault(fault)}`;
        const run = await cli.run(args(dir), fault, { input });
        const outcome = expectStableOutcome(run, fault, what);
        expectNoTempFiles(dir, what);
        const imported = eventIds(dir).slice(5);
        if (outcome.ok) {
          expect(outcome.json.imported, what).toBe(30);
          expect(imported, what).toEqual(lineIds);
        } else {
          // What it says it committed is in the log, in order; after an I/O error the batch it was
          // committing may be there too (it says so), after a full disk it is not.
          // Without a count, the import stopped before its first commit (at open, while spooling its input).
          const committed = outcome.error.details.imported;
          expect(['number', 'undefined'], `${what}: ${outcome.error.message}`).toContain(typeof committed);
          const k = typeof committed === 'number' ? committed : 0;
          const possible = outcome.error.code === 'IO_ERROR' ? [k, Math.min(k + 10, 30)] : [k];
          expect(possible, `${what}: ${imported.length} lines in the log, the error says ${k}: ${outcome.error.message}`).toContain(imported.length);
          expect(imported, what).toEqual(lineIds.slice(0, imported.length));
        }
        // Run again without the fault: what is in is skipped, the rest imported, each line once.
        const again = expectSucceeded(await cli.run(args(dir), undefined, { input }), what);
        expect(again, what).toMatchObject({ imported: 30 - imported.length, skipped: imported.length });
        expect(eventIds(dir).slice(5), what).toEqual(lineIds);
        expectVerified(dir, what);
        return outcomeName(outcome);
      },
    );
  });

  /** The archives of a folder, each with its sidecar; any other name (staging, partial files) fails. */
  function expectOnlyWholeArchives(dir: string, what: string): string[] {
    const names = readdirSync(dir).sort();
    const archives = names.filter((n) => n.endsWith('.tar.gz'));
    expect(names, `${what}: only archives and their sidecars in ${dir}`).toEqual(archives.flatMap((a) => [a, `${a}.manifest.json`]).sort());
    return archives.map((a) => join(dir, a));
  }

  it('backup create', async (ctx) => {
    if (skipReason !== undefined) return ctx.skip(skipReason);
    const base = temp.path('base');
    const store = EventStore.create(base);
    fillStore(store, 30);
    store.close();
    const baseIds = eventIds(base);
    const fresh = () => {
      const root = temp.dir('pconsole-ioerr-backup-');
      cpSync(base, join(root, 'store'), { recursive: true });
      mkdirSync(join(root, 'backups'));
      return { root, store: join(root, 'store'), backups: join(root, 'backups') };
    };
    const args = (f: { store: string; backups: string }) => ['backup', 'create', f.store, '--out', f.backups, '--json'];
    await sweep(
      'backup create',
      BUDGET,
      () => {
        const f = fresh();
        return cli.run(args(f), { under: f.root });
      },
      async (n) => {
        const f = fresh();
        // The store's writes (its catalog, runs and audit) fail as well as the archive's.
        const fault = faultAt(n, f.root);
        const what = `backup create, ${describeFault(fault)}`;
        const run = await cli.run(args(f), fault);
        const outcome = expectStableOutcome(run, fault, what);
        const archives = expectOnlyWholeArchives(f.backups, what);
        if (outcome.ok) {
          expect(archives, what).toEqual([outcome.json.archive]);
        } else {
          // A failure after the archive was published (the store's run history, its catalog on a full disk)
          // is a warning of a backup that succeeded: an exit 1 would make a script take a second archive.
          expect(archives, `${what}: exit 1 (${outcome.error.message}) left no archive`).toEqual([]);
        }
        for (const archive of archives) expect((await verifyArchive({ archive, record: false })).ok, `${what}: ${archive} verifies`).toBe(true);
        expectNoTempFiles(f.store, what);
        expect(eventIds(f.store), `${what}: the store's events`).toEqual(baseIds);
        expectVerified(f.store, what);
        const again = expectSucceeded(await cli.run(args(f)), what);
        expect((await verifyArchive({ archive: again.archive as string, record: false })).ok, `${what}: the next archive verifies`).toBe(true);
        return outcomeName(outcome) + (!outcome.ok && archives.length === 1 ? ' (archive published)' : '');
      },
    );
  });

  it('restore of a full and an incremental archive to a new folder', async (ctx) => {
    if (skipReason !== undefined) return ctx.skip(skipReason);
    const source = temp.path('source');
    const backups = temp.dir('pconsole-ioerr-restore-backups-');
    const store = EventStore.create(source);
    fillStore(store, 30);
    store.close();
    expectSucceeded(await cli.run(['backup', 'create', source, '--out', backups, '--json']), 'the full backup');
    const more = EventStore.open(source);
    fillStore(more, 10);
    more.close();
    expectSucceeded(await cli.run(['backup', 'create', source, '--out', backups, '--incremental', '--json']), 'the incremental backup');
    const sourceIds = eventIds(source);
    expect(sourceIds).toHaveLength(40);
    const fresh = () => temp.dir('pconsole-ioerr-restore-');
    const args = (parent: string, name = 'restored') => ['restore', backups, '--to', join(parent, name), '--json'];
    const expectRestored = (parent: string, names: string[], what: string) => {
      expect(readdirSync(parent).sort(), `${what}: what the restores left`).toEqual(names);
      for (const name of names) {
        expect(eventIds(join(parent, name)), `${what}: the events restored to ${name}`).toEqual(sourceIds);
        expectVerified(join(parent, name), what);
      }
    };
    await sweep(
      'restore',
      BUDGET,
      () => {
        const parent = fresh();
        return cli.run(args(parent), { under: parent });
      },
      async (n) => {
        const parent = fresh();
        const fault = faultAt(n, parent);
        const what = `restore, ${describeFault(fault)}`;
        const run = await cli.run(args(parent), fault);
        const outcome = expectStableOutcome(run, fault, what);
        if (outcome.ok) {
          expect(outcome.json, what).toMatchObject({ ok: true, headPosition: 40 });
          expectRestored(parent, ['restored'], what);
        } else {
          // No store under the name asked for; at most a work folder that says what it is.
          const left = readdirSync(parent);
          expect(left.filter((name) => !/\.restore-work$/.test(name)), `${what}: left after the failure`).toEqual([]);
          if (left.length > 0) note('a failed restore left its work folder', `${what}: ${left.join(', ')}`);
        }
        // Without the fault: to the same folder after a failure, to another one after a success.
        const next = outcome.ok ? 'again' : 'restored';
        expect(expectSucceeded(await cli.run(args(parent, next)), what), what).toMatchObject({ ok: true, headPosition: 40 });
        expectRestored(parent, outcome.ok ? ['again', 'restored'] : ['restored'], what);
        return outcomeName(outcome);
      },
    );
  });
});
