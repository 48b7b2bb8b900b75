import { join } from 'node:path';
import { EventStore } from '../../main/store/eventStore.js';
import { fillStore } from '../helpers/fixtures.js';
import { ensureBuilt, pconsole, storeBytes } from './backup-tools.js';
import { fmt, freshDir, type Benchmark } from './harness.js';

/** A store of about `mb` MB: events of ~1 KB of JSON, written through the engine in batches. */
function storeOfSize(dir: string, mb: number): string {
  const store = EventStore.create(dir);
  try {
    const events = Math.ceil((mb * 1e6) / 1150);
    for (let n = 0; n < events; n += 5000) fillStore(store, Math.min(5000, events - n), { streams: 100, perAppend: 1000, dataBytes: 900 });
  } finally {
    store.close();
  }
  return dir;
}

/**
 * Peak RSS of `pconsole backup create` and `backup verify` on a 1 GB store against the same commands on a
 * 100 MB one: streaming keeps memory flat, so the big run should peak about where the small one does.
 */
export const backupRss: Benchmark = {
  name: 'backup-rss',
  description: 'peak RSS of backup create / verify on a 1 GB store vs a 100 MB store (built CLI, GNU time)',
  async run(ctx) {
    ensureBuilt(ctx);
    const small = storeOfSize(join(ctx.dir, 'small'), 100);
    const big = storeOfSize(join(ctx.dir, 'big'), Number(process.env.BENCH_BACKUP_GB ?? 1) * 1000);
    for (const encrypted of [false, true]) {
      const args = encrypted ? ['--passphrase-file', await passphraseFile(ctx.dir)] : [];
      const smallRun = await pconsole(['backup', 'create', small, '--out', freshDir(join(ctx.dir, 'out-small')), '--json', ...args]);
      const bigRun = await pconsole(['backup', 'create', big, '--out', freshDir(join(ctx.dir, 'out-big')), '--json', ...args]);
      ctx.report({
        what: `backup create${encrypted ? ' (age passphrase)' : ''} of a ${fmt(storeBytes(big) / 1e6)} MB store, peak RSS`,
        value: bigRun.maxRssMb,
        unit: 'MB',
        baseline: smallRun.maxRssMb,
        baselineLabel: `the same on a ${fmt(storeBytes(small) / 1e6)} MB store`,
        target: 'bounded (≤ 1.5×)',
        met: bigRun.maxRssMb / smallRun.maxRssMb <= 1.5,
        note: `${fmt(bigRun.seconds, 1)} s vs ${fmt(smallRun.seconds, 1)} s${encrypted ? '; both include scrypt’s fixed 256 MiB' : ''}`,
      });
      const archiveOf = (stdout: string) => (JSON.parse(stdout) as { archive: string }).archive;
      const verifySmall = await pconsole(['backup', 'verify', archiveOf(smallRun.stdout), ...(encrypted ? ['--passphrase-file', args[1]!] : [])]);
      const verifyBig = await pconsole(['backup', 'verify', archiveOf(bigRun.stdout), ...(encrypted ? ['--passphrase-file', args[1]!] : [])]);
      ctx.report({
        what: `backup verify${encrypted ? ' (age passphrase)' : ''} of the big store's archive, peak RSS`,
        value: verifyBig.maxRssMb,
        unit: 'MB',
        baseline: verifySmall.maxRssMb,
        baselineLabel: 'the same for the small store',
        target: 'bounded (≤ 1.5×)',
        met: verifyBig.maxRssMb / verifySmall.maxRssMb <= 1.5,
        note: `${fmt(verifyBig.seconds, 1)} s vs ${fmt(verifySmall.seconds, 1)} s`,
      });
    }
  },
};

async function passphraseFile(dir: string): Promise<string> {
  const { writeFileSync } = await import('node:fs');
  const path = join(dir, 'pass.txt');
  writeFileSync(path, 'benchmark passphrase\n');
  return path;
}
