import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { OpenProblem } from '../../shared/store.js';
import { writeFileDurably, writeFileDurablySync } from '../platform/index.js';
import type { EventReader } from './reader.js';

/**
 * A small fsynced record of a head the log once had (DESIGN §5). SQLite drops the tail of a damaged WAL
 * silently and integrity_check still passes; comparing the log with this record at open turns that
 * silent loss into a loud one. It is written after commits, at most about once a second, so it may lag
 * the log but can never be ahead of what was acknowledged.
 */
export const HEAD_RECORD_FILE = 'head.json';

const headRecordSchema = z.object({
  position: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  writtenAt: z.string(),
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

export function writeHeadRecordSync(storeDir: string, position: number, hash: string): void {
  writeFileDurablySync(join(storeDir, HEAD_RECORD_FILE), serialise(position, hash));
}

function serialise(position: number, hash: string): string {
  return JSON.stringify({ position, hash, writtenAt: new Date().toISOString() }) + '\n';
}

/** Keeps head.json close behind the log without an extra fsync per commit. */
export class HeadRecorder {
  private pending: { position: number; hash: string } | undefined;
  private written = -1;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly storeDir: string,
    private readonly intervalMs = 1000,
  ) {
    this.written = readHeadRecord(storeDir)?.position ?? -1;
  }

  noteCommitted(position: number, hash: string): void {
    if (position <= this.written) return;
    this.pending = { position, hash };
    if (this.timer === undefined && this.writing === undefined) {
      this.timer = setTimeout(() => void this.writePending(), this.intervalMs);
      this.timer.unref();
    }
  }

  private async writePending(): Promise<void> {
    this.timer = undefined;
    const next = this.pending;
    this.pending = undefined;
    if (next === undefined || next.position <= this.written) return;
    this.writing = writeFileDurably(join(this.storeDir, HEAD_RECORD_FILE), serialise(next.position, next.hash))
      .then(() => {
        this.written = Math.max(this.written, next.position);
      })
      .catch(() => {
        // A failed head record only weakens detection; the log itself is unaffected. Retry later.
        this.pending ??= next;
      })
      .finally(() => {
        this.writing = undefined;
        if (this.pending !== undefined) this.noteCommitted(this.pending.position, this.pending.hash);
      });
    await this.writing;
  }

  /** Resolves once no asynchronous write started earlier is still in flight (it could land after a later one). */
  async settled(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  /** Writes what is pending now (used at close, so short-lived CLI runs leave a record too). */
  flushSync(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.pending;
    this.pending = undefined;
    if (next !== undefined && next.position > this.written) {
      writeHeadRecordSync(this.storeDir, next.position, next.hash);
      this.written = next.position;
    }
  }
}

/** Compares the log with the head it was last known to have (DESIGN §5): a shorter log is data loss. */
export function checkHeadRecord(dir: string, reader: EventReader): OpenProblem[] {
  const record = readHeadRecord(dir);
  if (record === undefined || record.position === 0) return [];
  const head = reader.readHead();
  if (head.position < record.position) {
    return [
      {
        code: 'HEAD_REGRESSION',
        position: head.position + 1,
        message:
          `the log ends at position ${head.position} but reached ${record.position} on ${record.writtenAt}: ` +
          `events ${head.position + 1}–${record.position} are missing (a damaged WAL or a replaced events.db). ` +
          `Restore from a backup; if this store was replaced on purpose, delete head.json to accept the new head`,
      },
    ];
  }
  const event = reader.eventAt(record.position);
  if (event !== undefined && event.hash !== record.hash) {
    return [
      {
        code: 'HEAD_MISMATCH',
        position: record.position,
        message: `the event at position ${record.position} is not the one recorded there on ${record.writtenAt}: the log's history was rewritten`,
      },
    ];
  }
  return [];
}
