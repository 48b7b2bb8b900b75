import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import type { StoreProblem } from '../../shared/api/types.js';
import { ConsoleError } from '../../shared/errors.js';
import { inspectStore, openForInspection } from '../recovery/index.js';
import { translateSqliteError } from '../platform/index.js';
import { EVENTS_DB, VIEWS_DB } from '../store/index.js';
import { HEAD_RECORD_FILE } from '../store/index.js';
import { backupFoldersNamedIn } from './backupFolders.js';

// A store the console was started on but could not open (issue 5: recovery must work when the store cannot
// be opened at all). The console runs without it, says why, and lets the Recovery page restore it in place.

/** Files only a store's folder holds: with one of them but no events.db, the folder is a store that lost its log. */
const STORE_FILES: readonly string[] = [EVENTS_DB, `${EVENTS_DB}-wal`, `${EVENTS_DB}-shm`, VIEWS_DB, HEAD_RECORD_FILE];

/** Whether `dir` holds a store, whole or damaged (false for a missing, empty or unrelated folder). */
export function looksLikeStore(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => STORE_FILES.includes(name));
  } catch {
    return false;
  }
}

/**
 * The problem to report when opening the store in `dir` failed with `error` and the console should start
 * without it: the store itself is damaged, incomplete or from a newer build — what a restore (or an
 * upgrade) fixes. Undefined for everything else, which still stops the start as before: a path that is not
 * a store, a lock or a full disk (retrying fixes those, a restore would not), a bug.
 */
export function storeProblemOf(error: unknown, dir: string): StoreProblem | undefined {
  const translated = translateSqliteError(error, `cannot open the store at ${dir}`);
  if (translated instanceof ConsoleError) {
    const problem = { code: translated.code, message: translated.message };
    if (translated.code === 'INTEGRITY_VIOLATION' || translated.code === 'UNSUPPORTED_FORMAT') return problem;
    // events.db missing (or not a file): a problem only where the rest of a store remains.
    if (translated.code === 'NOT_FOUND' && looksLikeStore(dir)) return problem;
    return undefined;
  }
  // A SQLite failure with no code of ours (a table missing or malformed, a page that cannot be read):
  // the file is not the store it should be.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_'))
    return { code: 'INTEGRITY_VIOLATION', message: `cannot open the store at ${dir}: ${error instanceof Error ? error.message : String(error)} (${code})` };
  return undefined;
}

function remedy(problem: StoreProblem): string {
  return problem.code === 'UNSUPPORTED_FORMAT'
    ? 'upgrade Persistence Console, or open the Recovery page to restore it from backups'
    : 'open the Recovery page to restore it from backups';
}

/** What every call that needs the store answers while it cannot be opened. */
export function storeUnavailableError(dir: string, problem: StoreProblem): ConsoleError {
  return new ConsoleError('STORE_UNAVAILABLE', `the store ${basename(dir)} cannot be opened (${problem.message}): ${remedy(problem)}`, {
    storePath: dir,
    problem,
  });
}

/** The one line `serve` and the desktop app print on stderr when they start without their store. */
export function startedWithoutStoreLine(dir: string, problem: StoreProblem): string {
  return `The store ${dir} cannot be opened (${problem.code}: ${problem.message}); the console starts without it: ${remedy(problem)}.\n`;
}

/** What recovery can still learn from a store that cannot be opened; each part undefined or empty when it cannot be read. */
export interface UnopenedStoreFacts {
  /** Its id (as a restore reads it: only when its log's head can be read too): picks its archives. */
  readonly storeId: string | undefined;
  /** Its schedules' destinations and the folders added by hand: the catalog a restore can draw from. */
  readonly backupFolders: readonly string[];
}

/** Reads what it can of the store in `dir` without changing anything in its folder. */
export function readUnopenedStore(dir: string): UnopenedStoreFacts {
  const identity = inspectStore(dir);
  let backupFolders: string[] = [];
  try {
    const db = openForInspection(dir);
    try {
      backupFolders = backupFoldersNamedIn(db);
    } finally {
      db.close();
    }
  } catch {
    // Not readable enough: the admin names the archives.
  }
  return { storeId: identity.readable ? identity.storeId : undefined, backupFolders };
}
