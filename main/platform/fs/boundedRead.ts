import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ConsoleError } from '../../../shared/errors.js';
import { formatBytes } from '../../../shared/format.js';
import { systemErrorInfo } from '../../../shared/systemErrors.js';
import { decodeUtf8, describeInvalidUtf8 } from '../../../shared/utf8.js';

const CHUNK = 64 * 1024;

export interface BoundedReadOptions {
  /** More than this many bytes is INVALID_INPUT, found after reading at most one chunk past it. */
  readonly maxBytes: number;
  /** What the file is, for messages: `--data-file /tmp/x.json`, `--tls-cert cert.pem`. */
  readonly what: string;
  /** Why there is a limit, after "larger than N": e.g. "an event's data and metadata are at most 4 MiB". */
  readonly limitReason?: string;
}

function tooLarge(options: BoundedReadOptions): ConsoleError {
  return new ConsoleError('INVALID_INPUT', `${options.what} is larger than ${formatBytes(options.maxBytes)}${options.limitReason === undefined ? '' : `: ${options.limitReason}`}`, {
    maxBytes: options.maxBytes,
  });
}

/** A failure to open or read a file the admin named, as our code, naming it (`what`) and what the system said. */
export function fileReadError(error: unknown, what: string): unknown {
  if (error instanceof ConsoleError) return error;
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  if (errno === 'ENOENT') return new ConsoleError('NOT_FOUND', `cannot read ${what}: it does not exist`, { errno });
  // A folder opens fine and fails at the first read, where Node names no path: said here, not as INTERNAL.
  if (errno === 'EISDIR') return new ConsoleError('INVALID_INPUT', `cannot read ${what}: it is a folder, not a file`, { errno });
  const system = systemErrorInfo(error);
  if (system !== undefined) return new ConsoleError(system.code, `${what}: ${system.message}`, system.details);
  return error;
}

/**
 * Reads a file the admin named (or standard input, `-`) as bytes, stopping as soon as it is larger than
 * `maxBytes`: `/dev/zero`, a FIFO that never ends or a multi-gigabyte file costs one chunk past the limit.
 */
export async function readFileBounded(path: string, options: BoundedReadOptions): Promise<Buffer> {
  if (path === '-') return readStreamBounded(process.stdin, options);
  const chunks: Buffer[] = [];
  let total = 0;
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileReadError(error, options.what);
  }
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(options);
      chunks.push(bytesRead === CHUNK ? buffer : buffer.subarray(0, bytesRead));
    }
  } catch (error) {
    throw fileReadError(error, options.what);
  } finally {
    await handle.close();
  }
  return Buffer.concat(chunks, total);
}

/**
 * readFileBounded for callers that cannot wait (a secret read while a backup's settings are checked): the
 * same limit, the same messages. Standard input is not offered here: it is read asynchronously.
 */
export function readFileBoundedSync(path: string, options: BoundedReadOptions): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw fileReadError(error, options.what);
  }
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK);
      const bytesRead = readSync(fd, buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(options);
      chunks.push(bytesRead === CHUNK ? buffer : buffer.subarray(0, bytesRead));
    }
  } catch (error) {
    throw fileReadError(error, options.what);
  } finally {
    closeSync(fd);
  }
  return Buffer.concat(chunks, total);
}

/** The bytes of a stream, refused (and the stream destroyed) as soon as there are more than `maxBytes`. */
export async function readStreamBounded(stream: Readable, options: BoundedReadOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buffer.length;
      if (total > options.maxBytes) throw tooLarge(options);
      chunks.push(buffer);
    }
  } catch (error) {
    stream.destroy();
    throw fileReadError(error, options.what);
  }
  return Buffer.concat(chunks, total);
}

/** The bytes as text, refusing bytes that are not UTF-8 (never replaced by U+FFFD), naming `what`. */
export function decodeUtf8Strictly(bytes: Buffer, what: string): string {
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new ConsoleError('INVALID_INPUT', `${what} is ${describeInvalidUtf8(bytes)}`);
  return text;
}

/** readFileBounded, then strictly decoded as UTF-8. */
export async function readTextFileBounded(path: string, options: BoundedReadOptions): Promise<string> {
  return decodeUtf8Strictly(await readFileBounded(path, options), options.what);
}
