import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { ARCHIVE_MEMBER_NAMES, type ArchiveMemberName } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { AgeDecryptStream } from '../platform/index.js';
import { hasAnyKey, toDecryptionKeys, type DecryptionKeyInput } from './encryption.js';

/** One member of an archive as it streams past. `data` must be consumed (or abandoned by throwing). */
export interface ArchiveMember {
  readonly name: ArchiveMemberName;
  readonly size: number;
  readonly data: AsyncIterable<Buffer>;
}

export interface ReadArchiveOptions {
  /** Needed for an `.age` archive. */
  readonly keys?: DecryptionKeyInput;
  /** Archive file bytes read so far, and the file's size. */
  readonly onBytes?: (done: number, total: number) => void;
  readonly isCancelled?: () => boolean;
}

import { ArchiveReadError } from './archiveErrors.js';

export { ArchiveReadError };

class FileMeter extends Transform {
  bytes = 0;
  constructor(
    private readonly total: number,
    private readonly options: ReadArchiveOptions,
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.options.isCancelled?.() === true) {
      callback(new ConsoleError('CANCELLED', 'cancelled while reading the archive'));
      return;
    }
    this.bytes += chunk.length;
    this.options.onBytes?.(this.bytes, this.total);
    callback(null, chunk);
  }
}

function isMemberName(name: string): name is ArchiveMemberName {
  return (ARCHIVE_MEMBER_NAMES as readonly string[]).includes(name);
}

/**
 * Streams an archive (`.tar.gz` or `.tar.gz.age`) member by member to `visit`, in archive order, in
 * bounded memory: the file is read in 1 MiB pieces, decrypted in 64 KiB chunks, gunzipped and parsed by
 * the tar package, and each member's data flows to the visitor as it is read. Decryption failures are
 * DECRYPTION_FAILED; any damage to the container is an ArchiveReadError (ARCHIVE_CORRUPT) naming the member
 * being read when it was found. Members outside this format, or repeated, are ARCHIVE_CORRUPT too.
 */
export async function readArchive(path: string, visit: (member: ArchiveMember) => Promise<void>, options: ReadArchiveOptions = {}): Promise<{ archiveBytes: number }> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch {
    throw new ConsoleError('NOT_FOUND', `no archive at ${path}`, { path });
  }
  const encrypted = path.endsWith('.age');
  if (encrypted && (options.keys === undefined || !hasAnyKey(options.keys)))
    throw new ConsoleError('INVALID_INPUT', `${path} is encrypted: give its passphrase file or identity file`, { path });

  let current: string | null = null;
  let sawEof = false;
  const seen = new Set<string>();
  const visits: Array<Promise<void>> = [];
  let previousVisit: Promise<unknown> = Promise.resolve();
  /** Entries handed to a visitor and not yet done: destroyed on failure so no visitor waits forever. */
  const active = new Set<ReadEntry>();
  let aborted = false;
  let failWith: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (failWith = reject));
  failed.catch(() => undefined);

  const parser = new Parser({ strict: true });
  parser.on('eof', () => (sawEof = true));
  parser.on('error', (error: Error) => failWith(new ArchiveReadError('ARCHIVE_CORRUPT', `the tar stream is damaged${current === null ? '' : ` in or after ${current}`}: ${error.message}`, current, 'container')));
  parser.on('entry', (entry: ReadEntry) => {
    const name = entry.path;
    if (entry.type !== 'File' || !isMemberName(name) || seen.has(name)) {
      failWith(
        new ArchiveReadError(
          'ARCHIVE_CORRUPT',
          seen.has(name) ? `the archive holds ${name} twice` : `the archive holds ${JSON.stringify(name)} (${entry.type}), which is not a member of this format`,
          name,
          'container',
        ),
      );
      entry.resume();
      return;
    }
    seen.add(name);
    // One visitor at a time, in archive order: a member is handed over only when the visit of the one
    // before it has finished (its data stays buffered in the entry, which holds the parser back meanwhile).
    const done = previousVisit
      .then(() => {
        if (aborted) return;
        current = name;
        active.add(entry);
        return visit({ name, size: entry.size, data: entry });
      })
      .then(
        () => void entry.resume(), // whatever the visitor left unread is skipped
        (error: unknown) => {
          entry.resume();
          failWith(error);
        },
      )
      .finally(() => active.delete(entry));
    previousVisit = done.catch(() => undefined);
    visits.push(done);
  });
  const parsed = new Promise<void>((resolve) => parser.on('end', () => resolve()));

  const feedParser = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      if (!parser.write(chunk)) await Promise.race([new Promise((resolve) => parser.once('drain', resolve)), failed]);
    }
    parser.end();
    await Promise.race([parsed, failed]);
  };

  const meter = new FileMeter(size, options);
  const decrypt = encrypted ? new AgeDecryptStream(toDecryptionKeys(options.keys!)) : undefined;
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const piped = decrypt !== undefined ? pipeline(input, meter, decrypt, gunzip, feedParser) : pipeline(input, meter, gunzip, feedParser);
  piped.catch(() => undefined); // awaited in the race below; once a visitor has failed, its end no longer matters
  try {
    await Promise.race([piped, failed]);
    await Promise.race([Promise.all(visits), failed]);
  } catch (error) {
    // Stop reading, end the visits in progress (their files get closed) and wait for them to wind down.
    aborted = true;
    input.destroy();
    for (const entry of active) entry.destroy();
    await Promise.all(visits);
    // Damage to the encrypted payload ends the stream short; the layers below then fail on the cut.
    throw asContainerError(decrypt?.damage ?? error, current, encrypted);
  }
  if (decrypt?.damage !== undefined) throw asContainerError(decrypt.damage, current, encrypted);
  if (!sawEof) throw new ArchiveReadError('ARCHIVE_CORRUPT', 'the archive is truncated: its tar stream has no end marker', current, 'container');
  return { archiveBytes: size };
}

/**
 * Damage found by the decryption or gunzip layer becomes an ArchiveReadError naming the member being read;
 * everything else (cancellation, a wrong key, a file-system failure, a bug) passes through unchanged.
 */
function asContainerError(error: unknown, current: string | null, encrypted: boolean): unknown {
  if (error instanceof ArchiveReadError) return error;
  const where = current === null ? '' : ` while reading ${current}`;
  if (error instanceof ConsoleError) {
    if (error.code !== 'ARCHIVE_CORRUPT' && error.code !== 'UNSUPPORTED_FORMAT') return error;
    return new ArchiveReadError(error.code, `the archive is damaged${where}: ${error.message}`, current, encrypted ? 'decryption' : 'container');
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_'))
    return new ArchiveReadError('ARCHIVE_CORRUPT', `the archive is damaged${where}: gzip: ${(error as Error).message}`, current, 'container');
  return error;
}

/** Reads a whole small member (manifest.json, SHA256SUMS) into memory, refusing more than `limit` bytes. */
export async function readSmallMember(member: ArchiveMember, limit: number): Promise<Buffer> {
  if (member.size > limit) throw new ArchiveReadError('ARCHIVE_CORRUPT', `${member.name} is ${member.size} bytes: far larger than this format writes`, member.name, 'manifest');
  const pieces: Buffer[] = [];
  for await (const piece of member.data) pieces.push(piece);
  return Buffer.concat(pieces);
}
