/**
 * The writer of the soak benchmark: an application appending to a store through the engine's group-commit
 * queue at a steady rate from several concurrent callers, timing every acknowledged append.
 *
 *   node --import tsx test/bench/soak-appender.ts '{"store":"…","perSecond":200,"seconds":600,"concurrency":4}'
 *
 * Prints a JSON line every 10 s ({"t","appended","p50Ms","p99Ms","rssBytes"}) and a last one with
 * "done": true and the whole run's figures.
 */
import { EventStore } from '../../main/store/eventStore.js';
import { percentile, sortedCopy } from './harness.js';

export interface SoakAppenderConfig {
  readonly store: string;
  readonly perSecond: number;
  readonly seconds: number;
  readonly concurrency: number;
}

export interface SoakAppenderSample {
  readonly t: number;
  readonly appended: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly rssBytes: number;
  readonly done?: boolean;
}

const SAMPLE_MS = 10_000;

async function main(config: SoakAppenderConfig): Promise<void> {
  const store = EventStore.open(config.store);
  const started = performance.now();
  const all: number[] = [];
  let window: number[] = [];
  let appended = 0;
  let nextSample = SAMPLE_MS;
  const sample = (done: boolean) => {
    const sorted = sortedCopy(done ? all : window);
    const line: SoakAppenderSample = {
      t: Math.round(performance.now() - started),
      appended,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      rssBytes: process.memoryUsage().rss,
      ...(done ? { done: true } : {}),
    };
    process.stdout.write(JSON.stringify(line) + '\n');
    window = [];
  };
  // Each caller appends its share of the rate: one event per call, as an application's commands do.
  const interval = (1000 * config.concurrency) / config.perSecond;
  const caller = async (n: number) => {
    for (let i = 0; ; i++) {
      const due = started + i * interval + (n * interval) / config.concurrency;
      if (due - started >= config.seconds * 1000) return;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const t0 = performance.now();
      await store.append({ streamId: `soak-${n}-${i % 500}`, events: [{ type: 'SoakTicked', data: { caller: n, i, at: Date.now() } }] });
      const ms = performance.now() - t0;
      all.push(ms);
      window.push(ms);
      appended++;
      if (performance.now() - started >= nextSample) {
        nextSample += SAMPLE_MS;
        sample(false);
      }
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, (_, n) => caller(n)));
  sample(true);
  store.close();
}

if (process.argv[2] !== undefined) await main(JSON.parse(process.argv[2]) as SoakAppenderConfig);
