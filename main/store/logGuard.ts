import { EventEmitter } from 'node:events';
import { basename } from 'node:path';
import { ConsoleError, toErrorInfo } from '../../shared/errors.js';
import type { LossRecord, OpenProblem, StoreWarning } from '../../shared/store.js';
import type { ReadableDB, WritableDB } from '../platform/index.js';
import { HeadRecorder, readHeadRecord, writeHeadRecordSync } from './headRecord.js';
import { acknowledgeLosses, readLosses, recordLosses } from './lossRecords.js';
import type { EventReader } from './reader.js';
import { compareRecordedHeads, findingKey, headRecordHead, LOSS_REMEDY, type HeadFinding, type RecordedHead, viewsCheckpointHeads } from './recordedHeads.js';
import type { EventWriter } from './writer.js';

/** How often a head record that could not be written is tried again while nothing commits. */
const HEAD_RETRY_MS = 1000;

/**
 * At `full`, how long head.json may stay in the page cache after a commit before it is flushed in the
 * background: it then guards only against a power cut that also damages the (fsynced) WAL, a double fault,
 * so its flushes are spread out rather than doubling every commit's fsyncs.
 */
const BACKGROUND_FLUSH_MS = 100;

/**
 * What a store knows of losses of its log (issue 9, classes 2, 4 and 5), in one place:
 * - after every commit, before it is acknowledged, head.json is set to the head under the write lock, so it
 *   never trails an acknowledged event, even in a process killed the next moment (the page cache keeps
 *   it); a failed write does not undo the commit: it is a warning, and is tried again (next commit, a
 *   timer, close);
 * - when it reaches the disk follows the durability level: at `normal` the WAL is not fsynced per commit
 *   and a power cut loses the commits since the last checkpoint, so an append is acknowledged only once
 *   head.json is on the disk (durable(): one fdatasync, off the main thread, serves every commit made
 *   meanwhile) and every such loss is detected; at `full` the WAL is fsynced by the commit itself, and
 *   head.json is flushed in the background within BACKGROUND_FLUSH_MS (and at close);
 * - at open, and when the host brings heads recorded elsewhere (its backup catalog), the log is compared
 *   with every recorded head; what it does not live up to is recorded in integrity_losses, which no head
 *   write can erase;
 * - while a loss is unacknowledged, appends are refused (INTEGRITY_VIOLATION naming it) until an admin
 *   acknowledges it or the store is restored.
 */
export class LogGuard {
  private records: LossRecord[] = [];
  /** Found by a read-only opening, which cannot record them. */
  private unrecorded: HeadFinding[] = [];
  private readonly recorder: HeadRecorder | undefined;
  private readonly emitter = new EventEmitter();
  private failure: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private aheadWarned = false;
  /** The head position written into head.json by this process, and the one known to be on the disk. */
  private written = -1;
  private flushed = -1;
  private flushing: Promise<void> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private waiters: Array<{ readonly position: number; readonly resolve: () => void }> = [];
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly db: ReadableDB,
    private readonly reader: EventReader,
    private readonly writer: EventWriter | undefined,
    private readonly clock: () => number,
    viewsFile: string,
  ) {
    if (writer !== undefined) this.recorder = new HeadRecorder(dir);
    const record = readHeadRecord(dir);
    this.compare([...headRecordHead(record), ...viewsCheckpointHeads(dir, viewsFile)], record?.acceptedAt);
  }

  /** Heads recorded outside the store's folder (the newest backup manifest of its catalog) compared too. */
  checkRecordedHeads(heads: readonly RecordedHead[]): void {
    if (heads.length > 0) this.compare(heads, readHeadRecord(this.dir)?.acceptedAt);
  }

  private compare(heads: readonly RecordedHead[], acceptedAt: string | undefined): void {
    const findings = compareRecordedHeads(this.reader, heads, acceptedAt);
    if (this.writer !== undefined && findings.length > 0) {
      try {
        recordLosses(this.db as WritableDB, findings, this.clock());
      } catch {
        // Not recorded (a full disk): still reported and still refusing writes, from memory.
      }
    }
    this.records = readLosses(this.db);
    const known = new Set([...this.records.map(findingKey), ...this.unrecorded.map(keyOf)]);
    for (const f of findings) {
      if (known.has(keyOf(f))) continue;
      known.add(keyOf(f));
      this.unrecorded.push(f);
    }
  }

  /** The losses not acknowledged yet, as problems (verify and every command report them). */
  get problems(): OpenProblem[] {
    return [
      ...this.records.filter((r) => r.acknowledgedAt === null).map((r) => ({ code: r.code, position: r.position, message: r.message })),
      ...this.unrecorded.map((f) => ({ code: f.code, position: f.position, message: f.message })),
    ];
  }

  /** Every loss recorded in the store, acknowledged or not, oldest first. */
  losses(): LossRecord[] {
    return [...this.records];
  }

  /** INTEGRITY_VIOLATION naming the loss while one is unacknowledged: no write may bury its evidence. */
  requireIntact(): void {
    if (this.problems.length === 0) return;
    // Acknowledged meanwhile by another process (the CLI beside the console)?
    if (this.unrecorded.length === 0) this.records = readLosses(this.db);
    const problems = this.problems;
    if (problems.length === 0) return;
    const name = basename(this.dir);
    throw new ConsoleError(
      'INTEGRITY_VIOLATION',
      // The problem's own remedy is left out of its message: the sentence after it says what to run.
      `writes to ${this.dir} are refused: ${problems[0]!.message.replace(`; ${LOSS_REMEDY}`, '')}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}. ` +
        `Restore it from a backup, or acknowledge the loss: pconsole acknowledge-loss ${this.dir} --confirm ${name}`,
      { losses: problems },
    );
  }

  /**
   * The admin accepts the log as it is: every unacknowledged loss is marked acknowledged (by whom, when;
   * the records stay), and head.json is set to the log's head with `acceptedAt` now, so the heads that
   * described the lost history are not held against the log again. Returns the losses acknowledged.
   */
  acknowledge(by: string): LossRecord[] {
    if (this.writer === undefined) throw new ConsoleError('STORE_LOCKED', `${this.dir} is open read-only`);
    // Nothing to acknowledge changes nothing: a new `acceptedAt` would set aside every head recorded before
    // it (the backup catalog's, the views'), so a later rollback to before it would go unnoticed.
    if (this.unrecorded.length === 0) this.records = readLosses(this.db);
    if (this.problems.length === 0) return [];
    const head = this.reader.readHead();
    writeHeadRecordSync(this.dir, head.position, head.hash, new Date(this.clock()));
    this.recorder?.reopen();
    // Found but never recorded (the disk was full at open): recorded now, then acknowledged with the rest.
    recordLosses(this.db as WritableDB, this.unrecorded, this.clock());
    this.unrecorded = [];
    const acknowledged = acknowledgeLosses(this.db as WritableDB, by, this.clock());
    this.records = readLosses(this.db);
    return acknowledged;
  }

  onWarning(listener: (warning: StoreWarning) => void): () => void {
    this.emitter.on('warning', listener);
    return () => this.emitter.off('warning', listener);
  }

  /**
   * After a commit, before it is acknowledged: head.json set to the log's head, read under the write lock so
   * that no other process's later head is lowered (`committed` is this commit's, for when another process
   * holds the lock: it then records at least as much itself). Never throws: the commit stands either way.
   */
  recordHead(committed: { readonly position: number; readonly hash: string }, sync = false): void {
    if (this.recorder === undefined) return;
    const failed = this.tryRecordHead(committed, sync);
    if (failed === undefined) {
      this.failure = undefined;
      if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      return;
    }
    this.owe(committed.position, failed);
  }

  /** Writes head.json; the reason when it could not be written. */
  private tryRecordHead(committed: { readonly position: number; readonly hash: string }, sync: boolean): string | undefined {
    const recorder = this.recorder!;
    try {
      let head = committed;
      let recorded: number;
      try {
        [recorded, head] = this.writer!.underWriteLock((h) => [recorder.write(h.position, h.hash, sync), h] as const);
      } catch (error) {
        if (!(error instanceof ConsoleError && error.code === 'BUSY')) throw error;
        recorded = recorder.write(committed.position, committed.hash, sync);
      }
      this.written = Math.max(this.written, head.position);
      if (sync) this.flushed = Math.max(this.flushed, head.position);
      if (recorded > head.position && !this.aheadWarned) {
        this.aheadWarned = true;
        this.warn({
          code: 'HEAD_REGRESSION',
          message: `head.json records position ${recorded} but the log's head is ${head.position}: events after ${head.position} were lost while the store was open; run pconsole verify`,
        });
      }
      return undefined;
    } catch (error) {
      return toErrorInfo(error).message;
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.failure !== undefined) this.recordHead(this.reader.readHead());
    }, HEAD_RETRY_MS);
    this.retryTimer.unref();
  }

  /**
   * Resolves once head.json on the disk holds `position` (or its flush failed, which is a warning: the
   * commit stands). Flushes start at once; one serves every commit written before it starts.
   */
  durable(position: number): Promise<void> {
    if (this.recorder === undefined || this.closed || position <= this.flushed) return Promise.resolve();
    // Its head record could not even be written (owe() said so): no flush will ever cover it, and nobody is
    // kept waiting for a disk that fails; without this the append never answered (INTERNAL, though committed).
    if (this.failure !== undefined && position > this.written) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.waiters.push({ position, resolve });
      this.startFlush();
    });
  }

  /** head.json flushed within BACKGROUND_FLUSH_MS, nobody waiting for it (durability `full`). */
  flushSoon(): void {
    if (this.recorder === undefined || this.closed || this.flushTimer !== undefined || this.flushing !== undefined) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.startFlush();
    }, BACKGROUND_FLUSH_MS);
    this.flushTimer.unref();
  }

  /** Resolves once no flush of head.json is in flight (whoever renames the store's folder waits for this). */
  async settled(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
  }

  private startFlush(): void {
    if (this.flushing !== undefined || this.closed) return;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const target = this.written;
    if (target <= this.flushed) return this.release();
    this.flushing = this.recorder!.flush()
      .then(
        () => {
          this.flushed = Math.max(this.flushed, target);
        },
        (error: unknown) => {
          // Nobody is kept waiting for a disk that fails: the commits stand, and what is owed is said.
          this.flushed = Math.max(this.flushed, target);
          if (this.closed) return;
          this.owe(target, toErrorInfo(error).message);
        },
      )
      .finally(() => {
        this.flushing = undefined;
        this.release();
        if (this.waiters.length > 0) this.startFlush();
        else if (this.written > this.flushed) this.flushSoon();
      });
  }

  private release(): void {
    const ready = this.waiters.filter((w) => w.position <= this.flushed);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.position > this.flushed);
    for (const w of ready) w.resolve();
  }

  /** A head record that did not reach the disk: a warning (once per failure), retried, and again at close. */
  private owe(position: number, reason: string): void {
    if (this.failure === undefined)
      this.warn({
        code: 'HEAD_RECORD_NOT_WRITTEN',
        message:
          `committed up to position ${position}, but head.json could not be written (${reason}): ` +
          `until it is, a loss of these events would go unnoticed. It is written again with the next commit and when the store closes`,
      });
    this.failure = reason;
    this.scheduleRetry();
  }

  /** At close: a head record still owed is tried once more; a failure is a warning, never an error. */
  close(): void {
    if (this.closed) return;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.retryTimer = this.flushTimer = undefined;
    if (this.recorder !== undefined && (this.failure !== undefined || this.written > this.flushed)) {
      const failed = this.tryRecordHead(this.reader.readHead(), true);
      this.failure = failed;
      if (failed !== undefined) this.warn({ code: 'HEAD_RECORD_NOT_WRITTEN', message: `head.json could still not be written when the store closed (${failed})` });
    }
    this.closed = true;
    this.recorder?.close();
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private warn(warning: StoreWarning): void {
    this.emitter.emit('warning', warning);
  }
}

function keyOf(f: HeadFinding): string {
  return findingKey({ code: f.code, source: f.recorded.source, recordedPosition: f.recorded.position, recordedHash: f.recorded.hash });
}
