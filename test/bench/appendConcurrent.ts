import { join } from 'node:path';
import { EventStore } from '../../main/store/eventStore.js';
import { EventGenerator, type BenchEvent } from './eventData.js';
import { BARE_INSERT, CONSTANT_HASH, fmt, openBare, percentile, sortedCopy, yieldToLoop, type Benchmark } from './harness.js';

const APPENDERS = 16;
const PER_APPENDER = Number(process.env.BENCH_CONCURRENT ?? 4000);
const ROUNDS = 8;
const WARMUP = 50;

/**
 * 16 async loops in one process, each appending one event and awaiting it before the next: the commit
 * queue groups whatever is waiting into one transaction and one fsync. Baseline: bare transactions of 16
 * single-row inserts back to back (what perfect grouping of 16 costs without the engine). The two take
 * turns in rounds so that load from elsewhere falls on both.
 */
export const appendConcurrent: Benchmark = {
  name: 'append-concurrent',
  description: `${APPENDERS} concurrent appenders × ${fmt(PER_APPENDER)} durable single-event appends, grouped into shared commits`,
  async run(ctx) {
    const store = EventStore.create(join(ctx.dir, 'store'));
    let commits = 0;
    store.onCommitted(() => commits++);
    const bare = openBare(join(ctx.dir, 'bare.db'));
    const insert = bare.prepare(BARE_INSERT);
    let barePosition = 0;
    const bareGroup = bare.transaction((events: readonly BenchEvent[]) => {
      const now = Date.now();
      for (const e of events) insert.run(++barePosition, e.eventId, e.streamId, e.streamVersion, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), now, CONSTANT_HASH);
    });
    const engineGen = new EventGenerator(11);
    const bareGen = new EventGenerator(11);

    const appendLoop = async (events: readonly BenchEvent[], latencies: number[] | undefined) => {
      for (const e of events) {
        const t0 = performance.now();
        await store.append({ streamId: e.streamId, events: [{ type: e.type, data: e.data, metadata: e.metadata }] });
        latencies?.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: APPENDERS }, () => appendLoop(engineGen.batch(WARMUP), undefined)));
    const commitsBefore = commits;

    const latencies: number[] = [];
    let engineMs = 0;
    let bareMs = 0;
    const perRound = Math.ceil(PER_APPENDER / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      // Data objects are generated before the clock starts so the loops measure appends only.
      const work = Array.from({ length: APPENDERS }, () => engineGen.batch(perRound));
      const t0 = performance.now();
      await Promise.all(work.map((events) => appendLoop(events, latencies)));
      engineMs += performance.now() - t0;
      await yieldToLoop();
      const groups = Array.from({ length: perRound }, () => bareGen.batch(APPENDERS));
      const b0 = performance.now();
      for (const g of groups) bareGroup(g);
      bareMs += performance.now() - b0;
      await yieldToLoop();
    }
    const measuredCommits = commits - commitsBefore;
    store.close();
    bare.close();

    const events = APPENDERS * perRound * ROUNDS;
    const sorted = sortedCopy(latencies);
    const rate = (events / engineMs) * 1000;
    const bareRate = (events / bareMs) * 1000;
    const p99 = percentile(sorted, 99);
    ctx.report({
      what: `${APPENDERS} concurrent appenders, events/s`,
      value: rate,
      unit: 'events/s',
      baseline: bareRate,
      baselineLabel: `bare ${APPENDERS}-row transactions`,
      target: '≥ 30,000/s',
      met: rate >= 30_000,
      note: `${fmt(events / measuredCommits, 1)} events per commit; the bare rate is the ceiling this disk allows for ${APPENDERS}-event commits`,
    });
    ctx.report({
      what: `${APPENDERS} concurrent appenders, p99 latency`,
      value: p99,
      unit: 'ms',
      target: '< 5 ms',
      met: p99 < 5,
      note: `p50 ${fmt(percentile(sorted, 50), 2)} ms, p99.9 ${fmt(percentile(sorted, 99.9), 2)} ms, max ${fmt(sorted[sorted.length - 1]!, 2)} ms`,
    });
  },
};
