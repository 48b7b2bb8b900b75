import type { Statement } from 'better-sqlite3';
import type { EventRateRange } from '../../shared/api/contract.js';
import type { EventRateSeries, EventTypeCount } from '../../shared/api/types.js';
import { GENESIS_HASH } from '../../shared/events.js';
import { openWritable, type WritableDB } from '../store/connection.js';
import type { EventStore } from '../store/eventStore.js';
import { VIEWS_DB } from '../store/eventStore.js';
import { runMigrations } from '../store/migrations/runner.js';
import { viewsMigrations } from '../store/migrations/views/index.js';
import type { StoredEvent } from '../store/storedEvent.js';
import { join } from 'node:path';

const PROJECTION = 'console';
const MINUTE = 60_000;

const RANGES: Readonly<Record<EventRateRange, { spanMs: number; bucketMs: number }>> = {
  '15m': { spanMs: 15 * MINUTE, bucketMs: MINUTE },
  '1h': { spanMs: 60 * MINUTE, bucketMs: MINUTE },
  '24h': { spanMs: 24 * 60 * MINUTE, bucketMs: 15 * MINUTE },
  '7d': { spanMs: 7 * 24 * 60 * MINUTE, bucketMs: 60 * MINUTE },
};

export interface ViewsStatus {
  readonly position: number;
  readonly lag: number;
  /** Set when the checkpoint did not match the log and the views were rebuilt. */
  readonly rebuiltBecause: string | null;
}

/**
 * The console's own read models in views.db, kept by tailing the log: events per minute (Overview's
 * chart), event types with counts (filters), and correlation/causation links (event detail). It
 * advances in bounded steps between event-loop turns, checkpointing position and hash with each step; a
 * checkpoint that does not match the log (a restored or damaged log) makes it start again from zero.
 */
export class ConsoleViews {
  private readonly db: WritableDB;
  private position = 0;
  private hash = GENESIS_HASH;
  private running = false;
  private closed = false;
  private rebuiltBecause: string | null = null;
  private readonly stopListening: () => void;
  private readonly stmts: {
    checkpoint: Statement;
    rate: Statement;
    type: Statement;
    link: Statement;
  };

  constructor(
    private readonly store: EventStore,
    private readonly stepSize = 5000,
  ) {
    this.db = openWritable(join(store.dir, VIEWS_DB), { durability: 'normal', busyTimeoutMs: 50 });
    runMigrations(this.db, viewsMigrations, VIEWS_DB);
    this.stmts = {
      checkpoint: this.db.prepare(
        `INSERT INTO checkpoints (projection, position, hash, updated_at) VALUES ('${PROJECTION}', ?, ?, ?)
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position, hash = excluded.hash, updated_at = excluded.updated_at`,
      ),
      rate: this.db.prepare('INSERT INTO event_rate (minute, events) VALUES (?, ?) ON CONFLICT (minute) DO UPDATE SET events = events + excluded.events'),
      type: this.db.prepare(
        'INSERT INTO event_types (type, events, last_position) VALUES (?, ?, ?) ON CONFLICT (type) DO UPDATE SET events = events + excluded.events, last_position = excluded.last_position',
      ),
      link: this.db.prepare('INSERT OR IGNORE INTO event_links (kind, key, position) VALUES (?, ?, ?)'),
    };
    this.loadCheckpoint();
    this.stopListening = store.onCommitted(() => this.catchUp());
  }

  status(): ViewsStatus {
    return { position: this.position, lag: Math.max(0, this.store.head().position - this.position), rebuiltBecause: this.rebuiltBecause };
  }

  /** Advances to the log's head in steps of `stepSize` events, yielding to the loop between steps. */
  catchUp(): void {
    if (this.running || this.closed) return;
    this.running = true;
    const step = () => {
      if (this.closed) return;
      const advanced = this.step();
      if (advanced) setImmediate(step);
      else this.running = false;
    };
    setImmediate(step);
  }

  /** One bounded step; returns whether it found events. */
  step(): boolean {
    const events = this.store.reader.readAll(this.position + 1, this.stepSize);
    if (events.length === 0) return false;
    this.apply(events);
    return true;
  }

  eventRate(range: EventRateRange, now: number): EventRateSeries {
    const { spanMs, bucketMs } = RANGES[range];
    const to = Math.ceil(now / bucketMs) * bucketMs;
    const from = to - spanMs;
    const rows = this.db
      .prepare('SELECT CAST(minute * 60000 / ? AS INTEGER) * ? AS at, sum(events) AS events FROM event_rate WHERE minute >= ? AND minute < ? GROUP BY 1')
      .all(bucketMs, bucketMs, Math.floor(from / MINUTE), Math.ceil(to / MINUTE)) as Array<{ at: number; events: number }>;
    const byBucket = new Map(rows.map((r) => [r.at, r.events]));
    const buckets: Array<{ at: number; events: number }> = [];
    for (let at = from; at < to; at += bucketMs) buckets.push({ at, events: byBucket.get(at) ?? 0 });
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucketMs, buckets };
  }

  eventTypes(): EventTypeCount[] {
    return this.db.prepare('SELECT type, events, last_position AS lastPosition FROM event_types ORDER BY events DESC, type').all() as EventTypeCount[];
  }

  /** Positions of events linked by `kind` to `key` (e.g. all events of one correlation id). */
  linked(kind: 'correlation' | 'causation', key: string, limit: number): { positions: number[]; total: number } {
    const positions = (this.db.prepare('SELECT position FROM event_links WHERE kind = ? AND key = ? ORDER BY position LIMIT ?').all(kind, key, limit) as Array<{ position: number }>).map(
      (r) => r.position,
    );
    const total =
      positions.length < limit ? positions.length : (this.db.prepare('SELECT count(*) AS n FROM event_links WHERE kind = ? AND key = ?').get(kind, key) as { n: number }).n;
    return { positions, total };
  }

  close(): void {
    this.closed = true;
    this.stopListening();
    this.db.close();
  }

  private loadCheckpoint(): void {
    const row = this.db.prepare('SELECT position, hash FROM checkpoints WHERE projection = ?').get(PROJECTION) as { position: number; hash: string } | undefined;
    if (row === undefined) return;
    const event = row.position === 0 ? undefined : this.store.reader.eventAt(row.position);
    if (row.position > 0 && (event === undefined || event.hash !== row.hash)) {
      this.rebuiltBecause =
        event === undefined
          ? `the views had reached position ${row.position} but the log ends at ${this.store.head().position}`
          : `the event at position ${row.position} is not the one the views were built from`;
      this.db.exec('DELETE FROM event_rate; DELETE FROM event_types; DELETE FROM event_links; DELETE FROM checkpoints;');
      return;
    }
    this.position = row.position;
    this.hash = row.hash;
  }

  private apply(events: readonly StoredEvent[]): void {
    const minutes = new Map<number, number>();
    const types = new Map<string, { events: number; last: number }>();
    const links: Array<[string, string, number]> = [];
    for (const e of events) {
      const minute = Math.floor(e.recordedAt / MINUTE);
      minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
      const t = types.get(e.type);
      if (t === undefined) types.set(e.type, { events: 1, last: e.globalPosition });
      else {
        t.events++;
        t.last = e.globalPosition;
      }
      // Parse metadata only when it can hold a link: most events' metadata never needs parsing.
      if (e.metadata.includes('"correlationId"') || e.metadata.includes('"causationId"')) {
        const meta = JSON.parse(e.metadata) as { correlationId?: unknown; causationId?: unknown };
        if (typeof meta.correlationId === 'string') links.push(['correlation', meta.correlationId, e.globalPosition]);
        if (typeof meta.causationId === 'string') links.push(['causation', meta.causationId, e.globalPosition]);
      }
    }
    const last = events[events.length - 1]!;
    this.db.transaction(() => {
      for (const [minute, n] of minutes) this.stmts.rate.run(minute, n);
      for (const [type, t] of types) this.stmts.type.run(type, t.events, t.last);
      for (const [kind, key, position] of links) this.stmts.link.run(kind, key, position);
      this.stmts.checkpoint.run(last.globalPosition, last.hash, Date.now());
    })();
    this.position = last.globalPosition;
    this.hash = last.hash;
  }
}
