import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { overwriteFileSync, writeFileDurablySync } from '../platform/index.js';

/**
 * A small fsynced record of the head the log has (DESIGN §5). SQLite drops the tail of a damaged WAL
 * silently and integrity_check still passes; comparing the log with this record at open turns that silent
 * loss into a loud one. It is rewritten in place after every commit and before the commit is acknowledged
 * (HeadRecorder), so it is never behind an acknowledged event and never ahead of a committed one.
 *
 * `acceptedAt` is when the log's history was last set on purpose (a restore, an acknowledged loss): heads
 * recorded elsewhere before then (views checkpoints, backup manifests) describe a history the admin
 * replaced or accepted, and are not compared with the log any more.
 */
export const HEAD_RECORD_FILE = 'head.json';

/** Every head.json has this length: rewriting it in place never changes its size (see overwriteFileSync). */
const RECORD_BYTES = 256;

const headRecordSchema = z.object({
  position: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  writtenAt: z.string(),
  acceptedAt: z.string().optional(),
});
export type HeadRecord = z.infer<typeof headRecordSchema>;

export function readHeadRecord(storeDir: string): HeadRecord | undefined {
  let text: string;
  try {
    text = readFileSync(join(storeDir, HEAD_RECORD_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = headRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // a torn or foreign file is no evidence either way
  }
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

/** Keeps head.json at the log's head: one in-place write and one fdatasync per commit. */
export class HeadRecorder {
  constructor(private readonly storeDir: string) {}

  /**
   * Records `position`/`hash`, unless head.json already holds a later position (which, written under the
   * write lock, only a loss explains: the record is evidence then and stays as it is, synced again).
   * Returns the position head.json holds, on disk, afterwards. Throws what the disk says (ENOSPC while
   * creating the file, EIO): the caller decides what that means.
   */
  write(position: number, hash: string): number {
    const current = readHeadRecord(this.storeDir);
    const record: HeadRecord =
      current !== undefined && current.position >= position
        ? current
        : { position, hash, writtenAt: new Date().toISOString(), ...(current?.acceptedAt === undefined ? {} : { acceptedAt: current.acceptedAt }) };
    const path = join(this.storeDir, HEAD_RECORD_FILE);
    const content = serialise(record);
    if (!overwriteFileSync(path, content)) writeFileDurablySync(path, content);
    return record.position;
  }
}
