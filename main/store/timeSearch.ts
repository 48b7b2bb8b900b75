import { ConsoleError } from '../../shared/errors.js';
import type { EventReader } from './reader.js';

export interface EventTime {
  readonly position: number;
  readonly recordedAt: number;
}

/** Each step of the scan is sized to last about this long, so the loop between steps stays responsive. */
const SCAN_STEP_MS = 4;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The first event recorded after `atMs`: a time target keeps the events before it (shared/recovery.ts,
 * RecoveryTarget 'time'), undefined when none was. recorded_at has no index, and it only mostly grows
 * (imported events keep their times, a clock can be set back), so:
 * - positions 1..`inOrderTo`, known to have non-decreasing times (the console views track it), are
 *   searched by bisection: a few point reads by rowid;
 * - the rest of the log, or all of it when the order is unknown, is scanned in position order in steps
 *   of a few ms with a turn of the loop between them, so the main thread never blocks long.
 */
export async function firstEventRecordedAfter(reader: EventReader, atMs: number, inOrderTo: number): Promise<EventTime | undefined> {
  const db = reader.db;
  const timeAt = db.prepare<[number], { recordedAt: number }>('SELECT recorded_at AS recordedAt FROM events WHERE global_position = ?');
  const head = reader.readHead().position;
  const ordered = Math.min(Math.max(0, inOrderTo), head);
  if (ordered > 0 && timeAt.get(ordered)!.recordedAt > atMs) {
    // recorded_at(p) > atMs is false, then true, along 1..ordered: find where it turns.
    let low = 1;
    let high = ordered;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (timeAt.get(middle)!.recordedAt > atMs) high = middle;
      else low = middle + 1;
    }
    return { position: low, recordedAt: timeAt.get(low)!.recordedAt };
  }

  const firstLater = db.prepare<[number, number, number], EventTime>(
    'SELECT global_position AS position, recorded_at AS recordedAt FROM events WHERE global_position > ? AND global_position <= ? AND recorded_at > ? ORDER BY global_position LIMIT 1',
  );
  let after = ordered;
  let step = 2000;
  while (after < head) {
    if (!db.open) throw new ConsoleError('BUSY', 'the store was closed while it was being searched: try again');
    const started = performance.now();
    const to = Math.min(head, after + step);
    const found = firstLater.get(after, to, atMs);
    if (found !== undefined) return found;
    after = to;
    const ms = performance.now() - started;
    step = Math.max(500, Math.min(200_000, Math.round((step * SCAN_STEP_MS) / Math.max(ms, 0.25))));
    if (after < head) await nextTurn();
  }
  return undefined;
}
