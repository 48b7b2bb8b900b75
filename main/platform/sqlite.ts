import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statfsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ConsoleError, type ErrorCode } from '../../shared/errors.js';
import type { Durability } from '../../shared/store.js';
import { sqliteErrorCode, sqliteExplanation, systemErrorInfo } from '../../shared/systemErrors.js';

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
    throw translateSqliteError(error, `cannot open ${path}`, path);
  }
}

/**
 * Makes SQLite read the header and the schema now, while the path is known, so that a damaged or foreign
 * file is reported at open naming its path, not at the first statement somewhere later.
 */
function readSchema(db: Database.Database): void {
  db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
}

export function openWritable(path: string, options: OpenOptions = {}): WritableDB {
  const db = open(path, { ...options, readonly: false });
  try {
    // A header that only a newer SQLite may write makes SQLite open the file read-only without a word:
    // every write would then fail far from here as "attempt to write a readonly database".
    const writeVersion = unwritableFormat(path);
    if (writeVersion !== undefined)
      throw new ConsoleError('UNSUPPORTED_FORMAT', `cannot open ${path} for writing: its header says only a newer SQLite may write it (file format write version ${writeVersion}): damaged, or written by a newer SQLite`, {
        path,
      });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    readSchema(db);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new ConsoleError('INTERNAL', `could not switch ${path} to WAL mode (got ${String(mode)})`);
    applyDurability(db as WritableDB, options.durability ?? 'full');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw translateSqliteError(error, `cannot open ${path}`, path);
  }
  return db as WritableDB;
}

export function openReadable(path: string, options: OpenOptions = {}): ReadableDB {
  const db = open(path, { ...options, readonly: true });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    readSchema(db);
  } catch (error) {
    db.close();
    throw translateSqliteError(error, `cannot open ${path}`, path);
  }
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

/** SQLite's answer for a file that is damaged or not a database at all. */
export function isSqliteCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * Maps SQLite's failure codes to ours (shared/systemErrors.ts: one table for every caller), prefixed with
 * `context`; anything else passes through unchanged (it is a bug). With `path` (the database file, known
 * where it is opened), a failure to open it or read it is explained by what the file system says about
 * that path: SQLite says "unable to open database file" or "disk I/O error" alike for a missing folder,
 * a folder where the file should be and a file this user may not read.
 */
export function translateSqliteError(error: unknown, context: string, path?: string): unknown {
  if (error instanceof ConsoleError) return error;
  const e = error as SqliteErrorLike;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (path !== undefined && (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY'))) {
    const problem = fileProblemOf(path, code.startsWith('SQLITE_READONLY'));
    if (problem !== undefined) return new ConsoleError(problem.code, `${context}: ${problem.message}`, { sqlite: code, path, ...problem.details });
  }
  // SQLite says a full disk as an I/O error where it grows its -shm file (SQLITE_IOERR_SHMSIZE), which it
  // needs even to read: an "I/O error" that sends the admin to the system log, for a disk that is only full.
  if (path !== undefined && code.startsWith('SQLITE_IOERR') && diskIsFull(dirname(path)))
    return new ConsoleError(
      'DISK_FULL',
      `${context}: the disk holding ${dirname(path)} is full${code === 'SQLITE_IOERR_SHMSIZE' ? ` (SQLite could not make room for ${basename(path)}-shm, which it needs even to read)` : ''}`,
      { sqlite: code, path },
    );
  if (code === 'SQLITE_FULL' || /ENOSPC/.test(message))
    return new ConsoleError('DISK_FULL', `${context}: the disk is full`, { sqlite: code });
  const ours = sqliteErrorCode(code, message);
  if (ours === undefined) return error;
  const what = ours === 'INTEGRITY_VIOLATION' ? `the database file is damaged (${message})` : `${message} (${sqliteExplanation(ours)})`;
  return new ConsoleError(ours, `${context}: ${what}`, { sqlite: code, ...(path === undefined ? {} : { path }) });
}

/**
 * What the file system says is wrong with the database file at `path` (or its folder), when something
 * is: a folder in its place, a folder missing, no permission to read (or, `forWriting`, to write) it.
 */
function fileProblemOf(path: string, forWriting: boolean): { code: ErrorCode; message: string; details?: Record<string, unknown> } | undefined {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') {
      const folder = dirname(path);
      return existsSync(folder) ? { code: 'NOT_FOUND', message: `${path} does not exist` } : { code: 'NOT_FOUND', message: `the folder ${folder} does not exist` };
    }
    return systemErrorInfo(error);
  }
  if (stat.isDirectory()) return { code: 'INTEGRITY_VIOLATION', message: `${path} is a folder, not a database file` };
  if (!stat.isFile()) return { code: 'INTEGRITY_VIOLATION', message: `${path} is not a regular file (a device, socket or pipe), so not a database` };
  try {
    accessSync(path, constants.R_OK);
    if (forWriting) {
      accessSync(path, constants.W_OK);
      accessSync(dirname(path), constants.W_OK); // the journal and WAL files are created beside it
    }
  } catch (error) {
    return systemErrorInfo(error);
  }
  // Even to read a database in WAL mode SQLite creates its -shm file beside it (when it is not there):
  // a folder on a read-only disk, or not writable by this user, is why it "cannot open" a file that is fine.
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM')
      return {
        code: 'PERMISSION_DENIED',
        message: `SQLite must create ${basename(path)}-shm beside it to read it (WAL mode), and ${dirname(path)} ${errno === 'EROFS' ? 'is on a read-only file system' : 'is not writable by this user'}`,
        details: { errno },
      };
  }
  return undefined;
}

/** Below this much free space a failure to write is taken for a full disk: SQLite grows files by pages (4 KiB and up). */
const FULL_DISK_BYTES = 64 * 1024;

/** Whether the file system holding `folder` has (next to) no space left for this process. */
function diskIsFull(folder: string): boolean {
  try {
    const s = statfsSync(folder);
    return s.bavail * s.bsize < FULL_DISK_BYTES;
  } catch {
    return false;
  }
}

/** The SQLite header's "file format write version" (byte 18) when it is past 2 (WAL): SQLite then opens the file read-only. */
function unwritableFormat(path: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const header = Buffer.alloc(20);
    if (readSync(fd, header, 0, 20, 0) < 20 || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return undefined;
    return header[18]! > 2 ? header[18] : undefined;
  } catch {
    return undefined; // SQLite itself says what is wrong with a file that cannot be read
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
