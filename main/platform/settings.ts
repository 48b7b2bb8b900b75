import type { z } from 'zod';
import type { ReadableDB, WritableDB } from './sqlite.js';

/**
 * The store's `settings` table as a typed repository: each key is declared once, with the zod schema its
 * JSON value must satisfy, by the room that owns it. A value that fails its schema (hand-edited, or from a
 * newer build) reads as absent rather than as something it is not.
 */
export interface Setting<T> {
  readonly key: string;
  readonly schema: z.ZodType<T>;
}

const declared = new Set<string>();

/** Declares a setting; a key declared twice is a bug and fails at load time. */
export function defineSetting<T>(key: string, schema: z.ZodType<T>): Setting<T> {
  if (declared.has(key)) throw new Error(`the setting ${key} is declared twice`);
  declared.add(key);
  return { key, schema };
}

export interface StoredSetting<T> {
  readonly value: T;
  readonly updatedAt: number;
}

export function readSettingRecord<T>(db: ReadableDB, setting: Setting<T>): StoredSetting<T> | undefined {
  const row = db.prepare('SELECT value, updated_at AS updatedAt FROM settings WHERE key = ?').get(setting.key) as { value: string; updatedAt: number } | undefined;
  if (row === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(row.value);
  } catch {
    return undefined;
  }
  const parsed = setting.schema.safeParse(json);
  return parsed.success ? { value: parsed.data, updatedAt: row.updatedAt } : undefined;
}

export function readSetting<T>(db: ReadableDB, setting: Setting<T>): T | undefined {
  return readSettingRecord(db, setting)?.value;
}

/** Stores a value after checking it against the setting's schema (a wrong value is a bug here, not input). */
export function writeSetting<T>(db: WritableDB, setting: Setting<T>, value: T, now: number): void {
  const checked = setting.schema.parse(value);
  db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(
    setting.key,
    JSON.stringify(checked),
    now,
  );
}

/** Writes the value only when the key has none yet (a new store's defaults). */
export function writeSettingDefault<T>(db: WritableDB, setting: Setting<T>, value: T, now: number): void {
  db.prepare('INSERT OR IGNORE INTO settings (key, value, updated_at) VALUES (?, ?, ?)').run(setting.key, JSON.stringify(setting.schema.parse(value)), now);
}

export function deleteSetting(db: WritableDB, setting: Setting<unknown>): boolean {
  return db.prepare('DELETE FROM settings WHERE key = ?').run(setting.key).changes > 0;
}
