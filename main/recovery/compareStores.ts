import type { LeftOut } from '../../shared/recovery.js';
import type { ReadableDB } from '../platform/index.js';
import { EventReader } from '../store/index.js';
import { openForInspection } from './inspectStore.js';

const MAX_STREAMS = 100;
const MAX_TYPES = 200;

/** What a restored store holds: events, streams and events per type. */
export function summarise(db: ReadableDB): { events: number; streams: number; eventTypes: Array<{ type: string; events: number }>; headRecordedAt: number | null } {
  const reader = new EventReader(db);
  const head = reader.readHead();
  const eventTypes = db.prepare('SELECT type, count(*) AS events FROM events GROUP BY type ORDER BY events DESC, type').all() as Array<{ type: string; events: number }>;
  return { events: head.position, streams: reader.countStreams(), eventTypes, headRecordedAt: head.recordedAt };
}

export function unavailable(reason: string): LeftOut {
  return {
    available: false,
    reason,
    currentHeadPosition: null,
    currentHeadHash: null,
    currentHeadRecordedAt: null,
    events: 0,
    fromPosition: null,
    toPosition: null,
    firstRecordedAt: null,
    lastRecordedAt: null,
    byStream: [],
    streams: 0,
    byType: [],
    historyDiverged: false,
    regained: 0,
  };
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/**
 * What a restore to `restored` leaves out of the store at `currentDir` (the damaged or current store): its
 * events after the restored head, counted by stream and by type. Read without changing anything there; a
 * store that cannot be read gives `available: false` and the reason.
 */
export function leftOutOf(currentDir: string, restored: { readonly position: number; readonly hash: string }): LeftOut {
  let db: ReadableDB;
  try {
    db = openForInspection(currentDir);
  } catch (error) {
    return unavailable(`the current store cannot be opened: ${(error as Error).message}`);
  }
  try {
    const reader = new EventReader(db);
    const head = reader.readHead();
    const atTarget = restored.position === 0 ? undefined : reader.eventAt(restored.position);
    const historyDiverged = atTarget !== undefined && atTarget.hash !== restored.hash;
    const after = Math.max(0, head.position - restored.position);
    const range = db
      .prepare('SELECT min(recorded_at) AS first, max(recorded_at) AS last, count(DISTINCT stream_id) AS streams FROM events WHERE global_position > ?')
      .get(restored.position) as { first: number | null; last: number | null; streams: number };
    const byStream = db
      .prepare(`SELECT stream_id AS streamId, count(*) AS events FROM events WHERE global_position > ? GROUP BY stream_id ORDER BY events DESC, stream_id LIMIT ${MAX_STREAMS}`)
      .all(restored.position) as Array<{ streamId: string; events: number }>;
    const byType = db
      .prepare(`SELECT type, count(*) AS events FROM events WHERE global_position > ? GROUP BY type ORDER BY events DESC, type LIMIT ${MAX_TYPES}`)
      .all(restored.position) as Array<{ type: string; events: number }>;
    return {
      available: true,
      reason: null,
      currentHeadPosition: head.position,
      currentHeadHash: head.hash,
      currentHeadRecordedAt: iso(head.recordedAt),
      events: after,
      fromPosition: after > 0 ? restored.position + 1 : null,
      toPosition: after > 0 ? head.position : null,
      firstRecordedAt: iso(range.first),
      lastRecordedAt: iso(range.last),
      byStream,
      streams: range.streams,
      byType,
      historyDiverged,
      regained: Math.max(0, restored.position - head.position),
    };
  } catch (error) {
    return unavailable(`the current store cannot be read: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}
