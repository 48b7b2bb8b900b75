import type { EventRecord } from '../../shared/events.js';

/** An events row as read from SQLite: data and metadata are the stored JSON text, time in ms. */
export interface StoredEvent {
  readonly globalPosition: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recordedAt: number;
  readonly hash: string;
}

/** The column list that reads a row straight into a StoredEvent (no per-row mapping). */
export const STORED_EVENT_COLUMNS =
  'global_position AS globalPosition, event_id AS eventId, stream_id AS streamId, stream_version AS streamVersion, ' +
  'type, data, metadata, recorded_at AS recordedAt, hash';

/** The same columns for `.raw()` statements, whose rows `toStoredEvent` turns into StoredEvents. */
export const STORED_EVENT_RAW_COLUMNS = 'global_position, event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash';

export type StoredEventRow = [number, string, string, number, string, string, string, number, string];

/**
 * A raw row as a StoredEvent. Reading arrays and building the objects here is about twice as fast as
 * letting better-sqlite3 build row objects (it sets their properties one by one), which is what bulk
 * reads (export, verify, backups) spend most of their time on.
 */
export function toStoredEvent(r: StoredEventRow): StoredEvent {
  return { globalPosition: r[0], eventId: r[1], streamId: r[2], streamVersion: r[3], type: r[4], data: r[5], metadata: r[6], recordedAt: r[7], hash: r[8] };
}

export function toEventRecord(row: StoredEvent): EventRecord {
  return {
    globalPosition: row.globalPosition,
    eventId: row.eventId,
    streamId: row.streamId,
    streamVersion: row.streamVersion,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    recordedAt: new Date(row.recordedAt).toISOString(),
    hash: row.hash,
  };
}

/**
 * The event as one NDJSON line (DESIGN §6b), built from the stored JSON text without parsing it again:
 * export and read stream millions of these.
 */
export function toEventJsonLine(row: StoredEvent): string {
  return (
    `{"globalPosition":${row.globalPosition},"eventId":"${row.eventId}","streamId":${JSON.stringify(row.streamId)},` +
    `"streamVersion":${row.streamVersion},"type":${JSON.stringify(row.type)},"data":${row.data},` +
    `"metadata":${row.metadata},"recordedAt":"${new Date(row.recordedAt).toISOString()}","hash":"${row.hash}"}`
  );
}
