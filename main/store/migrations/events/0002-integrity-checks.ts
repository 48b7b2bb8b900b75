import type { Migration } from '../runner.js';

// Results of verify runs, so Overview can show when the store was last checked and what was found.
export const integrityChecks: Migration = {
  version: 2,
  name: 'integrity-checks',
  up(db) {
    db.exec(`
      CREATE TABLE integrity_checks (
        id                 INTEGER PRIMARY KEY,
        checked_at         INTEGER NOT NULL,
        ok                 INTEGER NOT NULL,
        checked_events     INTEGER NOT NULL,
        head_position      INTEGER NOT NULL,
        first_bad_position INTEGER,
        problems           INTEGER NOT NULL,
        report             TEXT    NOT NULL
      );
    `);
  },
};
