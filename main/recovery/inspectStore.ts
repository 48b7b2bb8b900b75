import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadableDB } from '../platform/index.js';
import { EVENTS_DB } from '../store/index.js';
import { EventReader, type LogHead } from '../store/index.js';

/**
 * Reading a store that is being recovered, without changing anything in its folder. A store nobody has
 * open (no -wal, no -shm) is opened in exclusive locking mode, so SQLite keeps its WAL index in memory and
 * leaves no files behind; otherwise read-only, which never checkpoints (a damaged WAL stays as evidence).
 */
export function openForInspection(storeDir: string): ReadableDB {
  const file = join(storeDir, EVENTS_DB);
  if (!existsSync(file)) throw Object.assign(new Error(`no ${EVENTS_DB} in ${storeDir}`), { code: 'ENOENT' });
  const closed = !existsSync(`${file}-wal`) && !existsSync(`${file}-shm`);
  const db = new Database(file, { readonly: !closed, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    if (closed) db.pragma('locking_mode = EXCLUSIVE');
    db.prepare('SELECT count(*) FROM sqlite_schema').get(); // fails now on a file that is not a database
  } catch (error) {
    db.close();
    throw error;
  }
  return db as ReadableDB;
}

/** What could be read of the current store: its id and head, or why not. */
export type StoreIdentity =
  | { readonly readable: true; readonly storeId: string; readonly head: LogHead }
  | { readonly readable: false; readonly reason: string; readonly exists: boolean };

export function inspectStore(storeDir: string): StoreIdentity {
  if (!existsSync(storeDir)) return { readable: false, reason: `${storeDir} does not exist`, exists: false };
  let db: ReadableDB;
  try {
    db = openForInspection(storeDir);
  } catch (error) {
    return { readable: false, reason: `the store cannot be opened: ${(error as Error).message}`, exists: true };
  }
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'store_id'").get() as { value: string } | undefined;
    if (row === undefined) return { readable: false, reason: 'the store has no id in its meta table', exists: true };
    return { readable: true, storeId: row.value, head: new EventReader(db).readHead() };
  } catch (error) {
    return { readable: false, reason: `the store cannot be read: ${(error as Error).message}`, exists: true };
  } finally {
    db.close();
  }
}
