import type { Migration } from '../runner.js';

// views.db holds read models and their checkpoints. It is disposable: everything here can be rebuilt
// from events.db, which is why projections write only here.
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE checkpoints (
        projection TEXT PRIMARY KEY,
        position   INTEGER NOT NULL,
        hash       TEXT    NOT NULL,
        updated_at INTEGER NOT NULL,
        status     TEXT    NOT NULL DEFAULT 'running',
        error      TEXT
      ) WITHOUT ROWID;

      -- Events per minute, kept by the engine's own projection: feeds the Overview chart.
      CREATE TABLE event_rate (
        minute INTEGER PRIMARY KEY,
        events INTEGER NOT NULL
      );

      -- Event types with counts: feeds filters and the dry-run report.
      CREATE TABLE event_types (
        type   TEXT PRIMARY KEY,
        events INTEGER NOT NULL,
        last_position INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
