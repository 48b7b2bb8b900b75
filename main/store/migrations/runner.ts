import { ConsoleError } from '../../../shared/errors.js';
import type { ReadableDB, WritableDB } from '../../platform/index.js';

/** One forward-only schema step. `up` only runs statements: the runner owns the transaction and version. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: (db: WritableDB) => void;
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
}

/**
 * The database's format version; UNSUPPORTED_FORMAT when a newer build wrote it. Read-only opens, which
 * never migrate, check this too so a newer store is refused instead of being misread.
 */
export function checkSupportedVersion(db: ReadableDB, migrations: readonly Migration[], label: string): number {
  const latest = latestVersion(migrations);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new ConsoleError(
      'UNSUPPORTED_FORMAT',
      `${label} has format version ${current}, newer than this build supports (${latest}): upgrade Persistence Console`,
      { formatVersion: current, supported: latest },
    );
  }
  return current;
}

/**
 * Brings a database to the newest schema. Each migration runs in its own IMMEDIATE transaction together
 * with the `user_version` bump, so a crash leaves the database at a whole version. A database written by
 * a newer build is refused (UNSUPPORTED_FORMAT) instead of being misread.
 */
export function runMigrations(db: WritableDB, migrations: readonly Migration[], label: string): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`${label} migrations must be numbered 1, 2, 3…; found ${m.version} at ${i}`);
  });
  const latest = latestVersion(migrations);
  let current = checkSupportedVersion(db, migrations, label);
  for (const migration of migrations.slice(current)) {
    db.exec('BEGIN IMMEDIATE');
    try {
      // Re-read inside the lock: another process may have migrated meanwhile.
      current = db.pragma('user_version', { simple: true }) as number;
      if (current < migration.version) {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      }
      db.exec('COMMIT');
    } catch (error) {
      // A COMMIT that failed on the disk (SQLITE_IOERR, SQLITE_FULL) has already been rolled back by SQLite:
      // a ROLLBACK then throws "no transaction is active" and hides the disk's error behind INTERNAL.
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
  return latest;
}
