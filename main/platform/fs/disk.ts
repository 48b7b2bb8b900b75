import { statfs } from 'node:fs/promises';
import { ConsoleError } from '../../../shared/errors.js';
import { formatBytes } from '../../../shared/format.js';

/** The bytes this user may still write on the file system holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return Number(s.bavail) * Number(s.bsize);
}

/** DISK_FULL before anything is written when `dir` has less than `needed` bytes free for this user. */
export async function requireFreeSpace(dir: string, needed: number, what: string): Promise<void> {
  const free = await freeBytes(dir);
  if (free < needed) {
    throw new ConsoleError('DISK_FULL', `${dir} has ${formatBytes(free)} free; ${what} needs about ${formatBytes(needed)}. Nothing was written`, {
      destination: dir,
      freeBytes: free,
      neededBytes: needed,
    });
  }
}

/** Whether a failure is the disk (or the user's quota) being full, as the file system or SQLite says it. */
export function isDiskFull(error: unknown): boolean {
  if (error instanceof ConsoleError) return error.code === 'DISK_FULL';
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = e?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || (typeof e?.message === 'string' && /ENOSPC/.test(e.message));
}

/**
 * A full disk (ENOSPC and EDQUOT from the file system, SQLITE_FULL from SQLite) as DISK_FULL naming the
 * destination and what is true after it (`outcome`); other errors pass through unchanged.
 */
export function translateDiskError(error: unknown, destination: string, outcome = 'nothing was left under an archive name'): unknown {
  if (error instanceof ConsoleError) return error; // already says what happened (e.g. the free-space check)
  if (!isDiskFull(error)) return error;
  return new ConsoleError('DISK_FULL', `the disk holding ${destination} is full; ${outcome}`, { destination });
}
