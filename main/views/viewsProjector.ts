import type { Statement } from 'better-sqlite3';
import { GENESIS_HASH } from '../../shared/events.js';
import type { WritableDB } from '../platform/index.js';
import type { EventReader } from '../store/index.js';
import type { StoredEvent } from '../store/index.js';

export const PROJECTION = 'console';
export const MINUTE = 60_000;
/**
 * view_counters that say whether recordedAt never goes down along the log, so a time can be found by a
 * binary search over positions: the greatest recordedAt so far, and the first position recorded before
 * an earlier event (imported events keep their times; a clock can be set back). Views built before these
 * counters existed have neither: the order is then unknown.
 */
export const RECORDED_AT_MAX = 'recorded_at_max';
export const FIRST_TIME_REGRESSION = 'first_time_regression';

/** Where the console views stand, as their checkpoint says. */
export interface ViewsCheckpoint {
  readonly position: number;
  readonly hash: string;
}

/** The checkpoint as stored, unchecked (the projector checks it against the log before going on). */
export function readCheckpoint(views: WritableDB): ViewsCheckpoint | undefined {
  return views.prepare('SELECT position, hash FROM checkpoints WHERE projection = ?').get(PROJECTION) as ViewsCheckpoint | undefined;
}

type Link = [kind: 'correlation' | 'causation', key: string, position: number];

function compareLinks(a: Link, b: Link): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[2] - b[2];
}

/**
 * The write side of the console's read models in views.db: reads the log after the checkpoint and folds
 * each step of events into events per minute, event types and correlation/causation links, with the
 * checkpoint (position and hash) in the same transaction. A checkpoint that does not match the log (a
 * restored or damaged log) makes it start again from zero. It runs wherever it is given connections:
 * the views worker thread, or, where no worker can load SQLite, the main thread in small steps.
 */
export class ViewsProjector {
  private position = 0;
  private hash = GENESIS_HASH;
  /** Set when the checkpoint did not match the log and the views were rebuilt. */
  readonly rebuiltBecause: string | null = null;
  private readonly stmts: { checkpoint: Statement; rate: Statement; type: Statement; link: Statement; streams: Statement; setCounter: Statement; firstRegression: Statement };
  /** The greatest recordedAt folded in so far; undefined when views older than the counter leave it unknown. */
  private recordedAtMax: number | undefined = 0;
  private timeRegression: number | null = null;

  constructor(
    private readonly log: EventReader,
    private readonly views: WritableDB,
  ) {
    this.stmts = {
      checkpoint: views.prepare(
        `INSERT INTO checkpoints (projection, position, hash, updated_at) VALUES ('${PROJECTION}', ?, ?, ?)
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position, hash = excluded.hash, updated_at = excluded.updated_at`,
      ),
      rate: views.prepare('INSERT INTO event_rate (minute, events) VALUES (?, ?) ON CONFLICT (minute) DO UPDATE SET events = events + excluded.events'),
      type: views.prepare(
        'INSERT INTO event_types (type, events, last_position) VALUES (?, ?, ?) ON CONFLICT (type) DO UPDATE SET events = events + excluded.events, last_position = excluded.last_position',
      ),
      link: views.prepare('INSERT OR IGNORE INTO event_links (kind, key, position) VALUES (?, ?, ?)'),
      streams: views.prepare("INSERT INTO view_counters (name, value) VALUES ('streams', ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value"),
      setCounter: views.prepare('INSERT INTO view_counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
      firstRegression: views.prepare(`INSERT OR IGNORE INTO view_counters (name, value) VALUES ('${FIRST_TIME_REGRESSION}', ?)`),
    };
    const row = readCheckpoint(views);
    if (row === undefined) return;
    const event = row.position === 0 ? undefined : log.eventAt(row.position);
    if (row.position > 0 && (event === undefined || event.hash !== row.hash)) {
      this.rebuiltBecause =
        event === undefined
          ? `the views had reached position ${row.position} but the log ends at ${log.readHead().position}`
          : `the event at position ${row.position} is not the one the views were built from`;
      views.exec('DELETE FROM event_rate; DELETE FROM event_types; DELETE FROM event_links; DELETE FROM view_counters; DELETE FROM checkpoints;');
      return;
    }
    this.position = row.position;
    this.hash = row.hash;
    const counter = (name: string) => (views.prepare('SELECT value FROM view_counters WHERE name = ?').get(name) as { value: number } | undefined)?.value;
    this.recordedAtMax = row.position === 0 ? 0 : counter(RECORDED_AT_MAX);
    this.timeRegression = counter(FIRST_TIME_REGRESSION) ?? null;
  }

  get checkpoint(): ViewsCheckpoint {
    return { position: this.position, hash: this.hash };
  }

  /** Folds in up to `maxEvents` events after the checkpoint, in one transaction; returns how many. */
  step(maxEvents: number): number {
    const events = this.log.readAll(this.position + 1, maxEvents);
    if (events.length > 0) this.apply(events);
    return events.length;
  }

  private apply(events: readonly StoredEvent[]): void {
    const minutes = new Map<number, number>();
    const types = new Map<string, { events: number; last: number }>();
    const links: Link[] = [];
    // A stream's first event (version 0) is where the stream begins: counting those counts the streams.
    let newStreams = 0;
    let recordedAtMax = this.recordedAtMax;
    let timeRegression = this.timeRegression;
    for (const e of events) {
      if (e.streamVersion === 0) newStreams++;
      if (recordedAtMax !== undefined) {
        if (e.recordedAt < recordedAtMax) timeRegression ??= e.globalPosition;
        else recordedAtMax = e.recordedAt;
      }
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
    // In key order, neighbouring inserts land on the same pages of the links index: a third less time.
    links.sort(compareLinks);
    const last = events[events.length - 1]!;
    this.views.transaction(() => {
      for (const [minute, n] of minutes) this.stmts.rate.run(minute, n);
      for (const [type, t] of types) this.stmts.type.run(type, t.events, t.last);
      for (const [kind, key, position] of links) this.stmts.link.run(kind, key, position);
      this.stmts.streams.run(newStreams);
      if (recordedAtMax !== undefined) this.stmts.setCounter.run(RECORDED_AT_MAX, recordedAtMax);
      if (timeRegression !== null) this.stmts.firstRegression.run(timeRegression);
      this.stmts.checkpoint.run(last.globalPosition, last.hash, Date.now());
    })();
    this.position = last.globalPosition;
    this.hash = last.hash;
    this.recordedAtMax = recordedAtMax;
    this.timeRegression = timeRegression;
  }
}
