import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { EventStore } from '../../main/store/eventStore.js';
import { engineBatch } from './appendBatch.js';
import { alternate, CLI, ensureBuilt, pconsole, timedRun } from './backup-tools.js';
import { EventGenerator } from './eventData.js';
import { fmt, freshDir, type Benchmark } from './harness.js';

const NEW_EVENTS = 100_000;

/**
 * An incremental backup of 100,000 new events after a full one, against doing the same by hand:
 * `pconsole export --from` into a file, then gzip. Both whole commands, alternately, medians of three.
 */
export const backupIncremental: Benchmark = {
  name: 'backup-incremental',
  description: `incremental backup of ${fmt(NEW_EVENTS)} new events vs pconsole export --from + gzip`,
  async run(ctx) {
    ensureBuilt(ctx);
    const store = join(ctx.dir, 'store');
    // A copy of nothing: a fresh store of 200k events, a full backup, then 100k more.
    const gen = new EventGenerator(7);
    const s = EventStore.create(store);
    for (let i = 0; i < 200; i++) engineBatch(s, gen.batch(1000));
    s.close();
    const out = freshDir(join(ctx.dir, 'out'));
    await pconsole(['backup', 'create', store, '--out', out]);
    const s2 = EventStore.open(store);
    for (let i = 0; i < NEW_EVENTS / 1000; i++) engineBatch(s2, gen.batch(1000));
    s2.close();
    const work = freshDir(join(ctx.dir, 'work'));
    const oursOut = join(ctx.dir, 'ours');
    const clean = () => {
      rmSync(oursOut, { recursive: true, force: true });
      rmSync(join(work, 'x.ndjson.gz'), { force: true });
    };
    const { cpSync } = await import('node:fs');
    const result = await alternate(
      3,
      async () => {
        cpSync(out, oursOut, { recursive: true });
        return (await pconsole(['backup', 'create', store, '--out', oursOut, '--incremental'])).seconds;
      },
      async () => (await timedRun(`node '${CLI}' export '${store}' --from 200001 | gzip > x.ndjson.gz`, [], { cwd: work, shell: true })).seconds,
      clean,
    );
    ctx.report({
      what: `incremental backup of ${fmt(NEW_EVENTS)} new events, events/s`,
      value: NEW_EVENTS / result.a,
      unit: 'events/s',
      baseline: NEW_EVENTS / result.b,
      baselineLabel: 'pconsole export --from | gzip',
      note: `ours ${result.aRuns.map((x) => fmt(x, 2)).join('/')} s, by hand ${result.bRuns.map((x) => fmt(x, 2)).join('/')} s (both include Node's start)`,
    });
  },
};
