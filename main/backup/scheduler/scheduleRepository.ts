import { randomUUID } from 'node:crypto';
import { backupScheduleInputSchema, type BackupKind, type BackupRun, type BackupRunOutcome, type BackupRunTrigger, type BackupSchedule } from '../../../shared/backup.js';
import { ConsoleError, type ErrorInfo } from '../../../shared/errors.js';
import type { WritableDB } from '../../platform/index.js';

interface ScheduleRow {
  id: string;
  definition: string;
  created_at: number;
  updated_at: number;
}

interface RunRow {
  id: number;
  schedule_id: string | null;
  trigger: string;
  kind: string;
  due_at: number;
  started_at: number | null;
  ended_at: number | null;
  outcome: string;
  note: string | null;
  archive: string | null;
  archive_bytes: number | null;
  events: number | null;
  duration_ms: number | null;
  verified: number | null;
  pruned: number | null;
  error: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toRun(r: RunRow): BackupRun {
  return {
    id: r.id,
    scheduleId: r.schedule_id,
    trigger: r.trigger as BackupRunTrigger,
    kind: r.kind as BackupKind,
    dueAt: new Date(r.due_at).toISOString(),
    startedAt: iso(r.started_at),
    endedAt: iso(r.ended_at),
    outcome: r.outcome as BackupRunOutcome,
    note: r.note,
    archive: r.archive,
    archiveBytes: r.archive_bytes,
    events: r.events,
    durationMs: r.duration_ms,
    verified: r.verified === null ? null : r.verified === 1,
    pruned: r.pruned,
    error: r.error === null ? null : (JSON.parse(r.error) as ErrorInfo),
  };
}

export interface RunStart {
  readonly scheduleId: string | null;
  readonly trigger: BackupRunTrigger;
  readonly kind: BackupKind;
  readonly dueAt: number;
  readonly startedAt: number | null;
  readonly outcome: BackupRunOutcome;
  readonly note?: string | null;
  readonly endedAt?: number | null;
}

export interface RunEnd {
  readonly endedAt: number;
  readonly outcome: BackupRunOutcome;
  readonly kind?: BackupKind;
  readonly note?: string | null;
  readonly archive?: string | null;
  readonly archiveBytes?: number | null;
  readonly events?: number | null;
  readonly durationMs?: number | null;
  readonly verified?: boolean | null;
  readonly pruned?: number | null;
  readonly error?: ErrorInfo | null;
}

/** Schedules and run history in the store's events.db (migration 0003), on the writer connection. */
export class ScheduleRepository {
  constructor(private readonly db: WritableDB) {}

  listSchedules(): BackupSchedule[] {
    const rows = this.db.prepare('SELECT id, definition, created_at, updated_at FROM backup_schedules ORDER BY created_at, id').all() as ScheduleRow[];
    return rows.flatMap((r) => {
      const parsed = backupScheduleInputSchema.safeParse(JSON.parse(r.definition));
      // A definition this build cannot read (written by a newer one) is left alone rather than run wrongly.
      return parsed.success ? [{ ...parsed.data, id: r.id, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString() }] : [];
    });
  }

  getSchedule(id: string): BackupSchedule | undefined {
    return this.listSchedules().find((s) => s.id === id);
  }

  /** Inserts (no id) or replaces a schedule; `definition` must already be validated. */
  saveSchedule(definition: ReturnType<typeof backupScheduleInputSchema.parse>, now: number, id?: string): BackupSchedule {
    if (id !== undefined) {
      const changed = this.db.prepare('UPDATE backup_schedules SET definition = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(definition), now, id).changes;
      if (changed === 0) throw new ConsoleError('NOT_FOUND', `no backup schedule ${id}`);
      return this.getSchedule(id)!;
    }
    const newId = randomUUID();
    this.db.prepare('INSERT INTO backup_schedules (id, definition, created_at, updated_at) VALUES (?, ?, ?, ?)').run(newId, JSON.stringify(definition), now, now);
    return this.getSchedule(newId)!;
  }

  deleteSchedule(id: string): boolean {
    return this.db.prepare('DELETE FROM backup_schedules WHERE id = ?').run(id).changes > 0;
  }

  insertRun(run: RunStart): number {
    return Number(
      this.db
        .prepare('INSERT INTO backup_runs (schedule_id, trigger, kind, due_at, started_at, ended_at, outcome, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(run.scheduleId, run.trigger, run.kind, run.dueAt, run.startedAt, run.endedAt ?? null, run.outcome, run.note ?? null).lastInsertRowid,
    );
  }

  finishRun(id: number, end: RunEnd): void {
    this.db
      .prepare(
        `UPDATE backup_runs SET ended_at = ?, outcome = ?, kind = coalesce(?, kind), note = ?, archive = ?, archive_bytes = ?, events = ?, duration_ms = ?,
                verified = ?, pruned = ?, error = ? WHERE id = ?`,
      )
      .run(
        end.endedAt,
        end.outcome,
        end.kind ?? null,
        end.note ?? null,
        end.archive ?? null,
        end.archiveBytes ?? null,
        end.events ?? null,
        end.durationMs ?? null,
        end.verified === undefined || end.verified === null ? null : end.verified ? 1 : 0,
        end.pruned ?? null,
        end.error === undefined || end.error === null ? null : JSON.stringify(end.error),
        id,
      );
  }

  /** Runs left `running` by a process that stopped mid-run become `interrupted`. */
  markInterrupted(now: number): number {
    return this.db.prepare("UPDATE backup_runs SET outcome = 'interrupted', ended_at = ?, note = 'the application stopped during the run' WHERE outcome = 'running'").run(now).changes;
  }

  runs(options: { readonly scheduleId?: string; readonly limit?: number } = {}): BackupRun[] {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 10_000);
    const rows = (
      options.scheduleId === undefined
        ? this.db.prepare('SELECT * FROM backup_runs ORDER BY id DESC LIMIT ?').all(limit)
        : this.db.prepare('SELECT * FROM backup_runs WHERE schedule_id = ? ORDER BY id DESC LIMIT ?').all(options.scheduleId, limit)
    ) as RunRow[];
    return rows.map(toRun);
  }

  run(id: number): BackupRun | undefined {
    const row = this.db.prepare('SELECT * FROM backup_runs WHERE id = ?').get(id) as RunRow | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  /** The newest due time recorded for a schedule (any outcome): what "missed since" counts from. */
  lastDueAt(scheduleId: string): number | undefined {
    return (this.db.prepare('SELECT max(due_at) AS at FROM backup_runs WHERE schedule_id = ?').get(scheduleId) as { at: number | null }).at ?? undefined;
  }

  /** When the newest successful backup to `destination` ended (any schedule or manual run). */
  lastSuccessAt(destination: string): number | undefined {
    const rows = this.db.prepare("SELECT ended_at AS at, archive FROM backup_runs WHERE outcome = 'succeeded' ORDER BY ended_at DESC LIMIT 200").all() as Array<{ at: number; archive: string | null }>;
    return rows.find((r) => r.archive === null || r.archive.startsWith(destination))?.at;
  }
}
