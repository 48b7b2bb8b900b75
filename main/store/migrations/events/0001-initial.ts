import type { Migration } from '../runner.js';

// The log and its companions. Only SQLite features available in 3.40 (Debian 12's sqlite3), so an
// archived events.db opens by hand; JSON is stored as TEXT, never JSONB.
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE events (
        global_position INTEGER PRIMARY KEY,
        event_id        TEXT    NOT NULL,
        stream_id       TEXT    NOT NULL,
        stream_version  INTEGER NOT NULL,
        type            TEXT    NOT NULL,
        data            TEXT    NOT NULL,
        metadata        TEXT    NOT NULL,
        recorded_at     INTEGER NOT NULL,
        hash            TEXT    NOT NULL
      );
      CREATE UNIQUE INDEX events_event_id ON events (event_id);
      CREATE UNIQUE INDEX events_stream ON events (stream_id, stream_version);

      CREATE TABLE streams (
        stream_id      TEXT    PRIMARY KEY,
        version        INTEGER NOT NULL,
        first_position INTEGER NOT NULL,
        last_position  INTEGER NOT NULL,
        created_at     INTEGER NOT NULL,
        updated_at     INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE principals (
        name       TEXT PRIMARY KEY,
        role       TEXT NOT NULL CHECK (role IN ('viewer', 'auditor', 'operator', 'admin')),
        created_at INTEGER NOT NULL,
        disabled   INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;

      CREATE TABLE audit (
        seq        INTEGER PRIMARY KEY,
        at         INTEGER NOT NULL,
        actor      TEXT    NOT NULL,
        action     TEXT    NOT NULL,
        target     TEXT    NOT NULL,
        outcome    TEXT    NOT NULL,
        details    TEXT    NOT NULL,
        hash       TEXT    NOT NULL
      );
    `);
  },
};
