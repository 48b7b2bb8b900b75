import { systemErrorInfo } from './systemErrors.js';

/**
 * The stable error codes that cross every boundary (API, CLI, UI). Scripts and old clients depend on
 * these names: add codes, never rename or remove one.
 *
 * Added after DESIGN §3's list:
 * - STORE_UNAVAILABLE: the console runs without its store because the store could not be opened at all
 *   (events.db damaged, not a database or missing; views.db damaged; a newer format). Every call that
 *   needs the store answers it, with `details.problem` ({code, message}: what opening it failed with) and
 *   `details.storePath`; `session.info` reports the same problem as `storeProblem`. Recovery still works.
 * - UNTRUSTED_ARCHIVE: a trusted signing key was given (or is set for the store) and an archive is unsigned,
 *   signed by another key, or its manifest.sig does not verify (DESIGN §7). Not ARCHIVE_CORRUPT: the archive
 *   may be intact and merely from elsewhere (or forged), and what to do differs from replacing a damaged copy.
 * - IO_ERROR: the disk reported an I/O error (EIO, SQLite's SQLITE_IOERR_*) while reading or writing: the
 *   operation stopped. What it had committed before stays committed; what it was committing may or may
 *   not be (an append retried with the same event id is never written twice).
 * - PERMISSION_DENIED: the operating system refused access to a file or folder (EACCES, EPERM), it is on a
 *   read-only file system (EROFS), or SQLite found the database read-only. The message names the path.
 *   Not FORBIDDEN, which is our roles' answer: here the admin fixes an owner, a mode or a mount.
 * - RESOURCE_EXHAUSTED: the process ran into a system limit (too many open files, a file size limit, out
 *   of memory): raising the limit or freeing the resource and retrying fixes it.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'WRONG_EXPECTED_VERSION',
  'DUPLICATE_EVENT_ID',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'INTEGRITY_VIOLATION',
  'ARCHIVE_CORRUPT',
  'DECRYPTION_FAILED',
  'QUERY_NOT_READ_ONLY',
  'TIMEOUT',
  'CANCELLED',
  'BUSY',
  'DISK_FULL',
  'STORE_LOCKED',
  'UNSUPPORTED_FORMAT',
  'INTERNAL',
  'STORE_UNAVAILABLE',
  'UNTRUSTED_ARCHIVE',
  'IO_ERROR',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The serialisable shape of an error on the wire and in `--json` output. */
export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What an administrator can do next, shown beside the message in the console and the CLI. */
export const ERROR_HINTS: Readonly<Record<ErrorCode, string>> = {
  INVALID_INPUT: 'Correct the input named in the message and try again.',
  NOT_FOUND: 'Check the name or path; it may have been moved or deleted.',
  WRONG_EXPECTED_VERSION: 'Another writer changed the stream first: re-read it and retry with its current version.',
  DUPLICATE_EVENT_ID: 'An event with this id already exists with different content: use a new event id.',
  UNAUTHENTICATED: 'Sign in again: open the URL printed by `pconsole serve`.',
  FORBIDDEN: 'Your role does not allow this action: ask an administrator.',
  INTEGRITY_VIOLATION: 'The store failed an integrity check: stop writes, run verify, and restore from a verified backup if needed.',
  ARCHIVE_CORRUPT: 'The archive is damaged: use another archive of the chain or take a new backup.',
  DECRYPTION_FAILED: 'The passphrase or identity does not match this archive: check which key it was encrypted with.',
  QUERY_NOT_READ_ONLY: 'Only read-only SELECT statements can run here.',
  TIMEOUT: 'The operation took too long and was stopped: narrow it down or raise the limit.',
  CANCELLED: 'The operation was cancelled; nothing was changed by it.',
  BUSY: 'Another process is writing to this store: retry in a moment.',
  DISK_FULL: 'Free space on the destination disk, then run it again; nothing was left half-written.',
  STORE_LOCKED: 'The store is locked by another operation (for example a restore): wait for it to finish.',
  UNSUPPORTED_FORMAT: 'This file was written by a newer or different version: upgrade Persistence Console.',
  INTERNAL: 'This is a bug: note what you did and report it with the message.',
  STORE_UNAVAILABLE: 'The store cannot be opened: open the Recovery page to restore it from its backups.',
  UNTRUSTED_ARCHIVE:
    'The archive is not signed by the trusted key: it may be forged, or signed with another key. Find out where it came from; restore it only from a copy signed by the trusted key.',
  IO_ERROR: 'The disk reported an I/O error: check the disk and the system log, run verify, then retry (an append retried with its event id is never written twice).',
  PERMISSION_DENIED: 'The system refused access to the file or folder named: check its owner and mode, and that its disk is not mounted read-only, or run as a user who may use it.',
  RESOURCE_EXHAUSTED: 'The system ran out of a resource (open files, memory, a size limit): raise the limit or free the resource, then retry.',
};

/** An error that carries a stable code. Everything the product throws on purpose is one of these. */
export class ConsoleError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = 'ConsoleError';
    this.code = code;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The code of a full or failing disk, from the errno code Node gives (ENOSPC, EDQUOT, EIO) or SQLite's
 * (SQLITE_FULL, SQLITE_IOERR_*): what a disk does is never a bug, wherever it is met. Undefined otherwise.
 */
export function diskErrorCode(error: unknown): 'DISK_FULL' | 'IO_ERROR' | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return 'DISK_FULL';
  if (code === 'EIO' || (code.startsWith('SQLITE_IOERR') && code !== 'SQLITE_IOERR_NOMEM')) return 'IO_ERROR';
  return undefined;
}

/**
 * Any thrown value as an ErrorInfo; unknown failures become INTERNAL (a bug, never an answer). A full or
 * failing disk met where nothing said what it means is DISK_FULL or IO_ERROR with the system's message.
 */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ConsoleError) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  const disk = diskErrorCode(error);
  if (disk !== undefined)
    return { code: disk, message: `${message} (${disk === 'DISK_FULL' ? 'the disk is full' : 'the disk reported an I/O error'})`, details: { errno: (error as { code: string }).code } };
  // What else the system or SQLite can say because of what an admin did (a path, a mode, a limit, a header).
  const system = systemErrorInfo(error);
  if (system !== undefined) return system;
  return { code: 'INTERNAL', message };
}
