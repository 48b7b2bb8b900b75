import type { Migration } from '../runner.js';

// The evidence of detected losses (issue 9, class 4): a log found shorter than a head recorded elsewhere
// (head.json, a views.db checkpoint, a backup manifest), or holding another event at such a head. Kept here
// so the next head write cannot erase it; writes are refused while a row is unacknowledged.
export const integrityLosses: Migration = {
  version: 6,
  name: 'integrity-losses',
  up(db) {
    db.exec(`
      CREATE TABLE integrity_losses (
        id                INTEGER PRIMARY KEY,
        code              TEXT    NOT NULL,             -- HEAD_REGRESSION | HEAD_MISMATCH
        position          INTEGER NOT NULL,             -- the first position missing, or the rewritten one
        source            TEXT    NOT NULL,             -- what recorded the later head
        recorded_position INTEGER NOT NULL,
        recorded_hash     TEXT    NOT NULL DEFAULT '',  -- '' when the source recorded none
        log_position      INTEGER NOT NULL,             -- the log's head when the loss was found
        log_hash          TEXT    NOT NULL,
        message           TEXT    NOT NULL,
        detected_at       INTEGER NOT NULL,
        acknowledged_at   INTEGER,
        acknowledged_by   TEXT,
        UNIQUE (code, source, recorded_position, recorded_hash)
      );
    `);
  },
};
