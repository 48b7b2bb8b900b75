import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { uuidv7 } from '../../main/platform/uuid7.js';
import { EventGenerator, type BenchEvent } from './eventData.js';
import { BARE_INSERT, BATCH, CONSTANT_HASH, EVENTS, fmt, openBare, type Benchmark } from './harness.js';

/**
 * Why the engine generates UUIDv7: the same rows inserted into the events table shape with the engine's
 * time-ordered ids and with random v4 ids. Random keys land all over the unique index on event_id, so
 * once that index outgrows SQLite's page cache every commit rewrites pages spread across it.
 */
export const ids: Benchmark = {
  name: 'ids',
  description: `insert ${fmt(EVENTS)} rows with engine-generated UUIDv7 ids vs random v4 ids (bare table shape)`,
  async run(ctx) {
    const sides = (['v7', 'v4'] as const).map((kind) => {
      const db = openBare(join(ctx.dir, `${kind}.db`));
      const insert = db.prepare(BARE_INSERT);
      let position = 0;
      const id = kind === 'v7' ? () => uuidv7() : () => randomUUID();
      const write = db.transaction((batch: readonly BenchEvent[], now: number) => {
        for (const e of batch) insert.run(++position, id(), e.streamId, e.streamVersion, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), now, CONSTANT_HASH);
      });
      return { kind, db, write, ms: 0 };
    });
    const gen = new EventGenerator(3);
    for (let done = 0; done < EVENTS; done += BATCH) {
      const batch = gen.batch(Math.min(BATCH, EVENTS - done));
      for (const side of sides) {
        const t0 = performance.now();
        side.write(batch, Date.now());
        side.ms += performance.now() - t0;
      }
    }
    for (const side of sides) side.db.close();
    const [v7, v4] = sides;
    const v7Rate = (EVENTS / v7!.ms) * 1000;
    const v4Rate = (EVENTS / v4!.ms) * 1000;
    ctx.report({
      what: 'inserts with UUIDv7 ids, events/s',
      value: v7Rate,
      unit: 'events/s',
      baseline: v4Rate,
      baselineLabel: 'random v4 ids',
      note: `v4 is ${fmt(v7Rate / v4Rate, 2)}× slower at ${fmt(EVENTS)} rows (DESIGN §4 says 2.5× at scale)`,
    });
  },
};
