import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ConsoleError } from '../../shared/errors.js';
import type { RecoveryProgress } from '../../shared/recovery.js';
import type { EventStore } from '../store/index.js';
import { prepareEvent, type PreparedAppend } from '../store/index.js';

export interface ApplyStop {
  /** Apply events up to this position (inclusive). */
  readonly position?: number;
  /** Stop before the first event recorded after this time (ms). */
  readonly afterMs?: number;
}

export interface ApplyResult {
  readonly applied: number;
  /** The last position written. */
  readonly lastPosition: number;
  /** Set when the time stop was reached: the first event recorded after it, which was not applied. */
  readonly firstAfter: { readonly position: number; readonly recordedAt: number } | null;
  /** The position stop was reached before the end of the file. */
  readonly reachedPosition: boolean;
}

export interface ApplyOptions {
  readonly archive: string;
  readonly batchSize?: number;
  readonly onProgress?: (p: RecoveryProgress) => void;
  /** Events applied before this file, and the total expected, for progress. */
  readonly doneBefore: number;
  readonly total: number | null;
  readonly isCancelled?: () => boolean;
}

/**
 * Applies an incremental archive's events.ndjson (exported events, DESIGN §6b) to the store being restored,
 * through the engine's write path: each event carries the position, stream version and hash the archive
 * recorded (`expected`), and the writer refuses the batch (INTEGRITY_VIOLATION) unless the event lands at
 * exactly that position and version and its hash, chained from the event before it, is that hash.
 */
export async function applyIncrement(store: EventStore, ndjsonPath: string, stop: ApplyStop, options: ApplyOptions): Promise<ApplyResult> {
  const batchSize = options.batchSize ?? 2000;
  let batch: PreparedAppend[] = [];
  let applied = 0;
  let lastPosition = store.head().position;
  let firstAfter: ApplyResult['firstAfter'] = null;
  let reachedPosition = false;
  let lineNumber = 0;
  const flush = () => {
    if (batch.length === 0) return;
    if (options.isCancelled?.()) throw new ConsoleError('CANCELLED', 'the restore was cancelled while applying the incremental archives');
    const group = store.commitAtomically(batch);
    applied += group.written;
    lastPosition = group.headPosition;
    batch = [];
    options.onProgress?.({ phase: 'applying', done: options.doneBefore + applied, total: options.total, unit: 'events', archive: options.archive });
  };
  const input = createReadStream(ndjsonPath, { highWaterMark: 1024 * 1024 });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      lineNumber++;
      if (text === '') continue;
      const line = parseExportedLine(text, lineNumber, options.archive);
      if (stop.position !== undefined && line.globalPosition > stop.position) {
        reachedPosition = true;
        break;
      }
      const recordedAt = line.recordedAt;
      if (stop.afterMs !== undefined && recordedAt > stop.afterMs) {
        firstAfter = { position: line.globalPosition, recordedAt };
        break;
      }
      const event = prepareEvent(line.type, line.data, line.metadata, line.eventId);
      batch.push({
        streamId: line.streamId,
        expectedVersion: 'any',
        mode: 'import',
        events: [{ ...event, recordedAt, expected: { globalPosition: line.globalPosition, streamVersion: line.streamVersion, hash: line.hash } }],
      });
      if (batch.length >= batchSize) flush();
    }
    flush();
  } catch (error) {
    if (error instanceof ConsoleError && error.code === 'INVALID_INPUT')
      throw new ConsoleError('ARCHIVE_CORRUPT', `events.ndjson of ${options.archive}: ${error.message}`, { archive: options.archive });
    throw error;
  } finally {
    lines.close();
    input.destroy();
  }
  return { applied, lastPosition, firstAfter, reachedPosition };
}

interface ExportedLine {
  readonly globalPosition: number;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown> | undefined;
  readonly recordedAt: number;
  readonly hash: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One line of a verified events.ndjson. The file is exactly the bytes verifyArchive checked line by line
 * against the import schema (it was kept by that verification, or extracted against SHA256SUMS), so only
 * the shape is checked again here, cheaply; the writer then checks position, version and hash of each event.
 */
function parseExportedLine(text: string, lineNumber: number, archive: string): ExportedLine {
  const bad = (why: string) => new ConsoleError('ARCHIVE_CORRUPT', `events.ndjson line ${lineNumber} of ${archive}: ${why}`, { archive, line: lineNumber });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw bad(`malformed JSON (${(error as Error).message})`);
  }
  if (!isObject(json)) throw bad('not an object');
  const { globalPosition, eventId, streamId, streamVersion, type, data, metadata, recordedAt, hash } = json;
  if (typeof globalPosition !== 'number' || typeof streamVersion !== 'number' || typeof eventId !== 'string' || typeof streamId !== 'string' || typeof type !== 'string' || typeof hash !== 'string')
    throw bad('not an exported event (globalPosition, eventId, streamId, streamVersion, type and hash are required)');
  if (!isObject(data) || (metadata !== undefined && !isObject(metadata))) throw bad('data and metadata must be objects');
  const at = typeof recordedAt === 'number' ? recordedAt : typeof recordedAt === 'string' ? Date.parse(recordedAt) : NaN;
  if (!Number.isFinite(at)) throw bad('recordedAt is missing or not a time');
  return { globalPosition, eventId: eventId.toLowerCase(), streamId, streamVersion, type, data, metadata, recordedAt: at, hash };
}
