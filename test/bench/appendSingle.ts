import { join } from 'node:path';
import { EventStore } from '../../main/store/eventStore.js';
import { EventGenerator, type BenchEvent } from './eventData.js';
import { BARE_INSERT, CONSTANT_HASH, fmt, openBare, percentile, sortedCopy, yieldToLoop, type Benchmark } from './harness.js';

const APPENDS = Number(process.env.BENCH_SINGLE ?? 3000);
const ROUND = 100;
const WARMUP = 200;

/**
 * Durable single-event appends at synchronous=FULL, one after another: each waits for its own commit
 * (one fsync). Engine through `store.append()` (the group-commit queue every caller of the console uses)
 * and `store.appendNow()` (the CLI's direct path), bare as one autocommit INSERT per event.
 */
export const appendSingle: Benchmark = {
  name: 'append-single',
  description: `${fmt(APPENDS)} durable single-event appends (synchronous=FULL), one at a time: latency`,
  async run(ctx) {
    const queued = EventStore.create(join(ctx.dir, 'queued'));
    const direct = EventStore.create(join(ctx.dir, 'direct'));
    const bare = openBare(join(ctx.dir, 'bare.db'));
    const insert = bare.prepare(BARE_INSERT);
    let barePosition = 0;
    const gen = new EventGenerator(7);
    const request = (e: BenchEvent) => ({ streamId: e.streamId, events: [{ type: e.type, data: e.data, metadata: e.metadata }] });

    const lat = { queued: [] as number[], direct: [] as number[], bare: [] as number[] };
    // Rounds take turns so that disk and CPU noise from elsewhere falls on all three alike.
    for (let done = 0; done < APPENDS + WARMUP; done += ROUND) {
      const keep = done >= WARMUP;
      for (const e of gen.batch(ROUND)) {
        const t0 = performance.now();
        await queued.append(request(e));
        if (keep) lat.queued.push(performance.now() - t0);
      }
      await yieldToLoop();
      for (const e of gen.batch(ROUND)) {
        const t0 = performance.now();
        direct.appendNow(request(e));
        if (keep) lat.direct.push(performance.now() - t0);
      }
      await yieldToLoop();
      for (const e of gen.batch(ROUND)) {
        const t0 = performance.now();
        insert.run(++barePosition, e.eventId, e.streamId, e.streamVersion, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), Date.now(), CONSTANT_HASH);
        if (keep) lat.bare.push(performance.now() - t0);
      }
      await yieldToLoop();
    }
    queued.close();
    direct.close();
    bare.close();

    const q = sortedCopy(lat.queued);
    const d = sortedCopy(lat.direct);
    const b = sortedCopy(lat.bare);
    const us = (ms: number) => ms * 1000;
    ctx.report({
      what: 'single durable append p50, store.append() (queue)',
      value: us(percentile(q, 50)),
      unit: 'µs',
      baseline: us(percentile(b, 50)),
      baselineLabel: 'bare autocommit INSERT p50',
      target: '≤ 1.30×',
      met: percentile(q, 50) / percentile(b, 50) <= 1.3,
      note: `p99 ${fmt(us(percentile(q, 99)))} µs vs bare p99 ${fmt(us(percentile(b, 99)))} µs; ${fmt(1000 / (lat.queued.reduce((a, x) => a + x, 0) / lat.queued.length))} appends/s`,
    });
    ctx.report({
      what: 'single durable append p50, store.appendNow() (CLI path)',
      value: us(percentile(d, 50)),
      unit: 'µs',
      baseline: us(percentile(b, 50)),
      baselineLabel: 'bare autocommit INSERT p50',
      note: `p99 ${fmt(us(percentile(d, 99)))} µs`,
    });
  },
};
