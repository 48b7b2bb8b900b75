import { rmSync } from 'node:fs';
import { ConsoleError } from '../../shared/errors.js';
import { join } from 'node:path';
import type { EventRateRange } from '../../shared/api/contract.js';
import type { EventRateSeries, EventTypeCount } from '../../shared/api/types.js';
import { isSqliteCorruption, openWritable, type WritableDB } from '../platform/index.js';
import type { EventStore } from '../store/index.js';
import { VIEWS_DB } from '../store/index.js';
import { runMigrations } from '../store/index.js';
import { viewsMigrations } from '../store/index.js';
import { FIRST_TIME_REGRESSION, MINUTE, PROJECTION, readCheckpoint, RECORDED_AT_MAX, ViewsProjector } from './viewsProjector.js';
import type { ViewsWorkerData, ViewsWorkerMessage, ViewsWorkerRequest } from './viewsWorkerProtocol.js';
import { startWorker, workerEntry } from '../platform/index.js';

const RANGES: Readonly<Record<EventRateRange, { spanMs: number; bucketMs: number }>> = {
  '15m': { spanMs: 15 * MINUTE, bucketMs: MINUTE },
  '1h': { spanMs: 60 * MINUTE, bucketMs: MINUTE },
  '24h': { spanMs: 24 * 60 * MINUTE, bucketMs: 15 * MINUTE },
  '7d': { spanMs: 7 * 24 * 60 * MINUTE, bucketMs: 60 * MINUTE },
};

export interface ViewsStatus {
  readonly position: number;
  readonly lag: number;
  /** Set when the checkpoint did not match the log and the views were rebuilt. */
  readonly rebuiltBecause: string | null;
}

export interface ConsoleViewsOptions {
  /** Events per step (one views.db transaction) in the worker. */
  readonly stepSize?: number;
  /** The better-sqlite3 addon for the worker to load (Electron's build, inside Electron). */
  readonly nativeBinding?: string;
  /** Catch up on the calling thread in steps of a few ms instead of in a worker thread. */
  readonly inProcess?: boolean;
}

/** What moves the views forward: a worker thread, or steps on this thread. */
interface Updater {
  wake(): void;
  close(): void;
}

function openAndMigrate(path: string): WritableDB {
  const db = openWritable(path, { durability: 'normal', busyTimeoutMs: 50 });
  try {
    runMigrations(db, viewsMigrations, VIEWS_DB);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * views.db holds only what the log can rebuild: a damaged one is deleted and built again from the log, so a
 * bad read model never keeps the store (and the console) from opening.
 */
function openViewsDb(storeDir: string): { db: WritableDB; rebuiltBecause: string | null } {
  const path = join(storeDir, VIEWS_DB);
  try {
    return { db: openAndMigrate(path), rebuiltBecause: null };
  } catch (error) {
    // openWritable reports a damaged file as INTEGRITY_VIOLATION; a later read throws SQLite's own error.
    const damaged = isSqliteCorruption(error) || (error instanceof ConsoleError && error.code === 'INTEGRITY_VIOLATION');
    if (!damaged) throw error;
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    const reason = `${VIEWS_DB} was damaged (${(error as Error).message}): it was deleted and is being rebuilt from the log`;
    process.stderr.write(`${reason}\n`);
    return { db: openAndMigrate(path), rebuiltBecause: reason };
  }
}

/** Steps on the main thread are sized to last about this long, so the loop stays responsive. */
const IN_PROCESS_STEP_MS = 4;
/** The views worker's nice value: catching up yields the CPU to the console and its users. */
const WORKER_NICENESS = 19;
/**
 * A store opened more than this many events ahead of its views (after an import or a restore) starts
 * catching up after STARTUP_GRACE_MS: the window is loading the first screen then, and on a small machine
 * a million-event catch-up beside it costs that screen a third of a second or more (measured on 2 cores).
 */
const STARTUP_GRACE_AFTER = 50_000;
const STARTUP_GRACE_MS = 2000;

/**
 * The console's own read models in views.db, kept by tailing the log: events per minute (Overview's
 * chart), event types with counts (filters), and correlation/causation links (event detail). The main
 * thread only reads them; a worker thread (ViewsProjector in viewsWorker.ts) catches them up, so a
 * store opened a million events behind costs the main loop nothing. Where the worker cannot start (no
 * SQLite addon it can load), the same projector runs here in steps of a few milliseconds.
 */
export class ConsoleViews {
  private readonly db: WritableDB;
  private position = 0;
  private rebuiltBecause: string | null = null;
  private closed = false;
  private updater: Updater;
  private readonly stopListening: () => void;

  constructor(
    private readonly store: EventStore,
    private readonly options: ConsoleViewsOptions = {},
  ) {
    const opened = openViewsDb(store.dir);
    this.db = opened.db;
    this.rebuiltBecause = opened.rebuiltBecause;
    // The projector checks the checkpoint against the log and starts again from zero if the log was
    // replaced; until it has, a checkpoint the log does not hold counts as nothing caught up.
    const checkpoint = readCheckpoint(this.db);
    this.position = checkpoint !== undefined && checkpoint.position > 0 && store.reader.eventAt(checkpoint.position)?.hash === checkpoint.hash ? checkpoint.position : 0;
    this.updater = options.inProcess === true ? this.inProcessUpdater() : this.workerUpdater();
    this.stopListening = store.onCommitted(() => this.catchUp());
  }

  status(): ViewsStatus {
    return { position: this.position, lag: Math.max(0, this.store.head().position - this.position), rebuiltBecause: this.rebuiltBecause };
  }

  /** The log has grown (or the store just opened): bring the views to its head, off the calling turn. */
  catchUp(): void {
    if (!this.closed) this.updater.wake();
  }

  eventRate(range: EventRateRange, now: number): EventRateSeries {
    const { spanMs, bucketMs } = RANGES[range];
    const to = Math.ceil(now / bucketMs) * bucketMs;
    const from = to - spanMs;
    const rows = this.db
      .prepare('SELECT CAST(minute * 60000 / ? AS INTEGER) * ? AS at, sum(events) AS events FROM event_rate WHERE minute >= ? AND minute < ? GROUP BY 1')
      .all(bucketMs, bucketMs, Math.floor(from / MINUTE), Math.ceil(to / MINUTE)) as Array<{ at: number; events: number }>;
    const byBucket = new Map(rows.map((r) => [r.at, r.events]));
    const buckets: Array<{ at: number; events: number }> = [];
    for (let at = from; at < to; at += bucketMs) buckets.push({ at, events: byBucket.get(at) ?? 0 });
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucketMs, buckets };
  }

  /** The streams counted by the views, and the position they are counted up to (null before the first step). */
  streamCount(): { streams: number; position: number } | null {
    const row = this.db
      .prepare("SELECT (SELECT value FROM view_counters WHERE name = 'streams') AS streams, (SELECT position FROM checkpoints WHERE projection = 'console') AS position")
      .get() as { streams: number | null; position: number | null };
    return row.position === null ? null : { streams: row.streams ?? 0, position: row.position };
  }

  /**
   * How far along the log (positions 1..n) event times are known never to go down, so a time can be found
   * there by bisection; 0 when unknown (views built before they tracked it, or not of this log).
   */
  timesInOrderTo(): number {
    const row = this.db
      .prepare(
        'SELECT position, hash, (SELECT value FROM view_counters WHERE name = ?) AS maxTime, (SELECT value FROM view_counters WHERE name = ?) AS regression FROM checkpoints WHERE projection = ?',
      )
      .get(RECORDED_AT_MAX, FIRST_TIME_REGRESSION, PROJECTION) as { position: number; hash: string; maxTime: number | null; regression: number | null } | undefined;
    if (row === undefined || row.maxTime === null || row.position === 0) return 0;
    // The counters describe the log the checkpoint was taken from: this one only if it holds that event.
    if (this.store.reader.eventAt(row.position)?.hash !== row.hash) return 0;
    return row.regression === null ? row.position : Math.min(row.position, row.regression - 1);
  }

  eventTypes(): EventTypeCount[] {
    return this.db.prepare('SELECT type, events, last_position AS lastPosition FROM event_types ORDER BY events DESC, type').all() as EventTypeCount[];
  }

  /** Positions of events linked by `kind` to `key` (e.g. all events of one correlation id). */
  linked(kind: 'correlation' | 'causation', key: string, limit: number): { positions: number[]; total: number } {
    const positions = (this.db.prepare('SELECT position FROM event_links WHERE kind = ? AND key = ? ORDER BY position LIMIT ?').all(kind, key, limit) as Array<{ position: number }>).map(
      (r) => r.position,
    );
    const total =
      positions.length < limit ? positions.length : (this.db.prepare('SELECT count(*) AS n FROM event_links WHERE kind = ? AND key = ?').get(kind, key) as { n: number }).n;
    return { positions, total };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    this.updater.close();
    this.db.close();
  }

  private checkpointed(position: number, rebuiltBecause: string | null): void {
    this.position = position;
    if (rebuiltBecause !== null) this.rebuiltBecause = rebuiltBecause;
  }

  private workerUpdater(): Updater {
    const data: ViewsWorkerData = {
      dir: this.store.dir,
      stepSize: this.options.stepSize ?? 5000,
      niceness: WORKER_NICENESS,
      nativeBinding: this.options.nativeBinding,
      behindAtOpen: Math.max(0, this.store.head().position - this.position),
      graceAfter: STARTUP_GRACE_AFTER,
      graceMs: STARTUP_GRACE_MS,
    };
    const worker = startWorker(workerUrl, data);
    worker.unref();
    let stopping = false;
    const fallBack = (reason: string) => {
      if (stopping || this.closed) return;
      stopping = true;
      process.stderr.write(`console views: the worker stopped (${reason}); catching up on the main thread instead\n`);
      void worker.terminate();
      this.updater = this.inProcessUpdater();
    };
    worker.on('message', (message: ViewsWorkerMessage) => {
      if (message.type === 'checkpoint') this.checkpointed(message.position, message.rebuiltBecause);
      else fallBack(`${message.error.code}: ${message.error.message}`);
    });
    worker.on('error', (error) => fallBack(error.message));
    worker.on('exit', (code) => fallBack(`exit code ${code}`));
    const post = (request: ViewsWorkerRequest) => {
      if (!stopping) worker.postMessage(request);
    };
    return {
      wake: () => post({ type: 'wake' }),
      close: () => {
        post({ type: 'stop' });
        stopping = true;
      },
    };
  }

  /** The projector on this thread's connections, in steps sized to last about IN_PROCESS_STEP_MS. */
  private inProcessUpdater(): Updater {
    let projector: ViewsProjector | undefined;
    let size = 200;
    let running = false;
    let stopped = false;
    const run = () => {
      if (stopped || this.closed) return;
      try {
        projector ??= new ViewsProjector(this.store.reader, this.db);
        if (projector.rebuiltBecause !== null) this.rebuiltBecause = projector.rebuiltBecause;
        const started = performance.now();
        const n = projector.step(size);
        const ms = performance.now() - started;
        size = Math.max(20, Math.min(5000, Math.round((size * IN_PROCESS_STEP_MS) / Math.max(ms, 0.5))));
        this.checkpointed(projector.checkpoint.position, null);
        if (n > 0) setImmediate(run);
        else running = false;
      } catch (error) {
        // The views are disposable: report, stop, and try again when the head next moves.
        running = false;
        process.stderr.write(`console views: catching up failed: ${(error as Error).message}\n`);
      }
    };
    const updater: Updater = {
      wake: () => {
        if (running) return;
        running = true;
        setImmediate(run);
      },
      close: () => {
        stopped = true;
      },
    };
    updater.wake();
    return updater;
  }
}

const workerUrl = workerEntry(import.meta.url, 'viewsWorker');

/** Brings a store's console views to the log's head now, on this thread (tools and benchmarks). */
export function catchUpViews(store: EventStore): void {
  const views = openWritable(join(store.dir, VIEWS_DB), { durability: 'normal', busyTimeoutMs: 1000 });
  try {
    runMigrations(views, viewsMigrations, VIEWS_DB);
    const projector = new ViewsProjector(store.reader, views);
    while (projector.step(5000) > 0);
  } finally {
    views.close();
  }
}
