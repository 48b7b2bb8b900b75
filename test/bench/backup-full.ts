import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup } from '../../main/backup/createBackup.js';
import { ageKeygen, alternate, bytesOf, ensureBuilt, mbps, pconsole, storeBytes, timedRun } from './backup-tools.js';
import { fmt, freshDir, type Benchmark } from './harness.js';

/**
 * A full backup of the big engine store against what an admin would do by hand with standard tools on the
 * same store in the same run: `sqlite3 events.db '.backup x.db'` then `tar czf` (then `age -r` for the
 * encrypted case). Both are whole commands (`pconsole backup create` includes Node's start), run
 * alternately three times each; the figures are medians. Then the gzip level against time and size.
 */
export const backupFull: Benchmark = {
  name: 'backup-full',
  description: 'full backup (pconsole backup create) vs sqlite3 .backup + tar czf [+ age], and gzip levels',
  async run(ctx) {
    ensureBuilt(ctx);
    const store = ctx.fixtures.engineStore();
    const bytes = storeBytes(store);
    const work = freshDir(join(ctx.dir, 'work'));
    const ours = join(work, 'ours');
    const clean = () => {
      rmSync(ours, { recursive: true, force: true });
      for (const name of readdirSync(work)) if (name.startsWith('x.')) rmSync(join(work, name), { force: true });
    };
    const byHand = `sqlite3 '${join(store, 'events.db')}' '.backup x.db' && tar czf x.tar.gz x.db`;
    const plain = await alternate(
      3,
      async () => (await pconsole(['backup', 'create', store, '--out', ours])).seconds,
      async () => (await timedRun(byHand, [], { cwd: work, shell: true })).seconds,
      clean,
    );
    ctx.report({
      what: `full backup of a ${fmt(bytes / 1e6)} MB store, unencrypted, MB/s of store`,
      value: mbps(bytes, plain.a),
      unit: 'MB/s',
      baseline: mbps(bytes, plain.b),
      baselineLabel: "sqlite3 '.backup' + tar czf",
      target: '≥ 1.00×',
      met: plain.b / plain.a >= 1,
      note: `ours ${plain.aRuns.map((s) => fmt(s, 1)).join('/')} s, by hand ${plain.bRuns.map((s) => fmt(s, 1)).join('/')} s`,
    });

    const { identityFile, recipient } = ageKeygen(work);
    const byHandAge = `sqlite3 '${join(store, 'events.db')}' '.backup x.db' && tar czf - x.db | age -r ${recipient} > x.tar.gz.age`;
    const encrypted = await alternate(
      3,
      async () => (await pconsole(['backup', 'create', store, '--out', ours, '--recipient', recipient])).seconds,
      async () => (await timedRun(byHandAge, [], { cwd: work, shell: true })).seconds,
      clean,
    );
    ctx.report({
      what: 'full backup, age-encrypted to an X25519 recipient, MB/s of store',
      value: mbps(bytes, encrypted.a),
      unit: 'MB/s',
      baseline: mbps(bytes, encrypted.b),
      baselineLabel: "sqlite3 '.backup' + tar czf | age -r",
      target: '≥ 0.50×',
      met: encrypted.b / encrypted.a >= 0.5,
      note: `ours ${encrypted.aRuns.map((s) => fmt(s, 1)).join('/')} s, by hand ${encrypted.bRuns.map((s) => fmt(s, 1)).join('/')} s; identity ${identityFile}`,
    });

    // Where the time goes, and what the gzip level buys: in process, one run per setting.
    mkdirSync(ours, { recursive: true });
    for (const [level, parallelism] of [
      [1, undefined],
      [3, undefined],
      [5, undefined],
      [5, 1],
      [6, undefined],
      [9, undefined],
    ] as Array<[number, number | undefined]>) {
      const result = await createBackup({ storeDir: store, destination: ours, kind: 'full', encryption: { kind: 'none' }, compressionLevel: level, parallelism });
      if (!result.created) throw new Error('no archive');
      const archive = bytesOf(result.archive);
      ctx.report({
        what: `gzip level ${level}${parallelism === 1 ? ', one core' : ''}: MB/s of store (archive ${fmt((archive / bytes) * 100, 1)}% of the store)`,
        value: mbps(bytes, result.durationMs / 1000),
        unit: 'MB/s',
        note: result.steps.map((s) => `${s.name} ${fmt(s.ms / 1000, 2)} s`).join(', ') + `; archive ${fmt(archive / 1e6, 1)} MB`,
      });
      clean();
      mkdirSync(ours, { recursive: true });
    }
  },
};
