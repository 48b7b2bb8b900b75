import Database from 'better-sqlite3';
import { join } from 'node:path';
import { eventPages } from '../../main/store/eventRange.js';
import { EVENTS_DB, EventStore } from '../../main/store/eventStore.js';
import { HOT_STREAM } from './eventData.js';
import { fmt, median, type Benchmark } from './harness.js';

const READ_ALL_RUNS = Number(process.env.BENCH_READ_RUNS ?? 3);
const READ_STREAM_RUNS = 300;

interface BareRow {
  global_position: number;
  data: string;
}

/** Opens the fixture twice: through the engine (read-only store) and as a bare read-only connection. */
function openBoth(dir: string): { store: EventStore; bare: Database.Database } {
  return { store: EventStore.open(dir, { readonly: true }), bare: new Database(join(dir, EVENTS_DB), { readonly: true }) };
}

/** Runs `a` and `b` in turns and returns each one's times; the first turn of each warms caches and is dropped. */
function alternate(runs: number, a: () => number, b: () => number): { a: number[]; b: number[] } {
  const out = { a: [] as number[], b: [] as number[] };
  a();
  b();
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const ca = a();
    out.a.push(performance.now() - t0);
    t0 = performance.now();
    const cb = b();
    out.b.push(performance.now() - t0);
    if (ca !== cb) throw new Error(`engine and bare read different rows (${ca} vs ${cb})`);
  }
  return out;
}

/**
 * Reads every event in order: through the engine's reader the way `pconsole read` and `export` do
 * (eventPages: pages of 1,000 as StoredEvent objects, as export reads them), and bare as one `iterate()` over the same rows.
 * Both touch each row's position and data so nothing is skipped.
 */
export const readAll: Benchmark = {
  name: 'read-all',
  description: 'read every event of the big store in order: engine reader vs bare iterate()',
  async run(ctx) {
    const { store, bare } = openBoth(ctx.fixtures.engineStore());
    const events = store.head().position;
    const bareAll = bare.prepare('SELECT * FROM events ORDER BY global_position');
    const times = alternate(
      READ_ALL_RUNS,
      () => {
        let checksum = 0;
        for (const page of eventPages(store.reader, { backwards: false }))
          for (const e of page) checksum += e.globalPosition + e.data.length;
        return checksum;
      },
      () => {
        let checksum = 0;
        for (const row of bareAll.iterate() as IterableIterator<BareRow>) checksum += row.global_position + row.data.length;
        return checksum;
      },
    );
    store.close();
    bare.close();
    const engineRate = (events / Math.min(...times.a)) * 1000;
    const bareRate = (events / Math.min(...times.b)) * 1000;
    ctx.report({
      what: `read all ${fmt(events)} events in order, events/s`,
      value: engineRate,
      unit: 'events/s',
      baseline: bareRate,
      baselineLabel: 'bare iterate()',
      target: '≥ 0.80×',
      met: engineRate / bareRate >= 0.8,
      note: `best of ${READ_ALL_RUNS}; medians ${fmt((events / median(times.a)) * 1000)} vs ${fmt((events / median(times.b)) * 1000)}/s`,
    });
  },
};

/** Reads the one 1,000-event stream (its events spread over the whole log) many times, engine vs bare. */
export const readStream: Benchmark = {
  name: 'read-stream',
  description: 'read one 1,000-event stream among 10,000 streams: engine reader vs bare iterate()',
  async run(ctx) {
    const { store, bare } = openBoth(ctx.fixtures.engineStore());
    const bareStream = bare.prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY stream_version');
    const times = alternate(
      READ_STREAM_RUNS,
      () => {
        let checksum = 0;
        for (const page of eventPages(store.reader, { streamId: HOT_STREAM, backwards: false }))
          for (const e of page) checksum += e.globalPosition + e.data.length;
        return checksum;
      },
      () => {
        let checksum = 0;
        for (const row of bareStream.iterate(HOT_STREAM) as IterableIterator<BareRow>) checksum += row.global_position + row.data.length;
        return checksum;
      },
    );
    const count = (store.reader.streamSummary(HOT_STREAM)?.events ?? 0);
    store.close();
    bare.close();
    const e = median(times.a) * 1000;
    const b = median(times.b) * 1000;
    ctx.report({
      what: `read one ${fmt(count)}-event stream, median µs`,
      value: e,
      unit: 'µs',
      baseline: b,
      baselineLabel: 'bare iterate()',
      target: '≤ 1.30×',
      met: e / b <= 1.3,
      note: `median of ${READ_STREAM_RUNS} reads each, taken in turns`,
    });
  },
};
