import type { Migration } from '../runner.js';

// Counts the console shows on every Overview, kept by the views projector instead of being counted
// again over the whole table each time (the streams count walked 100k rows per call).
export const viewCounters: Migration = {
  version: 2,
  name: 'view-counters',
  up(db) {
    db.exec(`
      CREATE TABLE view_counters (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- Views built before this table counted nothing: rebuild them from the log.
      DELETE FROM event_rate; DELETE FROM event_types; DELETE FROM event_links; DELETE FROM checkpoints;
    `);
  },
};
