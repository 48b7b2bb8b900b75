import { userInfo } from 'node:os';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiPipeline } from '../../main/api/pipeline.js';
import { ConsoleHost } from '../../main/host/consoleHost.js';
import { EventStore } from '../../main/store/eventStore.js';
import { FakeClock } from '../helpers/backup-fakeClock.js';
import { runCliError, runCliJson } from '../helpers/cli.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

/** The store's audit records, oldest first, as [actor, transport, action, outcome]. */
function auditOf(dir: string): Array<[string, string | null, string, string]> {
  const store = EventStore.open(dir, { readonly: true });
  try {
    const rows = store.db.prepare('SELECT actor, transport, action, outcome FROM audit ORDER BY seq').all() as Array<{ actor: string; transport: string | null; action: string; outcome: string }>;
    return rows.map((r) => [r.actor, r.transport, r.action, r.outcome]);
  } finally {
    store.close();
  }
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Issue 8: the CLI, the menu and the schedules call contract entries through the one pipeline.
describe('one front door', () => {
  it('every change made with the CLI is in the store’s audit log, naming the OS user and the cli transport', async () => {
    const me = userInfo().username;
    const root = temp.dir();
    const store = join(root, 'store');
    const backups = join(root, 'backups');
    await runCliJson(['init', store]);
    await runCliJson(['append', store, '--stream', 'order-1', '--type', 'OrderPlaced', '--data', '{"total":42}']);
    await runCliJson(['import', store, '-'], { input: '{"streamId":"order-2","type":"OrderPlaced","data":{"total":7}}\n' });
    await runCliJson(['backup', 'create', store, '--out', backups]);
    await runCliJson(['drill', store, '--backups', backups]);
    await runCliJson(['verify', store]);
    // Reads change nothing and leave nothing.
    await runCliJson(['stats', store]);
    expect(auditOf(store)).toEqual([
      [me, 'cli', 'store.init', 'ok'],
      [me, 'cli', 'events.append', 'ok'],
      [me, 'cli', 'events.import', 'started'],
      [me, 'cli', 'events.import', 'ok'],
      [me, 'cli', 'backup.create', 'started'],
      [me, 'cli', 'backup.create', 'ok'],
      [me, 'cli', 'recovery.runDrill', 'started'],
      [me, 'cli', 'recovery.runDrill', 'ok'],
      [me, 'cli', 'store.verify', 'started'],
      [me, 'cli', 'store.verify', 'ok'],
    ]);

    // A restored store's log continues the archive's with the record of its own restore.
    const restored = join(root, 'restored');
    await runCliJson(['restore', backups, '--to', restored]);
    expect(auditOf(restored).slice(-2)).toEqual([
      [me, 'cli', 'recovery.restoreTo', 'started'],
      [me, 'cli', 'recovery.restoreTo', 'ok'],
    ]);
    // A refused change is recorded too.
    const refused = await runCliError(['append', store, '--stream', 'order-1', '--type', 'X', '--data', '{}', '--expected-version', 'no_stream'], 1);
    expect(refused.code).toBe('WRONG_EXPECTED_VERSION');
    expect(auditOf(store).at(-1)).toEqual([me, 'cli', 'events.append', 'failed']);
  });

  it('a scheduled backup comes due and enters through the pipeline as the scheduler: a job, audited', async () => {
    const root = temp.dir();
    const dir = join(root, 'store');
    createFilledStore(dir, 50);
    const clock = new FakeClock(Date.parse('2026-06-01T00:00:00Z'));
    const host = new ConsoleHost({ storePath: dir, transport: 'test', schedulerClock: clock });
    const pipeline = new ApiPipeline(host);
    try {
      const saved = await pipeline.call({ name: 'alice', role: 'admin', transport: 'test' }, 'backup.saveSchedule', {
        schedule: { name: 'hourly', cron: '0 * * * *', timezone: 'UTC', destination: join(root, 'backups'), kind: 'full', encryption: { kind: 'none' } },
      });
      expect(saved.ok).toBe(true);
      await clock.advanceBy(61 * 60_000);
      const job = host.jobs.list().find((j) => j.kind === 'backup.runNow');
      expect(job).toMatchObject({ startedBy: 'scheduler' });
      const ended = await host.jobs.settled(job!.id);
      expect(ended).toMatchObject({ state: 'succeeded', result: { trigger: 'schedule', outcome: 'succeeded' } });
      const records = () => host.store.db.prepare("SELECT actor, transport, action, outcome FROM audit WHERE action = 'backup.runNow' ORDER BY seq").all();
      await waitFor('the end of the job in the audit log', () => records().length === 2);
      expect(records()).toEqual([
        { actor: 'scheduler', transport: 'scheduler', action: 'backup.runNow', outcome: 'started' },
        { actor: 'scheduler', transport: 'scheduler', action: 'backup.runNow', outcome: 'ok' },
      ]);
      expect(host.scheduler.runs({ limit: 1 })[0]).toMatchObject({ trigger: 'schedule', outcome: 'succeeded' });
    } finally {
      await host.close();
    }
  });

  it('an import through the pipeline can be cancelled between batches: what was written stays, a second run completes it', async () => {
    const root = temp.dir();
    const dir = join(root, 'store');
    const file = join(root, 'events.ndjson');
    // With event ids, a second run knows what the first one wrote.
    writeFileSync(file, Array.from({ length: 3000 }, (_, i) => JSON.stringify({ streamId: `s-${i % 30}`, type: 'Happened', data: { i }, eventId: randomUUID() })).join('\n') + '\n');
    const host = new ConsoleHost({ storePath: dir, transport: 'test', createIfMissing: true, mode: 'command', openStore: true });
    const pipeline = new ApiPipeline(host);
    const admin = { name: 'alice', role: 'admin' as const, transport: 'test' as const };
    try {
      let cancelled = false;
      const first = await pipeline.run(admin, 'events.import', { file, batchSize: 100 }, (p) => {
        if (p.phase === 'importing' && !cancelled) {
          cancelled = true;
          void pipeline.call(admin, 'jobs.cancel', { jobId: host.jobs.running()[0]!.id });
        }
      });
      expect(first).toMatchObject({ ok: false, error: { code: 'CANCELLED', details: { linesWritten: host.store.head().position } } });
      const written = host.store.head().position;
      expect(written).toBeGreaterThan(0);
      expect(written % 100).toBe(0); // whole batches only
      expect(written).toBeLessThan(3000);
      const second = await pipeline.run(admin, 'events.import', { file, batchSize: 100 });
      expect(second).toMatchObject({ ok: true, value: { imported: 3000 - written, skipped: written, headPosition: 3000 } });
    } finally {
      await host.close();
    }
  });
});
