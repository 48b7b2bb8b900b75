import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecordFile, writeFileDurablySync } from '../platform/index.js';

/**
 * A small record of the head the log has (DESIGN §5). SQLite drops the tail of a damaged WAL silently and
 * integrity_check still passes; comparing the log with this record at open turns that silent loss into a
 * loud one. It is rewritten in place after every commit and before the commit is acknowledged
 * (HeadRecorder), so it is never behind an acknowledged event and never ahead of a committed one; when it
 * reaches the disk depends on the durability level (LogGuard).
 *
 * `acceptedAt` is when the log's history was last set on purpose (a restore, an acknowledged loss): heads
 * recorded elsewhere before then (views checkpoints, backup manifests) describe a history the admin
 * replaced or accepted, and are not compared with the log any more.
 */
export const HEAD_RECORD_FILE = 'head.json';

/** Every head.json has this length: rewriting it in place never changes its size (see RecordFile). */
const RECORD_BYTES = 256;

export interface HeadRecord {
  readonly position: number;
  readonly hash: string;
  readonly writtenAt: string;
  readonly acceptedAt?: string;
}

export function readHeadRecord(storeDir: string): HeadRecord | undefined {
  let text: string;
  try {
    text = readFileSync(join(storeDir, HEAD_RECORD_FILE), 'utf8');
  } catch {
    return undefined;
  }
  return parseHeadRecord(text);
}

/** Checked by hand, not by a schema: it is read before every commit is acknowledged (a zod parse cost ~10 µs). */
function parseHeadRecord(text: string): HeadRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // a torn or foreign file is no evidence either way
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { position, hash, writtenAt, acceptedAt } = value as Record<string, unknown>;
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) return undefined;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash) || typeof writtenAt !== 'string') return undefined;
  if (acceptedAt !== undefined && typeof acceptedAt !== 'string') return undefined;
  return { position, hash, writtenAt, ...(acceptedAt === undefined ? {} : { acceptedAt }) };
}

function serialise(record: HeadRecord): Buffer {
  const json = JSON.stringify(record);
  return Buffer.from(json.padEnd(RECORD_BYTES - 1, ' ') + '\n', 'utf8');
}

/**
 * Sets the record to a head on purpose (a restore finishing its store, an acknowledged loss), with
 * `acceptedAt` now: written under a temporary name and renamed, so it may also lower the recorded head.
 */
export function writeHeadRecordSync(storeDir: string, position: number, hash: string, acceptedAt = new Date()): void {
  const now = new Date().toISOString();
  writeFileDurablySync(join(storeDir, HEAD_RECORD_FILE), serialise({ position, hash, writtenAt: now, acceptedAt: acceptedAt.toISOString() }));
}

/** Keeps head.json at the log's head: one in-place write per commit; its flushes are the caller's to time. */
export class HeadRecorder {
  private readonly file: RecordFile;

  constructor(storeDir: string) {
    this.file = new RecordFile(join(storeDir, HEAD_RECORD_FILE));
  }

  /**
   * Records `position`/`hash`, unless head.json already holds a later position (which, written under the
   * write lock, only a loss explains: the record is evidence then and stays as it is). Returns the position
   * head.json holds afterwards. With `sync` the record is on the disk when this returns; without, it is in
   * the page cache (it survives the process, not a power cut) until flush(). A new head.json is always
   * written durably. Throws what the disk says (ENOSPC while creating the file, EIO).
   */
  write(position: number, hash: string, sync: boolean): number {
    const text = this.file.read(RECORD_BYTES * 4);
    const current = text === undefined ? undefined : parseHeadRecord(text.toString('utf8'));
    const record: HeadRecord =
      current !== undefined && current.position >= position
        ? current
        : { position, hash, writtenAt: new Date().toISOString(), ...(current?.acceptedAt === undefined ? {} : { acceptedAt: current.acceptedAt }) };
    this.file.overwrite(serialise(record), sync);
    return record.position;
  }

  /** Puts what was written on the disk, off the main thread (one fdatasync). */
  flush(): Promise<void> {
    return this.file.flush();
  }

  /** head.json was replaced on purpose (writeHeadRecordSync): write into the new file from now on. */
  reopen(): void {
    this.file.revalidate();
  }

  close(): void {
    this.file.close();
  }
}
