import { ConsoleError } from '../../shared/errors.js';
import type { AppendResult } from '../../shared/events.js';
import type { CommittedGroup, EventWriter, PreparedAppend } from './writer.js';

interface Waiting {
  readonly append: PreparedAppend;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
  readonly enqueuedAt: number;
}

export interface CommitQueueOptions {
  /** Upper bound of events per shared transaction, so one flush never blocks the loop for long. */
  readonly maxEventsPerGroup?: number;
  /** Waiting for another process's write lock happens here, between event-loop turns, not inside SQLite. */
  readonly busyRetryMs?: number;
  readonly busyDeadlineMs?: number;
}

/**
 * Group commit. Appends that arrive while the loop is busy wait for the next turn and are committed
 * together in one transaction: one fsync serves all of them, and each still succeeds or fails on its
 * own (see EventWriter). A lone append waits one `setImmediate`, a few microseconds.
 */
export class CommitQueue {
  private waiting: Waiting[] = [];
  private scheduled = false;
  private readonly maxEvents: number;
  private readonly busyRetryMs: number;
  private readonly busyDeadlineMs: number;

  constructor(
    private readonly writer: EventWriter,
    /** Runs before the group's appends are answered; the answers wait for what it returns (the head on disk). */
    private readonly onCommitted: (group: CommittedGroup) => Promise<void> | void,
    options: CommitQueueOptions = {},
  ) {
    this.maxEvents = options.maxEventsPerGroup ?? 10_000;
    this.busyRetryMs = options.busyRetryMs ?? 5;
    this.busyDeadlineMs = options.busyDeadlineMs ?? 5_000;
  }

  enqueue(append: PreparedAppend): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.waiting.push({ append, resolve, reject, enqueuedAt: Date.now() });
      this.schedule(0);
    });
  }

  get size(): number {
    return this.waiting.length;
  }

  private schedule(delayMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (delayMs === 0) setImmediate(() => this.flush());
    else setTimeout(() => this.flush(), delayMs);
  }

  private flush(): void {
    this.scheduled = false;
    if (this.waiting.length === 0) return;
    let events = 0;
    let take = 0;
    while (take < this.waiting.length && (take === 0 || events + this.waiting[take]!.append.events.length <= this.maxEvents)) {
      events += this.waiting[take]!.append.events.length;
      take++;
    }
    const batch = this.waiting.slice(0, take);
    let group: CommittedGroup;
    try {
      group = this.writer.commitGroup(batch.map((w) => w.append));
    } catch (error) {
      if (error instanceof ConsoleError && error.code === 'BUSY') {
        const now = Date.now();
        const expired = batch.filter((w) => now - w.enqueuedAt >= this.busyDeadlineMs);
        if (expired.length > 0) {
          this.waiting = this.waiting.filter((w) => !expired.includes(w));
          for (const w of expired) w.reject(error);
        }
        this.schedule(this.busyRetryMs);
        return;
      }
      this.waiting.splice(0, take);
      for (const w of batch) w.reject(error);
      this.schedule(0);
      return;
    }
    this.waiting.splice(0, take);
    const answer = (): void =>
      batch.forEach((w, i) => {
        const result = group.results[i]!;
        if (result instanceof ConsoleError) w.reject(result);
        else w.resolve(result);
      });
    let recorded: Promise<void> | void = undefined;
    try {
      // First: the head record is written before anyone is told the append is done (issue 9, class 5).
      if (group.written > 0) recorded = this.onCommitted(group);
    } finally {
      // The next group commits meanwhile: a head record reaching the disk never holds up the log.
      if (recorded === undefined) answer();
      else void recorded.then(answer, answer);
      if (this.waiting.length > 0) this.schedule(0);
    }
  }

  /** Rejects whatever is still waiting (the store is closing). */
  drainWithError(error: ConsoleError): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w.reject(error);
  }
}
