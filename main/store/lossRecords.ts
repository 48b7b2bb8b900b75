import type { LossRecord } from '../../shared/store.js';
import type { ReadableDB, WritableDB } from '../platform/index.js';
import type { HeadFinding } from './recordedHeads.js';

// The integrity_losses table (migration 6): the evidence of each detected loss, kept in events.db.

interface LossRow {
  id: number;
  code: LossRecord['code'];
  position: number;
  source: string;
  recordedPosition: number;
  recordedHash: string;
  logPosition: number;
  message: string;
  detectedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
}

const SELECT = `SELECT id, code, position, source, recorded_position AS recordedPosition, recorded_hash AS recordedHash, log_position AS logPosition,
                       message, detected_at AS detectedAt, acknowledged_at AS acknowledgedAt, acknowledged_by AS acknowledgedBy
                  FROM integrity_losses`;

function toRecord(r: LossRow): LossRecord {
  return {
    id: r.id,
    code: r.code,
    position: r.position,
    source: r.source,
    recordedPosition: r.recordedPosition,
    recordedHash: r.recordedHash === '' ? null : r.recordedHash,
    logPosition: r.logPosition,
    message: r.message,
    detectedAt: new Date(r.detectedAt).toISOString(),
    acknowledgedAt: r.acknowledgedAt === null ? null : new Date(r.acknowledgedAt).toISOString(),
    acknowledgedBy: r.acknowledgedBy,
  };
}

/** Every recorded loss, oldest first; none for a store of a format before the table (opened read-only). */
export function readLosses(db: ReadableDB): LossRecord[] {
  try {
    return (db.prepare(`${SELECT} ORDER BY id`).all() as LossRow[]).map(toRecord);
  } catch (error) {
    if (/no such table/.test((error as Error).message)) return [];
    throw error;
  }
}

/** Records findings not recorded yet (the same recorded head found wanting again is the same loss). */
export function recordLosses(db: WritableDB, findings: readonly HeadFinding[], now: number): void {
  if (findings.length === 0) return;
  const insert = db.prepare(
    `INSERT OR IGNORE INTO integrity_losses (code, position, source, recorded_position, recorded_hash, log_position, log_hash, message, detected_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const f of findings) insert.run(f.code, f.position, f.recorded.source, f.recorded.position, f.recorded.hash ?? '', f.log.position, f.log.hash, f.message, now);
  })();
}

/** Marks every unacknowledged loss acknowledged by `by`; returns them as they are now. */
export function acknowledgeLosses(db: WritableDB, by: string, now: number): LossRecord[] {
  return db.transaction(() => {
    const ids = (db.prepare('SELECT id FROM integrity_losses WHERE acknowledged_at IS NULL ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
    const mark = db.prepare('UPDATE integrity_losses SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ?');
    for (const id of ids) mark.run(now, by, id);
    const read = db.prepare(`${SELECT} WHERE id = ?`);
    return ids.map((id) => toRecord(read.get(id) as LossRow));
  })();
}
