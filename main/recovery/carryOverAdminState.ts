import type { CarriedOver } from '../../shared/recovery.js';
import type { ReadableDB, WritableDB } from '../platform/index.js';
import { openForInspection } from './inspectStore.js';

/**
 * Tables that say how the store is administered, not what happened in it: settings (backup folders, policies),
 * principals, the audit log, backup schedules and their runs, drills. An in-place restore brings back the
 * events of a point in time; it must not also turn the schedules, the drill policy and the audit trail back to
 * the day of the full archive. `integrity_checks` stays as restored: those results describe other data.
 */
export const ADMIN_TABLES = ['settings', 'principals', 'audit', 'backup_schedules', 'backup_runs', 'recovery_drills'] as const;


function columnsOf(db: ReadableDB, table: string): string[] {
  return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((c) => c.name);
}

/**
 * Replaces the administrative tables of the restored store (`target`, not yet published) with those of the
 * store it replaces, in one transaction. Columns both schemas know are copied (a store of another format
 * version keeps the defaults of the others). When the store being replaced cannot be read, the restored store
 * keeps the archive's state and the result says why.
 */
export function carryOverAdminState(fromStoreDir: string, target: WritableDB): CarriedOver {
  let source: ReadableDB;
  try {
    source = openForInspection(fromStoreDir);
  } catch (error) {
    return { tables: [], notCarried: `the store being replaced cannot be opened (${(error as Error).message})` };
  }
  try {
    const copies: Array<{ table: string; columns: string[]; rows: unknown[][] }> = [];
    for (const table of ADMIN_TABLES) {
      const theirs = new Set(columnsOf(source, table));
      const columns = columnsOf(target, table).filter((c) => theirs.has(c));
      if (columns.length === 0) continue;
      const list = columns.map((c) => `"${c}"`).join(', ');
      copies.push({ table, columns, rows: source.prepare(`SELECT ${list} FROM "${table}"`).raw().all() as unknown[][] });
    }
    target.transaction(() => {
      for (const { table, columns, rows } of copies) {
        target.prepare(`DELETE FROM "${table}"`).run();
        const insert = target.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
        for (const row of rows) insert.run(row);
      }
    })();
    return { tables: copies.map((c) => ({ table: c.table, rows: c.rows.length })), notCarried: null };
  } catch (error) {
    return { tables: [], notCarried: `the store being replaced cannot be read (${(error as Error).message})` };
  } finally {
    source.close();
  }
}

/**
 * A full archive's events.db is a snapshot taken while the backup that wrote it was running, so its
 * backup_runs holds that run as `running`; opened as is, it would turn `interrupted` and flag a failed
 * backup right after a good restore. The archive exists and was just verified: the run succeeded.
 */
export function settleSnapshotRuns(target: WritableDB, full: { readonly archive: string; readonly createdAt: string }): number {
  const endedAt = Date.parse(full.createdAt);
  return target
    .prepare(
      "UPDATE backup_runs SET outcome = 'succeeded', ended_at = ?, archive = coalesce(archive, ?), note = 'restored from this archive: its snapshot was taken while this run was writing it' WHERE outcome = 'running' AND (started_at IS NULL OR started_at <= ?)",
    )
    .run(endedAt, full.archive, endedAt).changes;
}
