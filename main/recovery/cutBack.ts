import type { ReadableDB, WritableDB } from '../platform/index.js';

/**
 * The first event of a log recorded after `atMs` (a time target stops just before it), or undefined when
 * every event was recorded at or before it.
 */
export function firstEventAfter(db: ReadableDB, atMs: number): { readonly position: number; readonly recordedAt: number } | undefined {
  const row = db.prepare('SELECT global_position AS position, recorded_at AS recordedAt FROM events WHERE recorded_at > ? ORDER BY global_position LIMIT 1').get(atMs) as
    | { position: number; recordedAt: number }
    | undefined;
  return row;
}

/**
 * Cuts a log back to `position`: the events after it are deleted and the streams table is made to match
 * (streams that only began later disappear; the others end at their last remaining event), in one
 * transaction. Used on a full archive's events.db that reaches past the target.
 */
export function cutBack(db: WritableDB, position: number): { readonly removed: number } {
  let removed = 0;
  db.transaction(() => {
    removed = db.prepare('DELETE FROM events WHERE global_position > ?').run(position).changes;
    db.prepare('DELETE FROM streams WHERE first_position > ?').run(position);
    // A stream's events have increasing positions as their versions increase: its last event is its highest version.
    db.prepare(
      `UPDATE streams SET
         version       = (SELECT e.stream_version  FROM events e WHERE e.stream_id = streams.stream_id ORDER BY e.stream_version DESC LIMIT 1),
         last_position = (SELECT e.global_position FROM events e WHERE e.stream_id = streams.stream_id ORDER BY e.stream_version DESC LIMIT 1),
         updated_at    = (SELECT e.recorded_at     FROM events e WHERE e.stream_id = streams.stream_id ORDER BY e.stream_version DESC LIMIT 1)
       WHERE last_position > ?`,
    ).run(position);
  })();
  return { removed };
}
