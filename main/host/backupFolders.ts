import type { ReadableDB, WritableDB } from '../store/connection.js';

/** The settings row listing the folders the admin added to the catalog by hand (beside schedules' destinations). */
const BACKUP_FOLDERS_SETTING = 'backupFolders';

/** The folders added to the catalog by hand, in the order they were added. */
export function foldersAddedByHand(db: ReadableDB): string[] {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(BACKUP_FOLDERS_SETTING) as { value: string } | undefined;
  return row === undefined ? [] : (JSON.parse(row.value) as string[]);
}

export function saveFoldersAddedByHand(db: WritableDB, folders: readonly string[], now: number): void {
  db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(
    BACKUP_FOLDERS_SETTING,
    JSON.stringify(folders),
    now,
  );
}

/**
 * Every backup folder a store names (schedules' destinations, then folders added by hand), read straight
 * from its events.db: for a store that cannot be opened, whose schedules are not loaded. Schedule
 * definitions are read leniently (any `destination` string), since nothing will run them.
 */
export function backupFoldersNamedIn(db: ReadableDB): string[] {
  const destinations = db.prepare("SELECT json_extract(definition, '$.destination') AS destination FROM backup_schedules ORDER BY created_at, id").all() as Array<{
    destination: unknown;
  }>;
  const scheduled = destinations.flatMap((r) => (typeof r.destination === 'string' ? [r.destination] : []));
  return [...new Set([...scheduled, ...foldersAddedByHand(db)])];
}
