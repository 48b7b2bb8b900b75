import { z } from 'zod';
import { defineSetting, readSetting, writeSetting } from '../platform/index.js';
import type { ReadableDB, WritableDB } from '../platform/index.js';

/** The folders the admin added to the catalog by hand (beside schedules' destinations), in the order added. */
const BACKUP_FOLDERS_SETTING = defineSetting('backupFolders', z.array(z.string().min(1)));

export function foldersAddedByHand(db: ReadableDB): string[] {
  return readSetting(db, BACKUP_FOLDERS_SETTING) ?? [];
}

export function saveFoldersAddedByHand(db: WritableDB, folders: readonly string[], now: number): void {
  writeSetting(db, BACKUP_FOLDERS_SETTING, [...folders], now);
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
