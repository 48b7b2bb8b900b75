import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecoverySources } from '../../shared/api/recoveryContract.js';
import type { HeadNotice, SessionInfo, StoreOverview } from '../../shared/api/types.js';
import type { ErrorInfo } from '../../shared/errors.js';
import type { PreRestoreStore, RecoveryPlan, RecoveryReport, ValidationReport } from '../../shared/recovery.js';
import { ApiPipeline } from '../../main/api/pipeline.js';
import { ConsoleHost } from '../../main/host/consoleHost.js';
import { AuditLog } from '../../main/security/auditLog.js';
import { EVENTS_DB, VIEWS_DB } from '../../main/store/eventStore.js';
import { callValue, runJobToEnd, TEST_ADMIN } from '../helpers/apiCalls.js';
import { runCli } from '../helpers/cli.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { backedUpStore, snapshotTree, type BackedUpStore } from '../helpers/recovery-fixtures.js';
import { withRawDb } from '../helpers/rawDb.js';
import { callOverSocket, openSocket, signIn, startServe } from '../helpers/serve.js';
import { useTempDirs } from '../helpers/tempDirs.js';

// Issue 5: recovery must work when the store cannot be opened at all. The console starts without it,
// says why, refuses what needs the store with STORE_UNAVAILABLE, and restores it in place from archives.

const GARBAGE = Buffer.alloc(64 * 1024, 'this is not an SQLite database ');

/** A store of 45 events (a full archive at 30, incrementals at 40 and 45) in `<root>/orders`, archives in `<root>/backups`. */
async function ordersStore(root: string): Promise<BackedUpStore> {
  const backups = join(root, 'backups');
  mkdirSync(backups);
  return backedUpStore({ store: join(root, 'orders'), backups }, { full: 30, increments: [10, 5] });
}

function overwriteEventsDb(store: string): void {
  writeFileSync(join(store, EVENTS_DB), GARBAGE);
  for (const suffix of ['-wal', '-shm']) rmSync(join(store, EVENTS_DB + suffix), { force: true });
}

function deleteEventsDb(store: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(store, EVENTS_DB + suffix), { force: true });
}

function hostOn(store: string): { host: ConsoleHost; pipeline: ApiPipeline } {
  const host = new ConsoleHost({ storePath: store, transport: 'test' });
  return { host, pipeline: new ApiPipeline(host) };
}

async function refusal(pipeline: ApiPipeline, method: string, input: unknown): Promise<ErrorInfo> {
  const result = await pipeline.call(TEST_ADMIN, method, input);
  if (result.ok) throw new Error(`${method} answered while the store cannot be opened`);
  return result.error;
}

async function restoreInPlace(pipeline: ApiPipeline, host: ConsoleHost, input: Record<string, unknown>): Promise<RecoveryReport> {
  const restore = await runJobToEnd(pipeline, host, 'recovery.restore', input);
  expect(restore.job.state, JSON.stringify(restore.job.error)).toBe('succeeded');
  return restore.job.result as RecoveryReport;
}

describe('a store whose events.db cannot be opened', () => {
  const temp = useTempDirs();

  it('starts without it, says why, refuses what needs it, and restores it in place from named archives through the API', async () => {
    const root = temp.dir();
    const set = await ordersStore(root);
    const storeId = set.archives[0]!.manifest.storeId;
    overwriteEventsDb(set.store);
    const { host, pipeline } = hostOn(set.store);
    try {
      // session.info answers, naming the store and the problem.
      const session = await callValue<SessionInfo>(pipeline, 'session.info', {});
      expect(session).toMatchObject({ storePath: set.store, storeName: 'orders', storeProblem: { code: 'INTEGRITY_VIOLATION' } });
      expect(session.storeProblem?.message).toMatch(/not a database/);
      expect(host.storeProblem).toEqual(session.storeProblem);

      // Everything that needs the store: one clear code, the problem in details, the way out in the message.
      const overview = await refusal(pipeline, 'store.overview', {});
      expect(overview).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { storePath: set.store, problem: { code: 'INTEGRITY_VIOLATION' } } });
      expect(overview.message).toMatch(/the store orders cannot be opened .*not a database.*: open the Recovery page to restore it from backups/);
      for (const [method, input] of [
        ['events.append', { streamId: 'order-1', events: [{ type: 'OrderPlaced', data: {} }] }],
        ['streams.list', {}],
        ['backup.catalog', {}],
        ['recovery.eventsAround', { target: { kind: 'position', position: 10 } }],
        ['recovery.drillStatus', {}],
        ['recovery.runDrill', {}],
      ] as const)
        expect((await refusal(pipeline, method, input)).code, method).toBe('STORE_UNAVAILABLE');

      // A subscription waits for a store, and hears when the restored one is there.
      const heads: HeadNotice[] = [];
      const ends: unknown[] = [];
      const live = pipeline.subscribe(TEST_ADMIN, 'live.head', {}, (v) => heads.push(v as HeadNotice), (e) => ends.push(e));
      expect(live.ok).toBe(true);

      // No catalog without the store: said so, and the archives named instead work.
      const noSources = await refusal(pipeline, 'recovery.plan', { target: { kind: 'latest' } });
      expect(noSources.code).toBe('NOT_FOUND');
      expect(noSources.message).toMatch(/cannot be opened.*name the archives, or the folders of archives, to restore from/);
      expect((await refusal(pipeline, 'recovery.sources', {})).code).toBe('NOT_FOUND');
      const sources = await callValue<RecoverySources>(pipeline, 'recovery.sources', { sources: [set.backups] });
      expect(sources.storeId, 'the id, unreadable in the store, comes from the archives').toBe(storeId);
      expect(sources.chains).toHaveLength(1);
      expect(sources.chains[0]).toMatchObject({ complete: true, restorableTo: 45 });
      expect(sources.warnings.some((w) => w.includes(storeId))).toBe(true);
      const plan = await callValue<RecoveryPlan>(pipeline, 'recovery.plan', { sources: [set.backups], target: { kind: 'position', position: 40 } });
      expect(plan).toMatchObject({ storeId, position: 40, expectedHash: set.rows[39]!.hash, blockingGap: null });

      // Validation and a dry run leave the damaged store exactly as it was.
      const before = snapshotTree(set.store);
      const validation = await runJobToEnd(pipeline, host, 'recovery.validate', { sources: [set.backups], target: { kind: 'latest' } });
      expect(validation.job.state, JSON.stringify(validation.job.error)).toBe('succeeded');
      expect(validation.job.result as ValidationReport).toMatchObject({ ok: true });
      expect((validation.job.result as ValidationReport).archives.map((a) => a.ok)).toEqual([true, true, true]);
      const dry = await runJobToEnd(pipeline, host, 'recovery.dryRun', { sources: [set.backups], target: { kind: 'latest' } });
      expect(dry.job.state, JSON.stringify(dry.job.error)).toBe('succeeded');
      const dryReport = dry.job.result as RecoveryReport;
      expect(dryReport).toMatchObject({ dryRun: true, headPosition: 45, headHash: set.rows[44]!.hash, previousStore: null });
      expect(dryReport.leftOut, 'nothing can be compared with a store that cannot be read').toMatchObject({ available: false });
      expect(snapshotTree(set.store)).toEqual(before);

      // The restore in place, confirmed by the folder's name.
      const wrongName = await refusal(pipeline, 'recovery.restore', { sources: [set.backups], target: { kind: 'latest' }, confirmStoreName: 'order' });
      expect(wrongName.code).toBe('INVALID_INPUT');
      expect(wrongName.message).toContain('"orders"');
      const report = await restoreInPlace(pipeline, host, { sources: [set.backups], target: { kind: 'latest' }, confirmStoreName: 'orders' });
      expect(report).toMatchObject({ mode: 'in-place', dryRun: false, storeId, headPosition: 45, headHash: set.rows[44]!.hash, destination: set.store });
      expect(report.previousStore).toMatch(/orders\.pre-restore-/);
      expect(readFileSync(join(report.previousStore!, EVENTS_DB)).equals(GARBAGE), 'the damaged store is kept as it was').toBe(true);

      // The restored store is open: no problem any more, its head is the archives'.
      expect((await callValue<SessionInfo>(pipeline, 'session.info', {})).storeProblem).toBeNull();
      const restored = await callValue<StoreOverview>(pipeline, 'store.overview', {});
      expect(restored.stats).toMatchObject({ storeId, headPosition: 45, headHash: set.rows[44]!.hash, events: 45 });
      expect(host.store.reader.readAll(1, 100).map((e) => e.hash)).toEqual(set.rows.map((r) => r.hash));
      const appended = await callValue<{ globalPosition: number }>(pipeline, 'events.append', { streamId: 'order-1', events: [{ type: 'OrderAmended', data: {} }] });
      expect(appended.globalPosition).toBe(46);
      await waitFor('the head notices of the restored store', () => heads.some((h) => h.headPosition === 46));
      expect(heads[0]).toMatchObject({ headPosition: 45, headHash: set.rows[44]!.hash, storeReplaced: true });
      expect(ends).toEqual([]);
      if (live.ok) live.value.unsubscribe();

      // What happened while the store could not be opened is in the restored store's audit log.
      const audit = new AuditLog(host.store.writerDb()).recent(50);
      expect(audit.some((a) => a.action === 'events.append' && a.outcome === 'failed' && a.details.code === 'STORE_UNAVAILABLE')).toBe(true);
      expect(audit.some((a) => a.action === 'recovery.restore' && a.outcome === 'started')).toBe(true);
      expect(audit.some((a) => a.action === 'recovery.restore' && a.outcome === 'ok')).toBe(true);
      expect(audit.find((a) => a.action === 'recovery.swap')).toMatchObject({ outcome: 'ok', details: { headPosition: 45, previousStore: report.previousStore } });

      // The damaged store set aside is listed, and can be discarded.
      const kept = await callValue<PreRestoreStore[]>(pipeline, 'recovery.preRestoreStores', {});
      expect(kept.map((k) => k.path)).toEqual([report.previousStore]);
    } finally {
      await host.close();
    }
  });

  it('restores a store folder whose events.db was deleted', async () => {
    const root = temp.dir();
    const set = await ordersStore(root);
    deleteEventsDb(set.store);
    const { host, pipeline } = hostOn(set.store);
    try {
      const session = await callValue<SessionInfo>(pipeline, 'session.info', {});
      expect(session.storeProblem).toMatchObject({ code: 'NOT_FOUND' });
      expect(session.storeProblem?.message).toContain(`no ${EVENTS_DB}`);
      expect(await refusal(pipeline, 'store.overview', {})).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { problem: { code: 'NOT_FOUND' } } });

      // A restore that fails leaves it as it was: still reported (also meanwhile), and recovery can run again.
      const during: Array<Awaited<ReturnType<ApiPipeline['call']>>> = [];
      await expect(
        host.replaceStore(async () => {
          during.push(await pipeline.call(TEST_ADMIN, 'session.info', {}), await pipeline.call(TEST_ADMIN, 'store.overview', {}));
          throw new Error('the restore failed');
        }),
      ).rejects.toThrow('the restore failed');
      expect(during[0]).toMatchObject({ ok: true, value: { storeProblem: { code: 'NOT_FOUND' } } });
      expect(during[1]).toMatchObject({ ok: false, error: { code: 'BUSY' } });
      expect(host.storeProblem).toMatchObject({ code: 'NOT_FOUND' });
      expect((await refusal(pipeline, 'store.overview', {})).code).toBe('STORE_UNAVAILABLE');

      const report = await restoreInPlace(pipeline, host, { sources: [set.backups], target: { kind: 'position', position: 40 }, confirmStoreName: 'orders' });
      expect(report).toMatchObject({ headPosition: 40, headHash: set.rows[39]!.hash });
      expect(existsSync(join(report.previousStore!, EVENTS_DB))).toBe(false);
      expect((await callValue<SessionInfo>(pipeline, 'session.info', {})).storeProblem).toBeNull();
      expect((await callValue<StoreOverview>(pipeline, 'store.overview', {})).stats).toMatchObject({ headPosition: 40, headHash: set.rows[39]!.hash });
    } finally {
      await host.close();
    }
  });

  it('reads the id and backup folders of a store it cannot open but can still read (a newer format), so recovery can use its catalog', async () => {
    const root = temp.dir();
    const set = await ordersStore(root);
    withRawDb(set.store, (db) => db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('backupFolders', ?, 0)").run(JSON.stringify([set.backups])));
    withRawDb(set.store, (db) => db.pragma('user_version = 999'));
    const { host, pipeline } = hostOn(set.store);
    try {
      expect((await callValue<SessionInfo>(pipeline, 'session.info', {})).storeProblem).toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
      const sources = await callValue<RecoverySources>(pipeline, 'recovery.sources', {});
      expect(sources).toMatchObject({ sources: [set.backups], storeId: set.archives[0]!.manifest.storeId, warnings: [] });
      expect(sources.chains[0]).toMatchObject({ restorableTo: 45 });

      // From the catalog; the store's events could be read, so the report says what the target leaves out.
      const report = await restoreInPlace(pipeline, host, { target: { kind: 'position', position: 40 }, confirmStoreName: 'orders' });
      expect(report.leftOut).toMatchObject({ available: true, events: 5, fromPosition: 41, toPosition: 45 });
      expect((await callValue<SessionInfo>(pipeline, 'session.info', {})).storeProblem).toBeNull();
      expect((await callValue<StoreOverview>(pipeline, 'store.overview', {})).stats).toMatchObject({ headPosition: 40, headHash: set.rows[39]!.hash });
    } finally {
      await host.close();
    }
  });

  it('opens a store whose views.db is damaged: the views are deleted and rebuilt from the log, no recovery needed', async () => {
    const root = temp.dir();
    const set = await ordersStore(root);
    writeFileSync(join(set.store, VIEWS_DB), GARBAGE);
    const { host, pipeline } = hostOn(set.store);
    try {
      expect((await callValue<SessionInfo>(pipeline, 'session.info', {})).storeProblem).toBeNull();
      await expect.poll(async () => (await callValue<StoreOverview>(pipeline, 'store.overview', {})).stats.streams, { timeout: 10_000 }).toBeGreaterThan(0);
      expect((await callValue<StoreOverview>(pipeline, 'store.overview', {})).stats).toMatchObject({ headPosition: 45, headHash: set.rows[44]!.hash });
      expect(host.views.status().rebuiltBecause).toContain('damaged');
    } finally {
      await host.close();
    }
  });

  it('still refuses a path that holds no store, and never creates a store over the remains of one', async () => {
    await expectConsoleError(() => new ConsoleHost({ storePath: temp.path('missing'), transport: 'test' }), 'NOT_FOUND');
    const empty = temp.dir();
    await expectConsoleError(() => new ConsoleHost({ storePath: empty, transport: 'test' }), 'NOT_FOUND');
    expect(readdirSync(empty)).toEqual([]);

    // The default store is created when its folder is absent or empty, not where a store lost its events.db.
    const root = temp.dir();
    const set = await ordersStore(root);
    deleteEventsDb(set.store);
    const host = new ConsoleHost({ storePath: set.store, transport: 'test', createIfMissing: true });
    try {
      expect(host.storeProblem).toMatchObject({ code: 'NOT_FOUND' });
      expect(existsSync(join(set.store, EVENTS_DB))).toBe(false);
    } finally {
      await host.close();
    }
  });
});

describe('pconsole serve on a store that cannot be opened', () => {
  const temp = useTempDirs();

  it('starts, says why in one line on stderr, and answers session.info over the WebSocket', async () => {
    const root = temp.dir();
    const set = await ordersStore(root);
    overwriteEventsDb(set.store);
    const server = await startServe([set.store]);
    try {
      expect(server.started).toMatchObject({ store: set.store, storeProblem: { code: 'INTEGRITY_VIOLATION' } });
      const lines = server.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^The store ${escapeRegExp(set.store)} cannot be opened \\(INTEGRITY_VIOLATION: .*\\); the console starts without it: open the Recovery page`));

      const cookie = await signIn(server.url);
      const opened = await openSocket(server.port, { Cookie: cookie, Origin: server.origin });
      if (!opened.opened) throw new Error(`the API socket was refused (${opened.status})`);
      try {
        const session = await callOverSocket(opened.socket, 1, 'session.info');
        expect(session).toMatchObject({ ok: true, value: { storePath: set.store, storeName: basename(set.store), storeProblem: { code: 'INTEGRITY_VIOLATION' } } });
        expect(await callOverSocket(opened.socket, 2, 'store.overview')).toMatchObject({ ok: false, error: { code: 'STORE_UNAVAILABLE' } });
        const plan = await callOverSocket(opened.socket, 3, 'recovery.plan', { sources: [set.backups], target: { kind: 'latest' } });
        expect(plan).toMatchObject({ ok: true, value: { position: 45, expectedHash: set.rows[44]!.hash } });
      } finally {
        opened.socket.close();
      }
    } finally {
      await server.stop();
    }
  });

  it('still exits 2 with NOT_FOUND for a named store path that does not exist', async () => {
    const missing = temp.path('missing');
    const result = await runCli(['serve', missing, '--port', '0', '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(existsSync(missing)).toBe(false);
  });
});

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
