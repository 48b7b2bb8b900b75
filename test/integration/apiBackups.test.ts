import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupCatalog, BackupSchedules } from '../../shared/api/backupTypes.js';
import { ApiPipeline } from '../../main/api/pipeline.js';
import { ConsoleHost } from '../../main/host/consoleHost.js';
import { callValue, runJobToEnd, TEST_ADMIN } from '../helpers/apiCalls.js';
import { useTempDirs } from '../helpers/tempDirs.js';

describe('backups through the API', () => {
  const temp = useTempDirs();

  it('takes a backup with progress, verifies it, lists it in the catalog with a green RPO, runs a schedule and hands out a one-time download', async () => {
    const host = new ConsoleHost({ storePath: temp.path(), transport: 'test', createIfMissing: true });
    try {
      const pipeline = new ApiPipeline(host);
      for (let i = 0; i < 50; i++) await host.store.append({ streamId: `order-${i % 5}`, events: [{ type: 'OrderPlaced', data: { i } }] });
      const dir = join(temp.dir(), 'backups');
      mkdirSync(dir);

      const full = await runJobToEnd(pipeline, host, 'backup.create', { destination: dir, kind: 'full', encryption: { kind: 'none' } });
      expect(full.job.state, JSON.stringify(full.job.error)).toBe('succeeded');
      expect(full.job.result).toMatchObject({ created: true, toPosition: 50, kind: 'full', verified: true, problems: [] });
      expect(full.phases.has('archiving')).toBe(true);

      await host.store.append({ streamId: 'order-9', events: [{ type: 'OrderPlaced', data: {} }] });
      const incremental = await runJobToEnd(pipeline, host, 'backup.create', { destination: dir, kind: 'incremental', encryption: { kind: 'none' } });
      expect(incremental.job.result).toMatchObject({ created: true, toPosition: 51 });

      // Backups taken by hand are in the run history too.
      const history = await callValue<Array<{ trigger: string; outcome: string; verified: boolean | null }>>(pipeline, 'backup.runs', {});
      expect(history.filter((r) => r.trigger === 'manual' && r.outcome === 'succeeded' && r.verified === true)).toHaveLength(2);
      // A schedule's destination before its first run is listed as missing, not as a damaged archive.
      await callValue(pipeline, 'backup.saveSchedule', {
        schedule: { name: 'later', cron: '0 3 * * *', kind: 'full', destination: join(dir, '..', 'not-yet'), encryption: { kind: 'none' }, enabled: false },
      });
      const withMissing = await callValue<BackupCatalog>(pipeline, 'backup.catalog', {});
      expect(withMissing.folders.find((f) => f.dir.endsWith('not-yet'))).toMatchObject({ missing: true, problems: [], entries: [] });

      const schedule = await callValue<{ id: string }>(pipeline, 'backup.saveSchedule', {
        schedule: { name: 'hourly', cron: '0 * * * *', kind: 'incremental', destination: dir, encryption: { kind: 'none' }, rpoMinutes: 120 },
      });
      let catalog = await callValue<BackupCatalog>(pipeline, 'backup.catalog', {});
      expect(catalog.folders).toHaveLength(2);
      catalog = { ...catalog, folders: catalog.folders.filter((f) => !f.missing) };
      expect(catalog.folders[0]!.entries.map((e) => [e.manifest.kind, e.verified])).toEqual([
        ['full', true],
        ['incremental', true],
      ]);
      expect(catalog.folders[0]!.chains[0]).toMatchObject({ complete: true, restorableTo: 51 });
      expect(catalog.rpo).toMatchObject({ state: 'green', targetMinutes: 120 });

      const schedules = await callValue<BackupSchedules>(pipeline, 'backup.schedules', {});
      expect(schedules.schedules.find((s) => s.name === 'hourly')!.nextRuns).toHaveLength(5);
      await host.store.append({ streamId: 'order-9', events: [{ type: 'OrderShipped', data: {} }] });
      const run = await runJobToEnd(pipeline, host, 'backup.runNow', { scheduleId: schedule.id });
      expect(run.job.state, JSON.stringify(run.job.error)).toBe('succeeded');
      expect(run.job.result).toMatchObject({ outcome: 'succeeded', trigger: 'manual' });

      const archive = catalog.folders[0]!.entries[0]!.archive;
      const link = await callValue<{ url: string }>(pipeline, 'backup.downloadLink', { archive });
      expect(link.url).toMatch(/^\/download\/[A-Za-z0-9_-]{20,}$/);
      const token = link.url.slice('/download/'.length);
      expect(host.downloads.take(token)?.path).toBe(archive);
      expect(host.downloads.take(token), 'a link works once').toBeUndefined();
      const outside = await pipeline.call(TEST_ADMIN, 'backup.downloadLink', { archive: join(host.store.dir, 'events.db') });
      expect(outside).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

      const overview = await callValue<{ backup: { state: string } }>(pipeline, 'store.overview', {});
      expect(overview.backup.state).toBe('green');
    } finally {
      await host.close();
    }
  });
});
