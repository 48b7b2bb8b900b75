import { join } from 'node:path';
import { EventStore } from '../../main/store/eventStore.js';
import { chainHash } from '../../main/store/hashChain.js';
import type { StoredEvent } from '../../main/store/storedEvent.js';
import { prepareEvent, type PreparedAppend } from '../../main/store/writer.js';
import { GENESIS_HASH } from '../../shared/events.js';
import { EventGenerator, type BenchEvent } from './eventData.js';
import { BARE_INSERT, BATCH, CONSTANT_HASH, EVENTS, fmt, freshDir, openBare, type Benchmark } from './harness.js';

/**
 * One engine batch the way `pconsole import` writes one: every event its own single-event append (events
 * of a batch belong to ~1,000 different streams), engine-generated ids, one transaction for the batch.
 */
export function engineBatch(store: EventStore, batch: readonly BenchEvent[]): void {
  const appends = new Array<PreparedAppend>(batch.length);
  for (let i = 0; i < batch.length; i++) {
    const e = batch[i]!;
    appends[i] = { streamId: e.streamId, expectedVersion: 'any', mode: 'append', events: [prepareEvent(e.type, e.data, e.metadata, undefined)] };
  }
  store.commitAtomically(appends);
}

/** Writes `events` events through the engine into a new store at `dir` (the fixture of the read benchmarks). */
export function writeEngineStore(dir: string, events: number): void {
  const store = EventStore.create(dir);
  try {
    const gen = new EventGenerator();
    for (let done = 0; done < events; done += BATCH) engineBatch(store, gen.batch(Math.min(BATCH, events - done)));
  } finally {
    store.close();
  }
}

/** Time spent in chainHash alone for every event of a store, with the stored rows as input. */
export function hashTimeMs(store: EventStore): number {
  let total = 0;
  let previous = GENESIS_HASH;
  let next = 1;
  for (;;) {
    const page: StoredEvent[] = store.reader.readAll(next, 1000);
    if (page.length === 0) break;
    const t0 = performance.now();
    for (const e of page) {
      previous = chainHash(previous, e.globalPosition, e.eventId, e.streamId, e.streamVersion, e.type, e.recordedAt, e.metadata, e.data);
    }
    total += performance.now() - t0;
    if (previous !== page[page.length - 1]!.hash) throw new Error(`hash chain mismatch at page ending ${page[page.length - 1]!.globalPosition}`);
    next = page[page.length - 1]!.globalPosition + 1;
  }
  return total;
}

export const appendBatch: Benchmark = {
  name: 'append-batch',
  description: `append ${fmt(EVENTS)} events in batches of ${BATCH} over 10,000 streams: engine (hash chain, streams table) vs bare inserts`,
  async run(ctx) {
    const store = EventStore.create(freshDir(ctx.fixtures.engineStoreDir));
    const bare = openBare(join(ctx.dir, 'bare.db'));
    const insert = bare.prepare(BARE_INSERT);
    let position = 0;
    const bareBatch = bare.transaction((batch: readonly BenchEvent[], now: number) => {
      for (const e of batch) {
        insert.run(++position, e.eventId, e.streamId, e.streamVersion, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), now, CONSTANT_HASH);
      }
    });

    // Both sides take turns, batch by batch, with the same events: load from other processes on this
    // machine falls on both alike.
    const gen = new EventGenerator();
    let engineMs = 0;
    let bareMs = 0;
    let lastLog = performance.now();
    for (let done = 0; done < EVENTS; done += BATCH) {
      const batch = gen.batch(Math.min(BATCH, EVENTS - done));
      const b0 = performance.now();
      bareBatch(batch, Date.now());
      const b1 = performance.now();
      engineBatch(store, batch);
      const b2 = performance.now();
      bareMs += b1 - b0;
      engineMs += b2 - b1;
      if (b2 - lastLog > 10_000) {
        ctx.log(`${fmt(done + batch.length)} events: engine ${fmt(((done + batch.length) / engineMs) * 1000)}/s, bare ${fmt(((done + batch.length) / bareMs) * 1000)}/s`);
        lastLog = b2;
      }
    }
    bare.close();

    const engineRate = (EVENTS / engineMs) * 1000;
    const bareRate = (EVENTS / bareMs) * 1000;
    ctx.report({
      what: 'batched append, events/s',
      value: engineRate,
      unit: 'events/s',
      baseline: bareRate,
      baselineLabel: 'bare inserts, no hash',
      target: '≥ 0.70×',
      met: engineRate / bareRate >= 0.7,
    });

    const hashMs = hashTimeMs(store);
    const share = hashMs / engineMs;
    ctx.report({
      what: 'hash share of the engine append time',
      value: share * 100,
      unit: '%',
      target: '≤ 10%',
      met: share <= 0.1,
      note: `${fmt((hashMs * 1000) / EVENTS, 2)} µs of SHA-256 chain hashing per event, ${fmt((engineMs * 1000) / EVENTS, 2)} µs per event in all`,
    });
    store.close();
    ctx.fixtures.engineStoreBuilt();
  },
};
