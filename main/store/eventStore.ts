import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConsoleError } from '../../shared/errors.js';
import type { AppendRequest, AppendResult } from '../../shared/events.js';
import type { Durability, LossRecord, OpenProblem, StoreStats, StoreWarning } from '../../shared/store.js';
import {
  applyDurability,
  defineSetting,
  openReadable,
  openWritable,
  readSetting,
  TOOL_VERSION,
  translateSqliteError,
  uuidv7,
  writeSetting,
  writeSettingDefault,
  type ReadableDB,
  type WritableDB,
} from '../platform/index.js';
import { prepareAppend } from './appendRequest.js';
import { CommitQueue } from './commitQueue.js';
import { removeLeftovers } from './leftovers.js';
import { LogGuard } from './logGuard.js';
import { eventsMigrations } from './migrations/events/index.js';
import { checkSupportedVersion, runMigrations } from './migrations/runner.js';
import { viewsMigrations } from './migrations/views/index.js';
import { EventReader, type LogHead } from './reader.js';
import type { RecordedHead } from './recordedHeads.js';
import { completeInterruptedSwap } from './swapJournal.js';
import { EventWriter, type CommittedGroup, type PreparedAppend } from './writer.js';

export const EVENTS_DB = 'events.db';
export const VIEWS_DB = 'views.db';

export interface StoreOptions {
  /** Open without a writer: reads only, works while another process writes. */
  readonly readonly?: boolean;
  readonly clock?: () => number;
  /**
   * The SQLite busy timeout of the writer. The CLI waits inside SQLite (5 s); the console's main process
   * passes a few ms and lets the commit queue retry between loop turns instead of blocking.
   */
  readonly busyTimeoutMs?: number;
}

export type { OpenProblem, StoreStats } from '../../shared/store.js';

export interface CommittedNotice {
  readonly headPosition: number;
  readonly headHash: string;
  readonly written: number;
}

/**
 * A store: the folder, its events.db (the log, the source of truth) and views.db (disposable read models).
 * One instance per process owns the one writer connection; any number of processes may read.
 */
export class EventStore {
  readonly dir: string;
  readonly db: ReadableDB;
  readonly reader: EventReader;
  readonly storeId: string;
  readonly formatVersion: number;
  readonly createdAt: string;
  private readonly writer: EventWriter | undefined;
  private readonly queue: CommitQueue | undefined;
  private readonly guard: LogGuard;
  /** The level this connection runs at (set at open, changed by setDurability): it decides when appends are answered. */
  private durabilityLevel: Durability;
  private readonly emitter = new EventEmitter();
  private closed = false;

  private constructor(dir: string, db: ReadableDB, writable: boolean, readonly clock: () => number) {
    this.dir = dir;
    this.db = db;
    this.reader = new EventReader(db);
    const meta = readMeta(db);
    this.storeId = meta.get('store_id') ?? '';
    this.createdAt = meta.get('created_at') ?? '';
    this.formatVersion = db.pragma('user_version', { simple: true }) as number;
    this.durabilityLevel = readDurability(db);
    if (writable) {
      this.writer = new EventWriter(db as WritableDB, clock);
      this.queue = new CommitQueue(this.writer, (group) => {
        this.committed(group, false);
        // At `normal` the WAL is not on the disk yet: the answer waits for the head record that is.
        if (this.durabilityLevel === 'normal') return this.guard.durable(group.headPosition);
        this.guard.flushSoon();
      });
    }
    this.guard = new LogGuard(dir, db, this.reader, this.writer, clock, VIEWS_DB);
    this.emitter.setMaxListeners(0);
  }

  /** Creates a new store in `dir` (which must be absent or empty). */
  static create(dir: string, options: StoreOptions = {}): EventStore {
    const path = resolve(dir);
    completeInterruptedSwap(path); // a restore's swap cut short by a crash is finished or rolled back first
    if (existsSync(path)) {
      if (!statSync(path).isDirectory()) throw new ConsoleError('INVALID_INPUT', `${path} exists and is not a folder`);
      if (existsSync(join(path, EVENTS_DB))) throw new ConsoleError('INVALID_INPUT', `${path} is already a store`);
      if (readdirSync(path).length > 0) throw new ConsoleError('INVALID_INPUT', `${path} is not empty: a store needs a folder of its own`);
    }
    mkdirSync(path, { recursive: true });
    const clock = options.clock ?? Date.now;
    const db = openWritable(join(path, EVENTS_DB), { busyTimeoutMs: options.busyTimeoutMs });
    try {
      runMigrations(db, eventsMigrations, EVENTS_DB);
      const now = new Date(clock()).toISOString();
      const insert = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
      db.transaction(() => {
        insert.run('store_id', uuidv7(clock()));
        insert.run('created_at', now);
        insert.run('created_by', `persistence-console ${TOOL_VERSION}`);
        writeSettingDefault(db, DURABILITY_SETTING, 'full', clock());
      })();
      initViews(join(path, VIEWS_DB), options.busyTimeoutMs);
    } catch (error) {
      db.close();
      throw error;
    }
    return new EventStore(path, db, true, clock);
  }

  /** Opens an existing store; NOT_FOUND with the command to create one when there is none. */
  static open(dir: string, options: StoreOptions = {}): EventStore {
    const path = resolve(dir);
    completeInterruptedSwap(path); // a restore's swap cut short by a crash is finished or rolled back first
    removeLeftovers(path);
    const file = join(path, EVENTS_DB);
    if (!existsSync(file)) {
      refuseWithoutPermission(path, file);
      throw new ConsoleError(
        'NOT_FOUND',
        existsSync(path) ? `${path} is not a store (no ${EVENTS_DB}); create one with: pconsole init ${path}` : `no store at ${path}; create one with: pconsole init ${path}`,
        { path },
      );
    }
    // SQLite takes an empty file for a new database and would quietly make it a new, different store.
    if (statSync(file).size === 0 && !(existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0))
      throw new ConsoleError('INTEGRITY_VIOLATION', `${file} is empty (0 bytes): the store's data is gone; restore it from a backup`, { path: file });
    const clock = options.clock ?? Date.now;
    if (options.readonly) {
      const db = openReadable(file);
      try {
        checkSupportedVersion(db, eventsMigrations, EVENTS_DB);
        return new EventStore(path, db, false, clock);
      } catch (error) {
        db.close();
        throw translateSqliteError(error, `cannot open ${file}`);
      }
    }
    const db = openWritable(file, { busyTimeoutMs: options.busyTimeoutMs });
    try {
      runMigrations(db, eventsMigrations, EVENTS_DB);
      applyDurability(db, readDurability(db));
      if (!existsSync(join(path, VIEWS_DB))) initViews(join(path, VIEWS_DB), options.busyTimeoutMs);
      return new EventStore(path, db, true, clock);
    } catch (error) {
      db.close();
      throw translateSqliteError(error, `cannot open ${file}`);
    }
  }

  get writable(): boolean {
    return this.writer !== undefined;
  }

  /** Appends through the group-commit queue: concurrent callers share one transaction and one fsync. */
  append(request: AppendRequest): Promise<AppendResult> {
    const queue = this.requireQueue();
    this.guard.requireIntact();
    return queue.enqueue(prepareAppend(request));
  }

  /** Appends in a transaction of its own, now (CLI, scripts). */
  appendNow(request: AppendRequest): AppendResult {
    const writer = this.requireWriter();
    this.guard.requireIntact();
    const group = writer.commitGroup([prepareAppend(request)]);
    const result = group.results[0]!;
    if (result instanceof ConsoleError) throw result;
    if (group.written > 0) this.committedNow(group);
    return result;
  }

  /** Writes prepared appends in one transaction; any failure rolls all of them back (import). */
  commitAtomically(appends: readonly PreparedAppend[]): CommittedGroup {
    const writer = this.requireWriter();
    this.guard.requireIntact();
    const group = writer.commitGroup(appends, { atomic: true });
    if (group.written > 0) this.committedNow(group);
    return group;
  }

  head(): LogHead {
    return this.reader.readHead();
  }

  durability(): Durability {
    return readDurability(this.db);
  }

  setDurability(durability: Durability): void {
    const db = this.requireWritable();
    writeSetting(db, DURABILITY_SETTING, durability, this.clock());
    applyDurability(db, durability);
    this.durabilityLevel = durability;
  }

  /**
   * `knownStreams`: streams already counted up to a position (the console's views keep this count), so
   * only the streams begun since are counted here instead of the whole streams table.
   */
  stats(knownStreams?: { readonly streams: number; readonly position: number }): StoreStats {
    const head = this.reader.readHead();
    const streams =
      knownStreams !== undefined && knownStreams.position <= head.position && head.position - knownStreams.position <= 100_000
        ? knownStreams.streams + this.reader.countStreamsBegunAfter(knownStreams.position)
        : this.reader.countStreams();
    return {
      storeId: this.storeId,
      formatVersion: this.formatVersion,
      path: this.dir,
      createdAt: this.createdAt,
      events: head.position,
      streams,
      headPosition: head.position,
      headHash: head.hash,
      headRecordedAt: head.recordedAt === null ? null : new Date(head.recordedAt).toISOString(),
      sizeBytes: fileSize(join(this.dir, EVENTS_DB)),
      walBytes: fileSize(join(this.dir, EVENTS_DB + '-wal')),
      viewsBytes: fileSize(join(this.dir, VIEWS_DB)),
      durability: this.durability(),
    };
  }

  /** Called after every commit of this process (other processes are seen by LiveFeed polling). */
  onCommitted(listener: (notice: CommittedNotice) => void): () => void {
    this.emitter.on('committed', listener);
    return () => this.emitter.off('committed', listener);
  }

  /**
   * Losses of acknowledged events not acknowledged yet (DESIGN §5): the log is shorter than, or differs
   * from, a head recorded elsewhere (head.json, views.db checkpoints, and what the host adds: the newest
   * backup manifest). Writes are refused while there is one.
   */
  get openProblems(): readonly OpenProblem[] {
    return this.guard.problems;
  }

  /** INTEGRITY_VIOLATION naming the loss while one is unacknowledged (what every write checks first). */
  requireIntact(): void {
    this.guard.requireIntact();
  }

  /** Every loss recorded in this store (its integrity_losses), acknowledged or not, oldest first. */
  losses(): LossRecord[] {
    return this.guard.losses();
  }

  /** Heads recorded outside the store's folder (its backup catalog), compared with the log like its own. */
  checkRecordedHeads(heads: readonly RecordedHead[]): void {
    this.guard.checkRecordedHeads(heads);
  }

  /** An admin accepts the log as it is: the losses stay recorded, acknowledged by `by`; writes resume. */
  acknowledgeLosses(by: string): LossRecord[] {
    this.requireWriter();
    return this.guard.acknowledge(by);
  }

  /** What the store did not fail for but must be said (a head record that could not be written). */
  onWarning(listener: (warning: StoreWarning) => void): () => void {
    return this.guard.onWarning(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue?.drainWithError(new ConsoleError('CANCELLED', 'the store was closed before the append was written'));
    try {
      this.guard.close(); // never throws: a head record still owed is a warning
    } finally {
      this.db.close();
    }
  }

  /**
   * Resolves once no background flush of head.json is in flight (one may still be after close()): whoever
   * renames the store's folder or fsyncs it next (a restore finishing its store) waits for this first.
   */
  async headRecordSettled(): Promise<void> {
    await this.guard.settled();
  }

  /** A commit answered as soon as this returns (appendNow, import): at `normal`, with head.json flushed first. */
  private committedNow(group: CommittedGroup): void {
    const normal = this.durabilityLevel === 'normal';
    this.committed(group, normal);
    if (!normal) this.guard.flushSoon();
  }

  private committed(group: CommittedGroup, sync: boolean): void {
    this.guard.recordHead({ position: group.headPosition, hash: group.headHash }, sync);
    const notice: CommittedNotice = { headPosition: group.headPosition, headHash: group.headHash, written: group.written };
    this.emitter.emit('committed', notice);
  }

  private requireWriter(): EventWriter {
    if (this.closed) throw new ConsoleError('CANCELLED', 'the store is closed');
    if (this.writer === undefined) throw new ConsoleError('STORE_LOCKED', `${this.dir} is open read-only`);
    return this.writer;
  }

  private requireQueue(): CommitQueue {
    this.requireWriter();
    return this.queue!;
  }

  /** The writer connection, for the few main-process tables beside the log (audit, integrity checks). */
  writerDb(): WritableDB {
    return this.requireWritable();
  }

  private requireWritable(): WritableDB {
    this.requireWriter();
    return this.db as WritableDB;
  }
}

function initViews(path: string, busyTimeoutMs: number | undefined): void {
  const views = openWritable(path, { busyTimeoutMs, durability: 'normal' });
  try {
    runMigrations(views, viewsMigrations, VIEWS_DB);
  } finally {
    views.close();
  }
}

function readMeta(db: ReadableDB): Map<string, string> {
  const rows = db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>;
  return new Map(rows.map((r) => [r.key, r.value]));
}

/** The store's durability level (DESIGN §5): FULL unless lowered to NORMAL. */
const DURABILITY_SETTING = defineSetting<Durability>('durability', z.enum(['full', 'normal']));

function readDurability(db: ReadableDB): Durability {
  return readSetting(db, DURABILITY_SETTING) ?? 'full';
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** existsSync says false for a folder this user may not enter too: that is no missing store (issue 9, class 6). */
function refuseWithoutPermission(path: string, file: string): void {
  try {
    statSync(file);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'EACCES' || errno === 'EPERM')
      throw new ConsoleError('PERMISSION_DENIED', `cannot open the store at ${path}: permission denied (check the owner and mode of ${path} and of the folders above it)`, { path, errno });
  }
}
