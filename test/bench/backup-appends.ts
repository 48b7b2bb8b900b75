import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { EventStore } from '../../main/store/eventStore.js';
import { pathToFileURL } from 'node:url';
import type * as RunJobModule from '../../main/workers/runJob.js';
import { PACKAGE_ROOT } from '../../main/platform/packageInfo.js';
import { ensureBuilt, storeBytes } from './backup-tools.js';
import { fmt, freshDir, percentile, sortedCopy, type Benchmark } from './harness.js';

interface Latencies {
  readonly count: number;
  readonly seconds: number;
  readonly sorted: number[];
  /** [start time, ms] of every append over 10 ms. */
  readonly slow: Array<[number, number]>;
}

/** Appends one event at a time through the group-commit queue (as the console does) until `until` resolves. */
async function appendUntil(store: EventStore, until: Promise<unknown>): Promise<Latencies> {
  let stop = false;
  void until.finally(() => (stop = true));
  const latencies: number[] = [];
  const slow: Array<[number, number]> = [];
  const started = performance.now();
  let n = 0;
  while (!stop) {
    const t0 = performance.now();
    await store.append({ streamId: `during-${n % 50}`, events: [{ type: 'Appended', data: { n, padding: 'x'.repeat(150) } }] });
    const ms = performance.now() - t0;
    latencies.push(ms);
    if (ms > 10) slow.push([t0, ms]);
    n++;
  }
  return { count: n, seconds: (performance.now() - started) / 1000, sorted: sortedCopy(latencies), slow };
}

/**
 * Appends keep flowing during a full backup: the console's main thread appends one event at a time,
 * durably (synchronous=FULL), while the backup runs in a worker thread (runJob, as the console runs it) on
 * the big store. Baseline: the same append loop for the same time with no backup running.
 */
export const backupAppends: Benchmark = {
  name: 'backup-appends',
  description: 'append latency on the main thread while a full backup runs in a worker (target: none blocked > 10 ms)',
  async run(ctx) {
    ensureBuilt(ctx);
    // The shipped worker (dist/), as the console runs it.
    const { runJob } = (await import(pathToFileURL(join(PACKAGE_ROOT, 'dist', 'main', 'workers', 'runJob.js')).href)) as typeof RunJobModule;
    // A copy: the appends must not change the shared store the other benchmarks read.
    const copy = join(ctx.dir, 'store');
    cpSync(ctx.fixtures.engineStore(), copy, { recursive: true });
    const store = EventStore.open(copy);
    const out = freshDir(join(ctx.dir, 'out'));
    try {
      // When each phase of the backup started, to say where the slow appends fell.
      const phases: Array<[number, string]> = [];
      const backup = runJob(
        'backupCreate',
        { storeDir: store.dir, destination: out, kind: 'full', encryption: { kind: 'none' } },
        {
          onProgress: (p) => {
            if (phases.at(-1)?.[1] !== p.phase) phases.push([performance.now(), p.phase]);
          },
        },
      );
      const during = await appendUntil(store, backup);
      const result = await backup;
      const seconds = during.seconds;
      const idle = await appendUntil(store, new Promise((resolve) => setTimeout(resolve, seconds * 1000)));
      const max = during.sorted.at(-1)!;
      const over = during.sorted.filter((ms) => ms > 10).length;
      const phaseAt = (t: number) => [...phases].reverse().find(([start]) => start <= t)?.[1] ?? 'start';
      const slowByPhase = new Map<string, number>();
      for (const [t] of during.slow) slowByPhase.set(phaseAt(t), (slowByPhase.get(phaseAt(t)) ?? 0) + 1);
      ctx.report({
        what: `longest append during a ${fmt(storeBytes(store.dir) / 1e6)} MB full backup (${fmt(during.count)} appends in ${fmt(seconds, 1)} s)`,
        value: max,
        unit: 'ms',
        baseline: idle.sorted.at(-1)!,
        baselineLabel: 'longest append, same loop without a backup',
        target: '≤ 10 ms',
        met: max <= 10,
        note:
          `during: p50 ${fmt(percentile(during.sorted, 50), 2)} ms, p99 ${fmt(percentile(during.sorted, 99), 2)} ms, ${over} over 10 ms, ${fmt(during.count / seconds)} appends/s; ` +
          `without: p50 ${fmt(percentile(idle.sorted, 50), 2)} ms, p99 ${fmt(percentile(idle.sorted, 99), 2)} ms, ${fmt(idle.count / idle.seconds)} appends/s; ` +
          `backup ${result.created ? fmt(result.durationMs / 1000, 1) : '?'} s; appends over 10 ms by backup phase: ${[...slowByPhase].map(([p, c]) => `${p} ${c}`).join(', ') || 'none'}`,
      });
    } finally {
      store.close();
    }
  },
};
