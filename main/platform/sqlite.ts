import Database from 'better-sqlite3';
import type { Durability } from '../../shared/store.js';
import { ConsoleError } from '../../shared/errors.js';

export type { Durability };

declare const readableBrand: unique symbol;
declare const writableBrand: unique symbol;

/** A connection that may only be read from. Functions that read take this type. */
export type ReadableDB = Database.Database & { readonly [readableBrand]: true };
/** The one connection that writes. It can also read, so it is a ReadableDB too. */
export type WritableDB = ReadableDB & { readonly [writableBrand]: true };



export interface OpenOptions {
  readonly readonly?: boolean;
  readonly durability?: Durability;
  /** How long SQLite itself waits for a lock before SQLITE_BUSY; writers retry asynchronously on top. */
  readonly busyTimeoutMs?: number;
  /** Path to a better-sqlite3 addon built for another ABI (Electron). */
  readonly nativeBinding?: string;
}

let defaultNativeBinding: string | undefined;

/** Electron's main process sets this once, to the addon built against Electron's ABI. */
export function setDefaultNativeBinding(path: string | undefined): void {
  defaultNativeBinding = path;
}

function open(path: string, options: OpenOptions): Database.Database {
  const nativeBinding = options.nativeBinding ?? defaultNativeBinding;
  try {
    return new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      ...(nativeBinding === undefined ? {} : { nativeBinding }),
    });
  } catch (error) {
    throw translateSqliteError(error, `cannot open ${path}`);
  }
}

export function openWritable(path: string, options: OpenOptions = {}): WritableDB {
  const db = open(path, { ...options, readonly: false });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new ConsoleError('INTERNAL', `could not switch ${path} to WAL mode (got ${String(mode)})`);
    applyDurability(db as WritableDB, options.durability ?? 'full');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw translateSqliteError(error, `cannot open ${path}`);
  }
  return db as WritableDB;
}

export function openReadable(path: string, options: OpenOptions = {}): ReadableDB {
  const db = open(path, { ...options, readonly: true });
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  return db as ReadableDB;
}

/** A private temporary database on disk, deleted when closed: scratch space whose memory stays bounded. */
export function openScratch(): Database.Database {
  const db = open('', {});
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  return db;
}

export function applyDurability(db: WritableDB, durability: Durability): void {
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
}

interface SqliteErrorLike {
  code?: unknown;
  message?: unknown;
}

/** Maps SQLite's failure codes to ours; anything else passes through unchanged (it is a bug). */
/** SQLite's answer for a file that is damaged or not a database at all. */
export function isSqliteCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

export function translateSqliteError(error: unknown, context: string): unknown {
  if (error instanceof ConsoleError) return error;
  const e = error as SqliteErrorLike;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (code === 'SQLITE_FULL' || /ENOSPC/.test(message))
    return new ConsoleError('DISK_FULL', `${context}: the disk is full`, { sqlite: code });
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED')
    return new ConsoleError('BUSY', `${context}: the store is busy (another writer holds the lock)`, { sqlite: code });
  if (isSqliteCorruption(error))
    return new ConsoleError('INTEGRITY_VIOLATION', `${context}: the database file is damaged (${message})`, { sqlite: code });
  if (code === 'SQLITE_CANTOPEN')
    return new ConsoleError('NOT_FOUND', `${context}: ${message}`, { sqlite: code });
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH')
    return new ConsoleError('STORE_LOCKED', `${context}: ${message}`, { sqlite: code });
  return error;
}
