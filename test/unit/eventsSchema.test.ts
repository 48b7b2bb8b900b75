import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWritable, type WritableDB } from '../../main/platform/sqlite.js';
import { eventsMigrations } from '../../main/store/migrations/events/index.js';
import { runMigrations } from '../../main/store/migrations/runner.js';
import { viewsMigrations } from '../../main/store/migrations/views/index.js';
import { useTempDirs } from '../helpers/tempDirs.js';

// The store format is only ever added to (DESIGN §4, STYLE "a test that the events table is only ever
// added to"). These lists are what format version 1 published: a later migration may add columns (at
// the end, as ALTER TABLE ADD COLUMN does) and indexes, but never drop, rename or retype these. If a
// test here fails, a change broke every existing store and archive: write a new migration instead.

interface Column {
  readonly name: string;
  readonly type: string;
  readonly notnull: number;
  readonly pk: number;
}
interface Index {
  readonly name: string;
  readonly unique: number;
  readonly columns: readonly string[];
}

const PUBLISHED_COLUMNS: Record<string, readonly Column[]> = {
  events: [
    { name: 'global_position', type: 'INTEGER', notnull: 0, pk: 1 },
    { name: 'event_id', type: 'TEXT', notnull: 1, pk: 0 },
    { name: 'stream_id', type: 'TEXT', notnull: 1, pk: 0 },
    { name: 'stream_version', type: 'INTEGER', notnull: 1, pk: 0 },
    { name: 'type', type: 'TEXT', notnull: 1, pk: 0 },
    { name: 'data', type: 'TEXT', notnull: 1, pk: 0 },
    { name: 'metadata', type: 'TEXT', notnull: 1, pk: 0 },
    { name: 'recorded_at', type: 'INTEGER', notnull: 1, pk: 0 },
    { name: 'hash', type: 'TEXT', notnull: 1, pk: 0 },
  ],
  streams: [
    { name: 'stream_id', type: 'TEXT', notnull: 1, pk: 1 },
    { name: 'version', type: 'INTEGER', notnull: 1, pk: 0 },
    { name: 'first_position', type: 'INTEGER', notnull: 1, pk: 0 },
    { name: 'last_position', type: 'INTEGER', notnull: 1, pk: 0 },
    { name: 'created_at', type: 'INTEGER', notnull: 1, pk: 0 },
    { name: 'updated_at', type: 'INTEGER', notnull: 1, pk: 0 },
  ],
  meta: [
    { name: 'key', type: 'TEXT', notnull: 1, pk: 1 },
    { name: 'value', type: 'TEXT', notnull: 1, pk: 0 },
  ],
  settings: [
    { name: 'key', type: 'TEXT', notnull: 1, pk: 1 },
    { name: 'value', type: 'TEXT', notnull: 1, pk: 0 },
    { name: 'updated_at', type: 'INTEGER', notnull: 1, pk: 0 },
  ],
};

const PUBLISHED_INDEXES: Record<string, readonly Index[]> = {
  events: [
    { name: 'events_event_id', unique: 1, columns: ['event_id'] },
    { name: 'events_stream', unique: 1, columns: ['stream_id', 'stream_version'] },
  ],
};

const temp = useTempDirs();

function migratedEventsDb<T>(fn: (db: WritableDB) => T): T {
  const db = openWritable(join(temp.dir(), 'events.db'));
  try {
    runMigrations(db, eventsMigrations, 'events.db');
    return fn(db);
  } finally {
    db.close();
  }
}

function columnsOf(db: WritableDB, table: string): Column[] {
  return (db.pragma(`table_info(${table})`) as Array<Column & { cid: number }>).map(({ name, type, notnull, pk }) => ({ name, type, notnull, pk }));
}

function indexesOf(db: WritableDB, table: string): Index[] {
  const list = db.pragma(`index_list(${table})`) as Array<{ name: string; unique: number; origin: string }>;
  return list
    .filter((i) => i.origin === 'c') // indexes created with CREATE INDEX (not the automatic pk ones)
    .map((i) => ({
      name: i.name,
      unique: i.unique,
      columns: (db.pragma(`index_info(${i.name})`) as Array<{ seqno: number; name: string }>).sort((a, b) => a.seqno - b.seqno).map((c) => c.name),
    }));
}

describe('the events.db schema is only ever added to', () => {
  it.each(Object.keys(PUBLISHED_COLUMNS))('table %s keeps its published columns, in order, at the front', (table) => {
    migratedEventsDb((db) => {
      const columns = columnsOf(db, table);
      const published = PUBLISHED_COLUMNS[table]!;
      expect(columns.slice(0, published.length)).toEqual(published);
    });
  });

  it.each(Object.keys(PUBLISHED_INDEXES))('table %s keeps its published indexes', (table) => {
    migratedEventsDb((db) => {
      const indexes = indexesOf(db, table);
      for (const index of PUBLISHED_INDEXES[table]!) expect(indexes).toContainEqual(index);
    });
  });

  it('keeps global_position as the rowid (INTEGER PRIMARY KEY), so positions are the table order', () => {
    migratedEventsDb((db) => {
      const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events'").get() as { sql: string }).sql;
      expect(sql).toMatch(/global_position\s+INTEGER PRIMARY KEY/);
      expect(sql).not.toMatch(/WITHOUT ROWID/i);
    });
  });

  it('stores JSON as TEXT, never JSONB or STRICT-only features (Debian 12 sqlite3 3.40 must read archives)', () => {
    migratedEventsDb((db) => {
      const rows = db.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL").all() as Array<{ sql: string }>;
      for (const { sql } of rows) {
        expect(sql).not.toMatch(/\bjsonb\b/i);
        expect(sql).not.toMatch(/\)\s*STRICT\b/i);
      }
    });
  });

  it('refuses a duplicate event id and a duplicate stream version at the SQL level', () => {
    migratedEventsDb((db) => {
      const insert = db.prepare(
        "INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at, hash) VALUES (?, ?, ?, 'T', '{}', '{}', 0, 'h')",
      );
      insert.run('id-1', 's', 0);
      expect(() => insert.run('id-1', 's', 1)).toThrow(/UNIQUE/);
      expect(() => insert.run('id-2', 's', 0)).toThrow(/UNIQUE/);
    });
  });
});

describe('the views.db schema', () => {
  it('has the checkpoints table projections rely on', () => {
    const db = openWritable(join(temp.dir(), 'views.db'));
    try {
      runMigrations(db, viewsMigrations, 'views.db');
      expect(columnsOf(db, 'checkpoints').map((c) => c.name).slice(0, 6)).toEqual(['projection', 'position', 'hash', 'updated_at', 'status', 'error']);
    } finally {
      db.close();
    }
  });
});
