import Database from 'better-sqlite3';
import { join } from 'node:path';
import { EVENTS_DB, EventStore } from '../../main/store/eventStore.js';
import { chainHash } from '../../main/store/hashChain.js';
import { verifyLog, type VerifyPhase } from '../../main/store/verify.js';
import { GENESIS_HASH } from '../../shared/events.js';
import { fmt, type Benchmark } from './harness.js';

interface BareRow {
  global_position: number;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: number;
  hash: string;
}

/**
 * `verify` in process on the big store: integrity_check, the chain walk and the streams check, timed
 * per phase. Baseline: the least a chain walk can do, a bare iterate() hashing every row.
 */
export const verify: Benchmark = {
  name: 'verify',
  description: 'verify the big store (integrity_check + hash chain + streams): events/s',
  async run(ctx) {
    const dir = ctx.fixtures.engineStore();
    const bare = new Database(join(dir, EVENTS_DB), { readonly: true });
    const b0 = performance.now();
    let previous = GENESIS_HASH;
    let rows = 0;
    for (const r of bare.prepare('SELECT * FROM events ORDER BY global_position').iterate() as IterableIterator<BareRow>) {
      const h = chainHash(previous, r.global_position, r.event_id, r.stream_id, r.stream_version, r.type, r.recorded_at, r.metadata, r.data);
      if (h !== r.hash) throw new Error(`bare chain walk: mismatch at ${r.global_position}`);
      previous = h;
      rows++;
    }
    const bareMs = performance.now() - b0;
    bare.close();

    const store = EventStore.open(dir, { readonly: true });
    const phaseMs = new Map<VerifyPhase, number>();
    let phase: VerifyPhase | undefined;
    let phaseStart = performance.now();
    const report = verifyLog(store.db, {
      onProgress: (p) => {
        if (p.phase === phase) return;
        const now = performance.now();
        if (phase !== undefined) phaseMs.set(phase, now - phaseStart);
        phase = p.phase;
        phaseStart = now;
      },
    });
    if (phase !== undefined) phaseMs.set(phase, performance.now() - phaseStart);
    store.close();
    if (!report.ok) throw new Error(`verify found problems in the fixture: ${JSON.stringify(report.problems.slice(0, 3))}`);
    const rate = (report.checkedEvents / report.durationMs) * 1000;
    ctx.report({
      what: `verify ${fmt(report.checkedEvents)} events (in process), events/s`,
      value: rate,
      unit: 'events/s',
      baseline: (rows / bareMs) * 1000,
      baselineLabel: 'bare iterate() + chainHash per row',
      note:
        `${fmt(report.durationMs / 1000, 1)} s: ` +
        [...phaseMs].map(([name, ms]) => `${name} ${fmt(ms / 1000, 1)} s`).join(', ') +
        `; chain walk alone ${fmt((report.checkedEvents / (phaseMs.get('chain') ?? NaN)) * 1000)} events/s`,
    });
  },
};
