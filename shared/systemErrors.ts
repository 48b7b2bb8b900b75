import type { ErrorCode, ErrorInfo } from './errors.js';

/**
 * What the operating system or SQLite said, as one of our codes with the path (or address) named: the
 * one translation of errors an administrator can provoke (a file where a folder should be, a folder where
 * a file should be, a file this user may not read, a read-only disk, too many open files, a damaged or
 * foreign database header, a host that does not resolve). Pure: it reads the fields Node and
 * better-sqlite3 put on their errors (`code`, `syscall`, `path`, `dest`, `hostname`, `address`, `port`).
 *
 * A full or failing disk (ENOSPC, EDQUOT, EIO, SQLITE_FULL, SQLITE_IOERR_*) is `diskErrorCode`'s, in
 * errors.ts. ENOENT is deliberately absent: a file the admin names is checked where it is named (NOT_FOUND
 * with what it was for), and an ENOENT anywhere else is one of our own files gone missing under us, a bug
 * worth its INTERNAL. So is everything else not listed here.
 */

interface SystemErrorLike {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly path?: unknown;
  readonly dest?: unknown;
  readonly hostname?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
  readonly message?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** What the call was doing, in words, from Node's `syscall`. */
function doing(syscall: string | undefined, path: string, dest: string | undefined): string {
  switch (syscall) {
    case 'open':
      return `open ${path}`;
    case 'read':
      return `read ${path}`;
    case 'write':
      return `write ${path}`;
    case 'mkdir':
    case 'mkdtemp':
      return `create the folder ${path}`;
    case 'rmdir':
    case 'rm':
    case 'unlink':
      return `delete ${path}`;
    case 'rename':
    case 'copyfile':
    case 'link':
    case 'symlink':
      return dest === undefined ? `move ${path}` : `move ${path} to ${dest}`;
    case 'scandir':
    case 'opendir':
      return `list the folder ${path}`;
    case 'stat':
    case 'lstat':
    case 'access':
      return `look at ${path}`;
    case 'fsync':
    case 'fdatasync':
      return `flush ${path}`;
    default:
      return syscall === undefined ? `use ${path}` : `${syscall} ${path}`;
  }
}

function info(code: ErrorCode, message: string, errno: string, e: SystemErrorLike): ErrorInfo {
  const details: Record<string, unknown> = { errno };
  const path = str(e.path);
  if (path !== undefined) details.path = path;
  const dest = str(e.dest);
  if (dest !== undefined) details.dest = dest;
  const syscall = str(e.syscall);
  if (syscall !== undefined) details.syscall = syscall;
  return { code, message, details };
}

/** A Node system error (errno code + syscall) on a file, as our code; undefined when it is none of ours. */
function fileErrorInfo(errno: string, e: SystemErrorLike): ErrorInfo | undefined {
  const path = str(e.path);
  if (path === undefined) return undefined;
  const dest = str(e.dest);
  const syscall = str(e.syscall);
  const cannot = `cannot ${doing(syscall, path, dest)}`;
  switch (errno) {
    case 'EACCES':
    case 'EPERM':
      return info('PERMISSION_DENIED', `${cannot}: permission denied (check the owner and mode of ${dest ?? path} and of its folder)`, errno, e);
    case 'EROFS':
      return info('PERMISSION_DENIED', `${cannot}: it is on a read-only file system`, errno, e);
    case 'EISDIR':
      return info('INVALID_INPUT', `${cannot}: ${syscall === 'rename' ? (dest ?? path) : path} is a folder, not a file`, errno, e);
    case 'ENOTDIR':
      return info('INVALID_INPUT', `${cannot}: ${syscall === 'scandir' || syscall === 'opendir' ? `${path} is` : 'a part of the path is'} a file, not a folder`, errno, e);
    case 'EEXIST':
      return info('INVALID_INPUT', `${cannot}: ${path} already exists${syscall === 'mkdir' ? ' (as a file, or where a new folder was required)' : ''}`, errno, e);
    case 'ENOTEMPTY':
      return info('INVALID_INPUT', `${cannot}: ${dest ?? path} is a folder that is not empty`, errno, e);
    case 'ELOOP':
      return info('INVALID_INPUT', `${cannot}: too many levels of symbolic links`, errno, e);
    case 'ENAMETOOLONG':
      return info('INVALID_INPUT', `${cannot}: the name is too long for this file system`, errno, e);
    case 'EXDEV':
      return info('INVALID_INPUT', `${cannot}: they are on different file systems; put both on the same one`, errno, e);
    case 'ENXIO':
    case 'ENODEV':
      return info('INVALID_INPUT', `${cannot}: it is a device or socket, not a file`, errno, e);
    case 'EBUSY':
    case 'ETXTBSY':
      return info('BUSY', `${cannot}: it is in use (by another process or the system)`, errno, e);
    case 'EMFILE':
    case 'ENFILE':
      return info('RESOURCE_EXHAUSTED', `${cannot}: too many open files (raise the limit, e.g. ulimit -n, or close other programs)`, errno, e);
    case 'EFBIG':
      return info('RESOURCE_EXHAUSTED', `${cannot}: the file would exceed the largest size allowed (the file system's, or this process's ulimit -f)`, errno, e);
    default:
      return undefined;
  }
}

/** A network error of serve mode (binding, resolving) as our code. */
function networkErrorInfo(errno: string, e: SystemErrorLike): ErrorInfo | undefined {
  const host = str(e.hostname) ?? str(e.address);
  const port = typeof e.port === 'number' ? e.port : undefined;
  const where = host === undefined ? (port === undefined ? 'the address' : `port ${port}`) : port === undefined ? host : `${host}:${port}`;
  switch (errno) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return info('INVALID_INPUT', `the host ${host ?? '(unnamed)'} does not resolve to an address${errno === 'EAI_AGAIN' ? ' (the name server did not answer)' : ''}`, errno, e);
    case 'EADDRINUSE':
      return info('BUSY', `${where} is in use by another program: pass --port with a free one`, errno, e);
    case 'EADDRNOTAVAIL':
      return info('INVALID_INPUT', `cannot listen on ${where}: it is not an address of this machine`, errno, e);
    case 'EAFNOSUPPORT':
      return info('INVALID_INPUT', `cannot listen on ${where}: this machine does not support that address family`, errno, e);
    case 'EACCES':
    case 'EPERM':
      return e.syscall === 'listen' || e.syscall === 'bind'
        ? info('PERMISSION_DENIED', `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`, errno, e)
        : undefined;
    default:
      return undefined;
  }
}

/**
 * SQLite's result code as ours: a damaged or foreign file, a lock, a read-only database, a header naming a
 * format this SQLite cannot read. Undefined for the rest (an SQL error, a constraint: our bug).
 */
export function sqliteErrorCode(code: string, message: string): ErrorCode | undefined {
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'INTEGRITY_VIOLATION';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'BUSY';
  if (code === 'SQLITE_READONLY_DBMOVED') return 'NOT_FOUND';
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return 'PERMISSION_DENIED';
  if (code === 'SQLITE_CANTOPEN') return 'NOT_FOUND';
  if (code === 'SQLITE_TOOBIG') return 'INVALID_INPUT';
  // The schema format number in the header (byte 44) is past what this SQLite knows: a damaged header, or
  // a file from a newer SQLite. SQLite says it as a plain SQLITE_ERROR, so its message is what tells.
  if (code === 'SQLITE_ERROR' && /^unsupported file format\b/.test(message)) return 'UNSUPPORTED_FORMAT';
  return undefined;
}

/** Words for a SQLite failure our code covers, after SQLite's own message. */
export function sqliteExplanation(code: ErrorCode): string {
  switch (code) {
    case 'INTEGRITY_VIOLATION':
      return 'the database file is damaged, or is not a database';
    case 'UNSUPPORTED_FORMAT':
      return 'its header names a format this build cannot read: damaged, or written by a newer SQLite';
    case 'BUSY':
      return 'another connection holds the lock';
    case 'PERMISSION_DENIED':
      return 'the database is read-only for this process (the file or its folder is not writable, or the file system is read-only)';
    case 'NOT_FOUND':
      return 'the database file cannot be opened, or was moved or deleted while open';
    default:
      return 'SQLite refused it';
  }
}

/**
 * The error as one of our codes when the system or SQLite said something an admin can cause; undefined
 * when it is not one of those (the caller answers INTERNAL: a bug).
 */
export function systemErrorInfo(error: unknown): ErrorInfo | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SystemErrorLike;
  const errno = str(e.code);
  if (errno === undefined) return undefined;
  const message = typeof e.message === 'string' ? e.message : errno;
  if (errno.startsWith('SQLITE_')) {
    const code = sqliteErrorCode(errno, message);
    return code === undefined ? undefined : { code, message: `${message} (${sqliteExplanation(code)})`, details: { sqlite: errno } };
  }
  return fileErrorInfo(errno, e) ?? networkErrorInfo(errno, e);
}
