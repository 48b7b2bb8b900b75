import { ConsoleError } from '../../shared/errors.js';
import { GENESIS_HASH } from '../../shared/events.js';
import type { VerifyProblem, VerifyProgress, VerifyReport } from '../../shared/integrity.js';
import { isSqliteCorruption, type ReadableDB } from '../platform/index.js';
import type { OpenProblem } from './eventStore.js';
import { ChainChecker } from './chainChecker.js';
import { EventReader, type LogHead } from './reader.js';

export type { VerifyPhase, VerifyProblem, VerifyProblemCode, VerifyProgress, VerifyReport } from '../../shared/integrity.js';

export interface VerifyOptions {
  readonly onProgress?: (progress: VerifyProgress) => void;
  readonly isCancelled?: () => boolean;
  /** Rows per page of the chain walk: memory stays bounded by one page. */
  readonly pageSize?: number;
  /** Problems found when the store was opened (head record comparisons). */
  readonly openProblems?: readonly OpenProblem[];
}

const MAX_LISTED_PROBLEMS = 100;

/**
 * Checks a log end to end: SQLite's integrity_check, then the hash chain position by position (naming
 * the first position whose stored hash does not follow from its content and its predecessor), then the
 * streams table against the events. Memory is one page of rows whatever the log's size.
 */
export function verifyLog(db: ReadableDB, options: VerifyOptions = {}): VerifyReport {
  const started = performance.now();
  const pageSize = options.pageSize ?? 2000;
  const problems: VerifyProblem[] = [];
  let truncated = false;
  const add = (problem: VerifyProblem) => {
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(problem);
    else truncated = true;
  };
  const cancelled = () => {
    if (options.isCancelled?.()) throw new ConsoleError('CANCELLED', 'verification was cancelled');
  };
  // A damaged file makes SQLite throw SQLITE_CORRUPT from any read: that is a finding, not a crash.
  const damaged = (error: unknown, position: number | null, what: string) => {
    if (!isSqliteCorruption(error)) throw error;
    add({ code: 'SQLITE_INTEGRITY', position, message: `${what}: ${(error as Error).message}` });
  };
  const reader = new EventReader(db);
  let head: LogHead = { position: 0, hash: GENESIS_HASH, recordedAt: null };
  try {
    head = reader.readHead();
  } catch (error) {
    damaged(error, null, 'cannot read the head of the log');
  }
  const total = head.position;

  // 1. The file itself.
  options.onProgress?.({ phase: 'integrity', done: 0, total: 1 });
  try {
    const integrity = db.pragma('integrity_check(100)') as Array<{ integrity_check: string }>;
    for (const row of integrity) {
      if (row.integrity_check !== 'ok') add({ code: 'SQLITE_INTEGRITY', position: null, message: row.integrity_check });
    }
  } catch (error) {
    damaged(error, null, 'integrity_check could not finish');
  }
  options.onProgress?.({ phase: 'integrity', done: 1, total: 1 });
  cancelled();

  // 2. The chain.
  const chain = new ChainChecker();
  try {
    for (const page of reader.pages(1, Number.MAX_SAFE_INTEGER, pageSize)) {
      for (const e of page) {
        const found = chain.next(e);
        if (found !== undefined) for (const p of found) add(p);
      }
      options.onProgress?.({ phase: 'chain', done: chain.checked, total });
      cancelled();
    }
  } catch (error) {
    if (!isSqliteCorruption(error)) throw error;
    // A page of rows failed as a whole: go on one event at a time to name the first unreadable position.
    let position = chain.position + 1;
    try {
      for (; position <= total; position++) {
        const e = reader.eventAt(position);
        const found = e === undefined ? undefined : chain.next(e);
        if (found !== undefined) for (const p of found) add(p);
      }
    } catch (inner) {
      damaged(inner, position, `the event at position ${position} cannot be read`);
    }
  }

  // 3. The streams table must describe exactly the events (it drives version checks on append).
  options.onProgress?.({ phase: 'streams', done: 0, total: 1 });
  try {
    checkStreams(db, add);
  } catch (error) {
    damaged(error, null, 'the streams table cannot be checked');
  }
  options.onProgress?.({ phase: 'streams', done: 1, total: 1 });

  for (const p of options.openProblems ?? []) add(p);

  const positions = problems.map((p) => p.position).filter((p): p is number => p !== null);
  return {
    ok: problems.length === 0,
    checkedEvents: chain.checked,
    firstBadPosition: positions.length > 0 ? Math.min(...positions) : null,
    headPosition: head.position,
    headHash: head.hash,
    problems,
    truncated,
    durationMs: Math.round(performance.now() - started),
  };
}

function checkStreams(db: ReadableDB, add: (problem: VerifyProblem) => void): void {
  const mismatched = db
    .prepare(
      `SELECT a.stream_id AS streamId, a.n, a.v, a.first, a.last, s.version, s.first_position AS sFirst, s.last_position AS sLast
         FROM (SELECT stream_id, count(*) AS n, max(stream_version) AS v, min(global_position) AS first, max(global_position) AS last
                 FROM events GROUP BY stream_id) a
         LEFT JOIN streams s ON s.stream_id = a.stream_id
        WHERE s.version IS NULL OR s.version != a.v OR a.n != a.v + 1 OR s.first_position != a.first OR s.last_position != a.last
        LIMIT ${MAX_LISTED_PROBLEMS}`,
    )
    .all() as Array<{ streamId: string; n: number; v: number; first: number; last: number; version: number | null; sLast: number | null }>;
  for (const m of mismatched) {
    add({
      code: 'STREAM_MISMATCH',
      position: m.last,
      message:
        m.version === null
          ? `stream ${m.streamId} has events but no entry in the streams table`
          : `stream ${m.streamId}: the streams table says version ${m.version} ending at ${m.sLast}, the events say ${m.n} events up to version ${m.v} ending at ${m.last}`,
    });
  }
  {
    const orphans = db
      .prepare(`SELECT stream_id AS streamId FROM streams s WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.stream_id) LIMIT ${MAX_LISTED_PROBLEMS}`)
      .all() as Array<{ streamId: string }>;
    for (const o of orphans) add({ code: 'STREAM_MISMATCH', position: null, message: `stream ${o.streamId} is listed but has no events` });
  }
}
