import { ConsoleError } from '../../shared/errors.js';
import { translateSqliteError } from '../store/connection.js';

/**
 * Turns the ways a full disk shows up (ENOSPC and EDQUOT from the file system, SQLITE_FULL from a
 * snapshot) into DISK_FULL naming the destination; other errors pass through unchanged.
 */
export function translateDiskError(error: unknown, destination: string): unknown {
  if (error instanceof ConsoleError) return error; // already says what happened (e.g. the free-space check)
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new ConsoleError('DISK_FULL', `the disk holding ${destination} is full; nothing was left under an archive name`, { destination });
  const translated = translateSqliteError(error, `snapshot into ${destination}`);
  if (translated instanceof ConsoleError && translated.code === 'DISK_FULL')
    return new ConsoleError('DISK_FULL', `the disk holding ${destination} is full; nothing was left under an archive name`, { destination });
  return error;
}
