import type { Statement } from 'better-sqlite3';
import { GENESIS_HASH, type StreamSummary } from '../../shared/events.js';
import type { ReadableDB } from '../platform/index.js';
import { STORED_EVENT_RAW_COLUMNS, toStoredEvent, type StoredEvent, type StoredEventRow } from './storedEvent.js';

export interface LogHead {
  readonly position: number;
  readonly hash: string;
  /** ms since the epoch, or null for an empty log. */
  readonly recordedAt: number | null;
}

export type Direction = 'forwards' | 'backwards';

interface StreamRow {
  streamId: string;
  version: number;
  firstPosition: number;
  lastPosition: number;
  createdAt: number;
  updatedAt: number;
}

const STREAM_COLUMNS =
  'stream_id AS streamId, version, first_position AS firstPosition, last_position AS lastPosition, created_at AS createdAt, updated_at AS updatedAt';

/**
 * Every read of the log, as prepared statements on one connection. Reads take a ReadableDB, so they work
 * on the writer connection or on a read-only one (another process, a backup being verified).
 */
export class EventReader {
  private readonly head: Statement<[], { position: number; hash: string; recordedAt: number }>;
  // Events are read as raw rows and turned into StoredEvents by toStoredEvent (see there why).
  private readonly allForwards: Statement<[number, number], StoredEventRow>;
  private readonly allBackwards: Statement<[number, number], StoredEventRow>;
  private readonly streamForwards: Statement<[string, number, number], StoredEventRow>;
  private readonly streamBackwards: Statement<[string, number, number], StoredEventRow>;
  private readonly byPosition: Statement<[number], StoredEventRow>;
  private readonly byId: Statement<[string], StoredEventRow>;
  private readonly stream: Statement<[string], StreamRow>;
  private readonly streamCount: Statement<[], { n: number }>;

  constructor(readonly db: ReadableDB) {
    this.head = db.prepare('SELECT global_position AS position, hash, recorded_at AS recordedAt FROM events ORDER BY global_position DESC LIMIT 1');
    const events = <P extends unknown[]>(where: string) => db.prepare<P, StoredEventRow>(`SELECT ${STORED_EVENT_RAW_COLUMNS} FROM events ${where}`).raw(true);
    this.allForwards = events('WHERE global_position >= ? ORDER BY global_position LIMIT ?');
    this.allBackwards = events('WHERE global_position <= ? ORDER BY global_position DESC LIMIT ?');
    this.streamForwards = events('WHERE stream_id = ? AND stream_version >= ? ORDER BY stream_version LIMIT ?');
    this.streamBackwards = events('WHERE stream_id = ? AND stream_version <= ? ORDER BY stream_version DESC LIMIT ?');
    this.byPosition = events('WHERE global_position = ?');
    this.byId = events('WHERE event_id = ?');
    this.stream = db.prepare(`SELECT ${STREAM_COLUMNS} FROM streams WHERE stream_id = ?`);
    this.streamCount = db.prepare('SELECT count(*) AS n FROM streams');
  }

  readHead(): LogHead {
    return this.head.get() ?? { position: 0, hash: GENESIS_HASH, recordedAt: null };
  }

  /** Events from `from` (inclusive) in position order; backwards starts at `from` and goes down. */
  readAll(from: number, limit: number, direction: Direction = 'forwards'): StoredEvent[] {
    return (direction === 'forwards' ? this.allForwards : this.allBackwards).all(from, limit).map(toStoredEvent);
  }

  /** Events of one stream from `fromVersion` (inclusive); backwards from `fromVersion` down. */
  readStream(streamId: string, fromVersion: number, limit: number, direction: Direction = 'forwards'): StoredEvent[] {
    return (direction === 'forwards' ? this.streamForwards : this.streamBackwards).all(streamId, fromVersion, limit).map(toStoredEvent);
  }

  /** Pages through positions [from, to] without holding a statement open between pages. */
  *pages(from: number, to: number, pageSize: number): Generator<StoredEvent[]> {
    let next = Math.max(1, from);
    while (next <= to) {
      const page = this.readAll(next, Math.min(pageSize, to - next + 1));
      if (page.length === 0) return;
      yield page;
      next = page[page.length - 1]!.globalPosition + 1;
    }
  }

  eventAt(position: number): StoredEvent | undefined {
    const row = this.byPosition.get(position);
    return row === undefined ? undefined : toStoredEvent(row);
  }

  eventById(eventId: string): StoredEvent | undefined {
    const row = this.byId.get(eventId);
    return row === undefined ? undefined : toStoredEvent(row);
  }

  streamSummary(streamId: string): StreamSummary | undefined {
    const row = this.stream.get(streamId);
    return row === undefined ? undefined : toStreamSummary(row);
  }

  /** Streams begun after `position` (their first event, version 0, lies after it): a rowid range scan. */
  countStreamsBegunAfter(position: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM events WHERE global_position > ? AND stream_version = 0').get(position) as { n: number }).n;
  }

  countStreams(): number {
    return this.streamCount.get()!.n;
  }

  /**
   * A page of streams in id order, after `after` (keyset paging: constant cost per page at any depth).
   * `prefix` uses the primary key range; `contains` scans, which stays fast at 100k streams.
   */
  listStreams(options: { after?: string; prefix?: string; contains?: string; limit: number }): StreamSummary[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (options.after !== undefined) {
      where.push('stream_id > ?');
      params.push(options.after);
    }
    if (options.prefix !== undefined && options.prefix !== '') {
      where.push('stream_id >= ?');
      params.push(options.prefix);
      const end = prefixEnd(options.prefix);
      if (end !== undefined) {
        where.push('stream_id < ?');
        params.push(end);
      }
    }
    if (options.contains !== undefined && options.contains !== '') {
      where.push("instr(lower(stream_id), lower(?)) > 0");
      params.push(options.contains);
    }
    params.push(options.limit);
    const sql = `SELECT ${STREAM_COLUMNS} FROM streams ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY stream_id LIMIT ?`;
    return (this.db.prepare(sql).all(...params) as StreamRow[]).map(toStreamSummary);
  }
}

/**
 * The smallest string above every string that starts with `prefix`, in SQLite's BINARY order (UTF-8
 * bytes, i.e. code point order): the prefix with its last code point raised by one, carrying past
 * U+10FFFF. Undefined when there is none (a prefix of only U+10FFFF). Appending U+10FFFF instead would
 * miss ids that continue with U+10FFFF itself.
 */
export function prefixEnd(prefix: string): string | undefined {
  // Lone surrogates reach SQLite as U+FFFD (better-sqlite3 binds strings as UTF-8), so count them as that.
  const points = Array.from(prefix, (c) => {
    const p = c.codePointAt(0)!;
    return p >= 0xd800 && p <= 0xdfff ? 0xfffd : p;
  });
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff) {
      points.push(last === 0xd7ff ? 0xe000 : last + 1); // the surrogate range holds no characters
      return String.fromCodePoint(...points);
    }
  }
  return undefined;
}

function toStreamSummary(row: StreamRow): StreamSummary {
  return {
    streamId: row.streamId,
    events: row.version + 1,
    version: row.version,
    firstPosition: row.firstPosition,
    lastPosition: row.lastPosition,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
