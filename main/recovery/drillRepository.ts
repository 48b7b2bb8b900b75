import { drillPolicyInputSchema, type DrillOutcome, type DrillPolicy, type DrillRecord, type DrillReport, type DrillTrigger } from '../../shared/recovery.js';
import type { ErrorInfo } from '../../shared/errors.js';
import { defineSetting, deleteSetting, readSettingRecord, writeSetting } from '../platform/index.js';
import type { ReadableDB, WritableDB } from '../platform/index.js';

/** The settings row that holds a store's drill policy. */
const DRILL_POLICY_SETTING = defineSetting('recoveryDrillPolicy', drillPolicyInputSchema);

interface DrillRow {
  id: number;
  trigger: string;
  started_at: number;
  ended_at: number | null;
  outcome: string;
  head_position: number | null;
  head_hash: string | null;
  events: number | null;
  archives: number | null;
  rto_ms: number | null;
  rpo_ms: number | null;
  rto_target_ms: number | null;
  rpo_target_ms: number | null;
  error: string | null;
  report: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toRecord(r: DrillRow): DrillRecord {
  return {
    id: r.id,
    trigger: r.trigger as DrillTrigger,
    startedAt: new Date(r.started_at).toISOString(),
    endedAt: iso(r.ended_at),
    outcome: r.outcome as DrillOutcome,
    headPosition: r.head_position,
    headHash: r.head_hash,
    events: r.events,
    archives: r.archives,
    rtoMs: r.rto_ms,
    rpoMs: r.rpo_ms,
    rtoTargetMs: r.rto_target_ms,
    rpoTargetMs: r.rpo_target_ms,
    error: r.error === null ? null : (JSON.parse(r.error) as ErrorInfo),
    report: r.report === null ? null : (JSON.parse(r.report) as DrillReport),
  };
}

/** The policy as stored, or null when there is none (or it cannot be read by this build). */
export function readDrillPolicy(db: ReadableDB): DrillPolicy | null {
  const stored = readSettingRecord(db, DRILL_POLICY_SETTING);
  return stored === undefined ? null : { ...stored.value, updatedAt: new Date(stored.updatedAt).toISOString() };
}

/** Stores an already validated policy. */
export function writeDrillPolicy(db: WritableDB, policy: ReturnType<typeof drillPolicyInputSchema.parse>, now: number): DrillPolicy {
  writeSetting(db, DRILL_POLICY_SETTING, policy, now);
  return { ...policy, updatedAt: new Date(now).toISOString() };
}

export function deleteDrillPolicy(db: WritableDB): boolean {
  return deleteSetting(db, DRILL_POLICY_SETTING);
}

/** Starts a drill's line in the history; returns its id. */
export function insertDrill(db: WritableDB, trigger: DrillTrigger, startedAt: number, targets: { rtoTargetMs: number | null; rpoTargetMs: number | null }): number {
  return Number(
    db
      .prepare("INSERT INTO recovery_drills (trigger, started_at, outcome, rto_target_ms, rpo_target_ms) VALUES (?, ?, 'running', ?, ?)")
      .run(trigger, startedAt, targets.rtoTargetMs, targets.rpoTargetMs).lastInsertRowid,
  );
}

export function finishDrill(db: WritableDB, id: number, endedAt: number, outcome: Exclude<DrillOutcome, 'running'>, result: { report?: DrillReport; error?: ErrorInfo }): void {
  const r = result.report;
  db.prepare(
    `UPDATE recovery_drills SET ended_at = ?, outcome = ?, head_position = ?, head_hash = ?, events = ?, archives = ?, rto_ms = ?, rpo_ms = ?,
            rto_target_ms = coalesce(?, rto_target_ms), rpo_target_ms = coalesce(?, rpo_target_ms), error = ?, report = ? WHERE id = ?`,
  ).run(
    endedAt,
    outcome,
    r?.headPosition ?? null,
    r?.headHash ?? null,
    r?.events ?? null,
    r?.archives.length ?? null,
    r?.rtoMs ?? null,
    r?.rpoMs ?? null,
    r?.rtoTargetMs ?? null,
    r?.rpoTargetMs ?? null,
    result.error === undefined ? null : JSON.stringify(result.error),
    r === undefined ? null : JSON.stringify(r),
    id,
  );
}

/** Drills left `running` by a process that stopped mid-drill become `interrupted`. */
export function markInterruptedDrills(db: WritableDB, now: number): number {
  return db.prepare("UPDATE recovery_drills SET outcome = 'interrupted', ended_at = ? WHERE outcome = 'running'").run(now).changes;
}

/** The history, newest first. */
export function listDrills(db: ReadableDB, limit = 100): DrillRecord[] {
  const rows = db.prepare('SELECT * FROM recovery_drills ORDER BY id DESC LIMIT ?').all(Math.min(Math.max(limit, 1), 10_000)) as DrillRow[];
  return rows.map(toRecord);
}

export function drillById(db: ReadableDB, id: number): DrillRecord | undefined {
  const row = db.prepare('SELECT * FROM recovery_drills WHERE id = ?').get(id) as DrillRow | undefined;
  return row === undefined ? undefined : toRecord(row);
}

/** The newest finished drill, and the newest successful one. */
export function lastDrills(db: ReadableDB): { last: DrillRecord | null; lastSuccess: DrillRecord | null } {
  const last = db.prepare("SELECT * FROM recovery_drills WHERE outcome != 'running' ORDER BY id DESC LIMIT 1").get() as DrillRow | undefined;
  const success = db.prepare("SELECT * FROM recovery_drills WHERE outcome = 'succeeded' ORDER BY id DESC LIMIT 1").get() as DrillRow | undefined;
  return { last: last === undefined ? null : toRecord(last), lastSuccess: success === undefined ? null : toRecord(success) };
}
