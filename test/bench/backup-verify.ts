import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { alternate, bytesOf, ensureBuilt, mbps, pconsole, storeBytes, timedRun } from './backup-tools.js';
import { fmt, freshDir, type Benchmark } from './harness.js';

/**
 * `pconsole backup verify` of a full archive of the big store (decompress, every checksum, the test open
 * with integrity_check, the hash chain walk, the streams check) against checking it by hand: `tar xzf`,
 * `sha256sum -c`, `sqlite3 … 'PRAGMA integrity_check'` — which does less (no hash chain).
 */
export const backupVerify: Benchmark = {
  name: 'backup-verify',
  description: 'verify a full archive: pconsole backup verify vs tar xzf + sha256sum -c + integrity_check',
  async run(ctx) {
    ensureBuilt(ctx);
    const store = ctx.fixtures.engineStore();
    const out = freshDir(join(ctx.dir, 'out'));
    const created = JSON.parse((await pconsole(['backup', 'create', store, '--out', out, '--json'])).stdout) as { archive: string; manifest: { eventCount: number } };
    const archiveBytes = bytesOf(created.archive);
    const work = freshDir(join(ctx.dir, 'work'));
    const clean = () => {
      for (const n of readdirSync(work)) rmSync(join(work, n), { recursive: true, force: true });
      mkdirSync(join(work, 'x'), { recursive: true });
    };
    clean();
    const result = await alternate(
      3,
      async () => (await pconsole(['backup', 'verify', created.archive, '--scratch', work])).seconds,
      async () => (await timedRun(`tar xzf '${created.archive}' -C x && (cd x && sha256sum -c SHA256SUMS) && sqlite3 x/events.db 'PRAGMA integrity_check'`, [], { cwd: work, shell: true })).seconds,
      clean,
    );
    ctx.report({
      what: `backup verify of a ${fmt(archiveBytes / 1e6)} MB archive (${fmt(storeBytes(store) / 1e6)} MB store, ${fmt(created.manifest.eventCount)} events), MB/s of archive`,
      value: mbps(archiveBytes, result.a),
      unit: 'MB/s',
      baseline: mbps(archiveBytes, result.b),
      baselineLabel: 'tar xzf + sha256sum -c + integrity_check (no chain walk)',
      note: `ours ${result.aRuns.map((s) => fmt(s, 1)).join('/')} s (${fmt(created.manifest.eventCount / result.a)} events/s), by hand ${result.bRuns.map((s) => fmt(s, 1)).join('/')} s`,
    });
  },
};
