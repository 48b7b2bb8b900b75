import type { Migration } from '../runner.js';

// Backup schedules and the history of every backup run (main/backup/scheduler). A schedule's definition
// is JSON validated on read (shared/backup.ts); it names where a key comes from, never the key itself.
export const backupSchedules: Migration = {
  version: 3,
  name: 'backup-schedules',
  up(db) {
    db.exec(`
      CREATE TABLE backup_schedules (
        id         TEXT    PRIMARY KEY,
        definition TEXT    NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE backup_runs (
        id            INTEGER PRIMARY KEY,
        schedule_id   TEXT,
        trigger       TEXT    NOT NULL,
        kind          TEXT    NOT NULL,
        due_at        INTEGER NOT NULL,
        started_at    INTEGER,
        ended_at      INTEGER,
        outcome       TEXT    NOT NULL,
        note          TEXT,
        archive       TEXT,
        archive_bytes INTEGER,
        events        INTEGER,
        duration_ms   INTEGER,
        verified      INTEGER,
        pruned        INTEGER,
        error         TEXT
      );
      CREATE INDEX backup_runs_schedule ON backup_runs (schedule_id, due_at);
    `);
  },
};
