import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenProblem } from '../../shared/store.js';
import { openReadable } from '../platform/index.js';
import { HEAD_RECORD_FILE, type HeadRecord } from './headRecord.js';
import type { EventReader, LogHead } from './reader.js';

/**
 * A head of the log recorded somewhere else than in the log (DESIGN §5): head.json, a checkpoint of a read
 * model in views.db, the newest backup manifest of the store's catalog. Each is a lower bound of the heads
 * the log once had: a log shorter than one of them, or holding another event at its position, lost events.
 */
export interface RecordedHead {
  /** What recorded it, as messages name it ("head.json", "views.db (checkpoint console)", "backup <archive>"). */
  readonly source: string;
  readonly position: number;
  /** The hash of the event at `position` as recorded; null when the source keeps none. */
  readonly hash: string | null;
  /** When it was recorded (ISO); null when unknown. */
  readonly recordedAt: string | null;
}

/** A recorded head the log does not live up to: the problem as reported, with what it was found from. */
export interface HeadFinding extends OpenProblem {
  readonly recorded: RecordedHead;
  readonly log: { readonly position: number; readonly hash: string };
}

/** What the admin is told to do about a loss. */
export const LOSS_REMEDY = 'restore the store from a backup, or, if it was rolled back on purpose, acknowledge the loss (pconsole acknowledge-loss)';

/** head.json as a recorded head. */
export function headRecordHead(record: HeadRecord | undefined): RecordedHead[] {
  if (record === undefined || record.position === 0) return [];
  return [{ source: HEAD_RECORD_FILE, position: record.position, hash: record.hash, recordedAt: record.writtenAt }];
}

/**
 * The checkpoints of views.db (the console's views, and any projection), read before anything rebuilds
 * them: a read model that reached a position the log does not have saw events the log lost. A views.db
 * that cannot be read is no evidence (it is disposable and rebuilt).
 */
export function viewsCheckpointHeads(dir: string, viewsFile: string): RecordedHead[] {
  const path = join(dir, viewsFile);
  if (!existsSync(path)) return [];
  try {
    const db = openReadable(path);
    try {
      const rows = db.prepare('SELECT projection, position, hash, updated_at AS updatedAt FROM checkpoints WHERE position > 0').all() as Array<{
        projection: string;
        position: number;
        hash: string;
        updatedAt: number;
      }>;
      return rows.map((r) => ({ source: `${viewsFile} (checkpoint ${r.projection})`, position: r.position, hash: r.hash, recordedAt: new Date(r.updatedAt).toISOString() }));
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

/**
 * Compares the log with heads recorded elsewhere. Heads recorded before `acceptedAt` (the history set on
 * purpose since) are left out, except head.json's own. One finding per recorded head that the log does not
 * hold: the log ends before it (HEAD_REGRESSION) or has another event there (HEAD_MISMATCH).
 */
export function compareRecordedHeads(reader: EventReader, heads: readonly RecordedHead[], acceptedAt: string | undefined): HeadFinding[] {
  const accepted = acceptedAt === undefined ? undefined : Date.parse(acceptedAt);
  const log: LogHead = reader.readHead();
  const findings: HeadFinding[] = [];
  for (const recorded of heads) {
    if (recorded.position <= 0) continue;
    if (recorded.source !== HEAD_RECORD_FILE && accepted !== undefined && recorded.recordedAt !== null && Date.parse(recorded.recordedAt) < accepted) continue;
    const at = recorded.recordedAt === null ? '' : ` on ${recorded.recordedAt}`;
    if (log.position < recorded.position) {
      findings.push({
        code: 'HEAD_REGRESSION',
        position: log.position + 1,
        message:
          `the log ends at position ${log.position} but ${recorded.source} recorded position ${recorded.position}${at}: ` +
          `events ${log.position + 1}–${recorded.position} are missing (a damaged or lost WAL, or an events.db rolled back); ${LOSS_REMEDY}`,
        recorded,
        log: { position: log.position, hash: log.hash },
      });
      continue;
    }
    if (recorded.hash === null) continue;
    const event = reader.eventAt(recorded.position);
    if (event !== undefined && event.hash !== recorded.hash) {
      findings.push({
        code: 'HEAD_MISMATCH',
        position: recorded.position,
        message:
          `the event at position ${recorded.position} is not the one ${recorded.source} recorded there${at}: ` +
          `the log's history was rewritten from there on, or the record belongs to another store; ${LOSS_REMEDY}`,
        recorded,
        log: { position: log.position, hash: log.hash },
      });
    }
  }
  return findings;
}

/** The identity of a finding across opens: the same recorded head found wanting again is the same loss. */
export function findingKey(f: { readonly code: string; readonly source: string; readonly recordedPosition: number; readonly recordedHash: string | null }): string {
  return `${f.code}\n${f.source}\n${f.recordedPosition}\n${f.recordedHash ?? ''}`;
}
