import type { IntegrityStatus } from '../../shared/api/types.js';
import type { VerifyReport } from '../../shared/integrity.js';
import type { ReadableDB, WritableDB } from '../platform/index.js';

/** Verify results kept in events.db, newest last. */
export function recordIntegrityCheck(db: WritableDB, report: VerifyReport, checkedAt: number): void {
  db.prepare(
    'INSERT INTO integrity_checks (checked_at, ok, checked_events, head_position, first_bad_position, problems, report) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(checkedAt, report.ok ? 1 : 0, report.checkedEvents, report.headPosition, report.firstBadPosition, report.problems.length, JSON.stringify(report));
}

export function lastIntegrityCheck(db: ReadableDB): IntegrityStatus | null {
  const row = db
    .prepare(
      'SELECT checked_at AS checkedAt, ok, checked_events AS checkedEvents, head_position AS headPosition, first_bad_position AS firstBadPosition, problems FROM integrity_checks ORDER BY id DESC LIMIT 1',
    )
    .get() as { checkedAt: number; ok: number; checkedEvents: number; headPosition: number; firstBadPosition: number | null; problems: number } | undefined;
  return row === undefined ? null : { ...row, ok: row.ok === 1, checkedAt: new Date(row.checkedAt).toISOString() };
}
