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

      -- The console's own read models (main/views/consoleViews.ts).
      CREATE TABLE event_rate (
        minute INTEGER PRIMARY KEY,  -- recorded_at / 60000
        events INTEGER NOT NULL
      );
      CREATE TABLE event_types (
        type          TEXT PRIMARY KEY,
        events        INTEGER NOT NULL,
        last_position INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- metadata.correlationId / metadata.causationId → the events that carry them.
      CREATE TABLE event_links (
        kind     TEXT    NOT NULL CHECK (kind IN ('correlation', 'causation')),
        key      TEXT    NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (kind, key, position)
      ) WITHOUT ROWID;
    `);
  },
};
