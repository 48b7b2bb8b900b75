import type { Migration } from '../runner.js';

// The history of recovery drills (main/recovery/drill): every test restore with the RTO and RPO it
// achieved against the targets of the policy at the time, and its full report. The policy itself is a
// row of the settings table ('recoveryDrillPolicy').
export const recoveryDrills: Migration = {
  version: 4,
  name: 'recovery-drills',
  up(db) {
    db.exec(`
      CREATE TABLE recovery_drills (
        id            INTEGER PRIMARY KEY,
        trigger       TEXT    NOT NULL,
        started_at    INTEGER NOT NULL,
        ended_at      INTEGER,
        outcome       TEXT    NOT NULL,
        head_position INTEGER,
        head_hash     TEXT,
        events        INTEGER,
        archives      INTEGER,
        rto_ms        INTEGER,
        rpo_ms        INTEGER,
        rto_target_ms INTEGER,
        rpo_target_ms INTEGER,
        error         TEXT,
        report        TEXT
      );
      CREATE INDEX recovery_drills_started ON recovery_drills (started_at);
    `);
  },
};
