import type { Statement } from 'better-sqlite3';
import { ConsoleError, diskErrorCode } from '../../shared/errors.js';
import {
  GENESIS_HASH,
  MAX_EVENT_JSON_BYTES,
  type AppendedEvent,
  type AppendResult,
  type ExpectedVersion,
} from '../../shared/events.js';
import { translateSqliteError, type WritableDB } from '../platform/index.js';
import { chainHash } from './hashChain.js';
import { uuidv7 } from '../platform/index.js';

/** One event ready to be written: JSON already serialised and size-checked (see `prepareEvent`). */
export interface PreparedEvent {
  readonly eventId: string | undefined;
  readonly type: string;
  readonly dataJson: string;
  readonly metadataJson: string;
  /** Import only: keep the original time instead of the commit time. */
  readonly recordedAt?: number;
  /** Import of exported events only: what the exporting store recorded, checked on the way in. */
  readonly expected?: { readonly globalPosition: number; readonly streamVersion: number; readonly hash: string };
}

export interface PreparedAppend {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly PreparedEvent[];
  /**
   * `append`: all events new, or all already present with the same content (an idempotent retry).
   * `import`: events already present with the same content are skipped one by one.
   */
  readonly mode: 'append' | 'import';
}

export function prepareEvent(
  type: string,
  data: unknown,
  metadata: unknown,
  eventId: string | undefined,
): PreparedEvent {
  const dataJson = JSON.stringify(data);
  const metadataJson = JSON.stringify(metadata ?? {});
  // Cheap upper bound first: a JS string is at most 3 UTF-8 bytes per code unit.
  if ((dataJson.length + metadataJson.length) * 3 > MAX_EVENT_JSON_BYTES) {
    const bytes = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson);
    if (bytes > MAX_EVENT_JSON_BYTES)
      throw new ConsoleError('INVALID_INPUT', `event of type ${type} is ${bytes} bytes; the limit is ${MAX_EVENT_JSON_BYTES}`);
  }
  return { eventId, type, dataJson, metadataJson };
}

interface StreamState {
  /** -1 while the stream has no events. */
  version: number;
  firstPosition: number;
  lastPosition: number;
  createdAt: number;
  /** Events were written to it in this group: its row is upserted before the commit. */
  dirty: boolean;
}

interface ExistingEvent {
  globalPosition: number;
  streamId: string;
  streamVersion: number;
  type: string;
  data: string;
  metadata: string;
}

interface Head {
  position: number;
  hash: string;
}

/** A streams row as a `.raw()` array: version, first_position, last_position, created_at. */
type StreamRow = [number, number, number, number];

export interface GroupOptions {
  /** Import: any failed request aborts the whole group (nothing of it is written) and is thrown. */
  readonly atomic?: boolean;
}

export interface CommittedGroup {
  readonly results: ReadonlyArray<AppendResult | ConsoleError>;
  readonly headPosition: number;
  readonly headHash: string;
  readonly written: number;
}

/**
 * The write path of the log. It applies a group of appends in one IMMEDIATE transaction: expected
 * versions and event ids are checked before anything is written, so a failed request is simply left out
 * and the others still commit together (one fsync for the group).
 */
export class EventWriter {
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;
  private readonly insertEvent: Statement;
  private readonly selectHead: Statement<[], Head>;
  private readonly selectStream: Statement<[string], StreamRow>;
  private readonly upsertStream: Statement;
  private readonly selectById: Statement<[string], ExistingEvent>;

  constructor(
    private readonly db: WritableDB,
    private readonly clock: () => number,
  ) {
    // Prepared once: db.exec() would parse BEGIN and COMMIT again on every group.
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.insertEvent = db.prepare(
      'INSERT INTO events (global_position, event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectHead = db.prepare('SELECT global_position AS position, hash FROM events ORDER BY global_position DESC LIMIT 1');
    // Rows as arrays (.raw): better-sqlite3 builds row objects property by property, which costs more
    // than the lookup itself.
    this.selectStream = db.prepare<[string], StreamRow>('SELECT version, first_position, last_position, created_at FROM streams WHERE stream_id = ?').raw(true);
    this.upsertStream = db.prepare(
      `INSERT INTO streams (stream_id, version, first_position, last_position, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, last_position = excluded.last_position, updated_at = excluded.updated_at`,
    );
    this.selectById = db.prepare(
      'SELECT global_position AS globalPosition, stream_id AS streamId, stream_version AS streamVersion, type, data, metadata FROM events WHERE event_id = ?',
    );
  }

  commitGroup(appends: readonly PreparedAppend[], options: GroupOptions = {}): CommittedGroup {
    const now = this.clock();
    let committing = false;
    try {
      this.begin.run();
    } catch (error) {
      throw translateSqliteError(error, 'cannot start a write transaction');
    }
    try {
      const head: Head = this.selectHead.get() ?? { position: 0, hash: GENESIS_HASH };
      const startPosition = head.position;
      const streams = this.loadStreams(appends);
      const results: Array<AppendResult | ConsoleError> = [];
      for (const append of appends) {
        const result = this.applyOne(append, head, streams, now);
        if (options.atomic && result instanceof ConsoleError) throw result;
        results.push(result);
      }
      for (const [streamId, s] of streams) {
        if (s.dirty) this.upsertStream.run(streamId, s.version, s.firstPosition, s.lastPosition, s.createdAt, now);
      }
      committing = true;
      this.commit.run();
      return { results, headPosition: head.position, headHash: head.hash, written: head.position - startPosition };
    } catch (error) {
      try {
        if (this.db.inTransaction) this.rollback.run();
      } catch {
        // The connection already reports the failure that matters: the one thrown below.
      }
      throw writeFailure(error, committing);
    }
  }

  /**
   * Runs `fn` with the log's head while holding the write lock (an IMMEDIATE transaction that writes
   * nothing): no connection of any process commits meanwhile. BUSY when another connection holds the lock
   * past the busy timeout.
   */
  underWriteLock<T>(fn: (head: { readonly position: number; readonly hash: string }) => T): T {
    try {
      this.begin.run();
    } catch (error) {
      throw translateSqliteError(error, 'cannot take the write lock');
    }
    try {
      return fn(this.selectHead.get() ?? { position: 0, hash: GENESIS_HASH });
    } finally {
      if (this.db.inTransaction) this.rollback.run();
    }
  }

  /**
   * The current state of every stream the group touches, read once up front (a stream without a row
   * gets version -1). Appends then check and advance these in memory: the transaction holds the write
   * lock, so nothing else changes them meanwhile, and each stream's row is written once at the end.
   */
  private loadStreams(appends: readonly PreparedAppend[]): Map<string, StreamState> {
    const streams = new Map<string, StreamState>();
    for (const { streamId } of appends) {
      if (streams.has(streamId)) continue;
      const row = this.selectStream.get(streamId);
      streams.set(
        streamId,
        row === undefined
          ? { version: -1, firstPosition: 0, lastPosition: 0, createdAt: 0, dirty: false }
          : { version: row[0], firstPosition: row[1], lastPosition: row[2], createdAt: row[3], dirty: false },
      );
    }
    return streams;
  }

  private applyOne(append: PreparedAppend, head: Head, streams: Map<string, StreamState>, now: number): AppendResult | ConsoleError {
    const { streamId, events } = append;
    // 1. Event ids the caller chose: a retry with the same content is a no-op, other content a conflict.
    let existing: Array<ExistingEvent | undefined> | undefined;
    let existingCount = 0;
    for (let i = 0; i < events.length; i++) {
      const id = events[i]!.eventId;
      if (id === undefined) continue;
      for (let j = 0; j < i; j++) {
        if (events[j]!.eventId === id)
          return new ConsoleError('DUPLICATE_EVENT_ID', `event id ${id} appears twice in one append`, { eventId: id });
      }
      const found = this.selectById.get(id);
      if (found === undefined) continue;
      if (!sameContent(found, streamId, events[i]!))
        return new ConsoleError('DUPLICATE_EVENT_ID', `event id ${id} already exists at position ${found.globalPosition} with different content`, {
          eventId: id,
          globalPosition: found.globalPosition,
        });
      if (events[i]!.expected !== undefined && events[i]!.expected!.globalPosition !== found.globalPosition)
        return new ConsoleError('INTEGRITY_VIOLATION', `event id ${id} is at position ${found.globalPosition} here but ${events[i]!.expected!.globalPosition} in the import`, {
          eventId: id,
        });
      existing ??= new Array<ExistingEvent | undefined>(events.length);
      existing[i] = found;
      existingCount++;
    }
    if (existing !== undefined && existingCount === events.length) {
      const appended = existing.map((e, i): AppendedEvent => ({ eventId: events[i]!.eventId!, globalPosition: e!.globalPosition, streamVersion: e!.streamVersion }));
      return summarise(appended, true);
    }
    if (existingCount > 0 && append.mode === 'append')
      return new ConsoleError('DUPLICATE_EVENT_ID', `${existingCount} of the ${events.length} events of this append already exist: retry the whole append or use new ids`, {
        streamId,
      });

    // 2. Expected version against the stream as this transaction sees it.
    const stream = streams.get(streamId)!;
    const actual = stream.version;
    const mismatch = expectedVersionMismatch(append.expectedVersion, actual);
    if (mismatch !== undefined)
      return new ConsoleError('WRONG_EXPECTED_VERSION', `stream ${streamId} ${mismatch}`, {
        streamId,
        expectedVersion: append.expectedVersion,
        actualVersion: actual,
      });

    // 3. Write: positions and versions follow on, each hash chains from the one before.
    const appended: AppendedEvent[] = [];
    let version = actual;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (existing?.[i] !== undefined) {
        appended.push({ eventId: event.eventId!, globalPosition: existing[i]!.globalPosition, streamVersion: existing[i]!.streamVersion });
        continue;
      }
      const position = head.position + 1;
      version += 1;
      const eventId = event.eventId ?? uuidv7(now);
      const recordedAt = event.recordedAt ?? now;
      const hash = chainHash(head.hash, position, eventId, streamId, version, event.type, recordedAt, event.metadataJson, event.dataJson);
      if (event.expected !== undefined) {
        const problem = importMismatch(event.expected, position, version, hash);
        if (problem !== undefined) return new ConsoleError('INTEGRITY_VIOLATION', problem, { globalPosition: event.expected.globalPosition });
      }
      this.insertEvent.run(position, eventId, streamId, version, event.type, event.dataJson, event.metadataJson, recordedAt, hash);
      head.position = position;
      head.hash = hash;
      appended.push({ eventId, globalPosition: position, streamVersion: version });
    }
    if (stream.version === -1) {
      stream.firstPosition = appended[0]!.globalPosition;
      stream.createdAt = now;
    }
    stream.version = version;
    stream.lastPosition = head.position;
    stream.dirty = true;
    return summarise(appended, false);
  }
}

/**
 * What a failed write means for the caller (issue 9, class 2: a script trusts the answer to decide whether
 * to write again). A full disk fails before the commit record is written: nothing was appended. An I/O
 * error while committing leaves the outcome unknown, and says so.
 */
function writeFailure(error: unknown, committing: boolean): unknown {
  if (error instanceof ConsoleError) return error;
  const disk = diskErrorCode(error);
  const code = (error as { code?: unknown }).code;
  const reason = `${(error as Error).message}${typeof code === 'string' ? `, ${code}` : ''}`;
  if (disk === 'DISK_FULL') return new ConsoleError('DISK_FULL', `the disk holding the store is full: nothing of this append was written (${reason})`, { sqlite: code });
  if (disk === 'IO_ERROR')
    return new ConsoleError(
      'IO_ERROR',
      committing
        ? `the disk reported an I/O error while the append was being committed (${reason}): it may or may not be in the log; read it back, or retry with the same event id (never written twice)`
        : `the disk reported an I/O error: nothing of this append was written (${reason})`,
      { sqlite: code, outcome: committing ? 'unknown' : 'not-written' },
    );
  return translateSqliteError(error, 'append failed');
}

function sameContent(found: ExistingEvent, streamId: string, event: PreparedEvent): boolean {
  return found.streamId === streamId && found.type === event.type && found.data === event.dataJson && found.metadata === event.metadataJson;
}

/** Why the expected version does not hold, or undefined when it does. `actual` is -1 for no stream. */
export function expectedVersionMismatch(expected: ExpectedVersion, actual: number): string | undefined {
  switch (expected) {
    case 'any':
      return undefined;
    case 'no_stream':
      return actual === -1 ? undefined : `already exists (version ${actual}), expected no stream`;
    case 'stream_exists':
      return actual >= 0 ? undefined : 'does not exist, expected an existing stream';
    default:
      return actual === expected ? undefined : actual === -1 ? `does not exist, expected version ${expected}` : `is at version ${actual}, expected ${expected}`;
  }
}

function importMismatch(
  expected: NonNullable<PreparedEvent['expected']>,
  position: number,
  version: number,
  hash: string,
): string | undefined {
  if (expected.globalPosition !== position)
    return `imported event has position ${expected.globalPosition} but would be written at ${position}: exported events must be imported in order into a store whose head is just before them`;
  if (expected.streamVersion !== version)
    return `imported event at position ${position} has stream version ${expected.streamVersion} but the stream is at ${version - 1}`;
  if (expected.hash !== hash) return `imported event at position ${position} does not match its hash: the export was altered or belongs to another chain`;
  return undefined;
}

function summarise(events: AppendedEvent[], idempotent: boolean): AppendResult {
  const last = events[events.length - 1]!;
  return { globalPosition: last.globalPosition, streamVersion: last.streamVersion, eventId: last.eventId, events, idempotent };
}
