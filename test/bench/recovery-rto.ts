import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup } from '../../main/backup/createBackup.js';
import { EventStore } from '../../main/store/eventStore.js';
import { engineBatch } from './appendBatch.js';
import { alternate, ensureBuilt, pconsole, timedRun } from './backup-tools.js';
import { EventGenerator } from './eventData.js';
import { BATCH, EVENTS, fmt, median, type Benchmark } from './harness.js';

const INCREMENTALS = 10;
const ROUNDS = 2;

interface RestoreJson {
  readonly rtoMs: number;
  readonly headPosition: number;
  readonly steps: ReadonlyArray<{ readonly name: string; readonly ms: number }>;
}

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((n, name) => n + statSync(join(dir, name)).size, 0);
}

/**
 * RTO of a restore (issue 5 item 6): a store of EVENTS events backed up as one full archive (the first half)
 * and ten incrementals (a twentieth each), restored with `pconsole restore <folder> --to <new>`, beside `cp`
 * of the same archive bytes in the same run (alternately, medians). Each step's share of the RTO is reported.
 */
export const recoveryRto: Benchmark = {
  name: 'recovery-rto',
  description: `RTO of pconsole restore from 1 full + ${INCREMENTALS} incremental archives of a ${fmt(EVENTS)}-event store, vs cp of the archives`,
  async run(ctx) {
    ensureBuilt(ctx);
    const storeDir = join(ctx.dir, 'store');
    const backups = join(ctx.dir, 'backups');
    const fullEvents = Math.floor(EVENTS / 2);
    const step = Math.floor((EVENTS - fullEvents) / INCREMENTALS);
    ctx.log(`writing ${fmt(EVENTS)} events through the engine, a full backup at ${fmt(fullEvents)} and an incremental every ${fmt(step)}…`);
    const gen = new EventGenerator(5);
    const store = EventStore.create(storeDir);
    const fill = (n: number) => {
      for (let done = 0; done < n; done += BATCH) engineBatch(store, gen.batch(Math.min(BATCH, n - done)));
    };
    try {
      fill(fullEvents);
      await createBackup({ storeDir, destination: backups, kind: 'full', encryption: { kind: 'none' } });
      for (let i = 0; i < INCREMENTALS; i++) {
        fill(i === INCREMENTALS - 1 ? EVENTS - fullEvents - step * (INCREMENTALS - 1) : step);
        await createBackup({ storeDir, destination: backups, kind: 'incremental', encryption: { kind: 'none' } });
      }
    } finally {
      store.close();
    }
    const archiveBytes = readdirSync(backups)
      .filter((n) => n.endsWith('.tar.gz'))
      .reduce((n, name) => n + statSync(join(backups, name)).size, 0);
    ctx.log(`${readdirSync(backups).filter((n) => n.endsWith('.tar.gz')).length} archives, ${fmt(archiveBytes / 1e6)} MB; store ${fmt(folderBytes(storeDir) / 1e6)} MB`);

    const restored = join(ctx.dir, 'restored');
    const copy = join(ctx.dir, 'copy');
    const reports: RestoreJson[] = [];
    const wall: number[] = [];
    const result = await alternate(
      ROUNDS,
      async () => {
        const run = await pconsole(['restore', backups, '--to', restored, '--json']);
        const report = JSON.parse(run.stdout) as RestoreJson;
        if (report.headPosition !== EVENTS) throw new Error(`restored ${report.headPosition} events, expected ${EVENTS}`);
        reports.push(report);
        wall.push(run.seconds);
        return report.rtoMs / 1000;
      },
      async () => (await timedRun('cp', ['-r', backups, copy])).seconds,
      () => {
        rmSync(restored, { recursive: true, force: true });
        rmSync(copy, { recursive: true, force: true });
      },
    );
    const typical = reports.sort((a, b) => a.rtoMs - b.rtoMs)[Math.floor((reports.length - 1) / 2)]!;
    ctx.report({
      what: `restore of ${fmt(EVENTS)} events from 1 full + ${INCREMENTALS} incrementals (${fmt(archiveBytes / 1e6)} MB of archives): RTO, run start to verified store in place`,
      value: result.a * 1000,
      unit: 'ms',
      baseline: result.b * 1000,
      baselineLabel: 'cp -r of the archive folder',
      note: `RTO ${reports.map((r) => fmt(r.rtoMs / 1000, 1)).join('/')} s; whole command (Node start, summary) ${wall.map((s) => fmt(s, 1)).join('/')} s; cp ${result.bRuns.map((s) => fmt(s, 2)).join('/')} s`,
    });
    const total = typical.steps.reduce((n, s) => n + s.ms, 0);
    for (const s of typical.steps)
      ctx.report({ what: `share of the restore's time in "${s.name}" (${fmt(s.ms / 1000, 2)} s)`, value: (s.ms / total) * 100, unit: '%' });
    ctx.log(`median RTO ${fmt(median(reports.map((r) => r.rtoMs)) / 1000, 1)} s`);
  },
};
