import Database from 'better-sqlite3';
import { join } from 'node:path';

/** Raw better-sqlite3 access to a store's events.db, bypassing the engine (tampering, inspection). */
export function withRawDb<T>(storeDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(storeDir, 'events.db'), { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export interface RawEventRow {
  readonly global_position: number;
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_version: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recorded_at: number;
  readonly hash: string;
}

/** Every row of the events table, in position order. */
export function rawEvents(storeDir: string): RawEventRow[] {
  return withRawDb(storeDir, (db) => db.prepare('SELECT * FROM events ORDER BY global_position').all() as RawEventRow[]);
}

/** The store's head position read straight from the file (0 when empty). */
export function rawHeadPosition(storeDir: string): number {
  return withRawDb(storeDir, (db) => (db.prepare('SELECT coalesce(max(global_position), 0) AS n FROM events').get() as { n: number }).n);
}
