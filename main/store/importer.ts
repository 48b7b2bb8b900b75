import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { hash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync, unlinkSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ConsoleError, toErrorInfo } from '../../shared/errors.js';
import { GENESIS_HASH } from '../../shared/events.js';
import { importLineSchema, MAX_IMPORT_LINE_BYTES, type ImportLine } from '../../shared/importLine.js';
import { JsonTextError, parseJsonText } from '../../shared/json.js';
import { ChainChecker } from './chainChecker.js';
import { readBoundedLines } from './lineReader.js';
import { openScratch } from '../platform/index.js';
import type { EventStore } from './eventStore.js';
import { prepareEvent, type PreparedAppend } from './writer.js';

export interface ImportProgress {
  readonly phase: 'checking' | 'importing';
  readonly lines: number;
  readonly bytes: number;
  /** Total bytes when known (a file); null for a pipe during the checking pass. */
  readonly totalBytes: number | null;
}

export interface ImportResult {
  readonly imported: number;
  readonly skipped: number;
  readonly headPosition: number;
}

export interface ImportOptions {
  readonly batchSize?: number;
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Asked between lines while checking and between batches while writing. */
  readonly isCancelled?: () => boolean;
}

export type ImportSource = { readonly path: string } | { readonly stream: Readable };

/**
 * Imports NDJSON events in two passes so that bad input never leaves a half-imported store: the first
 * pass parses and checks every line (and, for exported events, the hash chain from the store's head);
 * the second writes in batches of `batchSize` lines, one transaction each. A pipe is spooled to a
 * temporary file in the store folder during the first pass. Memory holds one batch at a time.
 */
export async function importNdjson(store: EventStore, source: ImportSource, options: ImportOptions = {}): Promise<ImportResult> {
  const batchSize = options.batchSize ?? 1000;
  let path: string;
  let spool: string | undefined;
  if ('path' in source) {
    path = source.path;
    let isFile: boolean;
    try {
      isFile = statSync(path).isFile();
    } catch {
      throw new ConsoleError('NOT_FOUND', `cannot read ${path}: no such file`);
    }
    if (!isFile) throw new ConsoleError('INVALID_INPUT', `cannot import ${path}: it is not a file (a folder or a device); name an NDJSON file, or - for standard input`, { path });
  } else {
    spool = join(store.dir, `import-${process.pid}-${Date.now()}.ndjson.tmp`);
    path = spool;
  }
  try {
    const lines = await checkPass(store, source, spool, options.onProgress, options.isCancelled);
    return await writePass(store, path, lines, batchSize, options.onProgress, options.isCancelled);
  } finally {
    if (spool !== undefined) {
      try {
        unlinkSync(spool);
      } catch {
        /* never created */
      }
    }
  }
}

export function parseImportLine(text: string, lineNumber: number): ImportLine {
  let json: unknown;
  try {
    json = parseJsonText(text);
  } catch (error) {
    const why = error instanceof JsonTextError && error.reason === 'depth' ? (error as Error).message : `malformed JSON (${(error as Error).message})`;
    throw new ConsoleError('INVALID_INPUT', `line ${lineNumber}: ${why}`, { line: lineNumber });
  }
  const parsed = importLineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new ConsoleError('INVALID_INPUT', `line ${lineNumber}: ${field}${issue.message}`, { line: lineNumber });
  }
  // The line's own data and metadata objects (the schema validated them): the parsed copies lose a
  // top-level "__proto__" key, which is data like any other key and is part of an exported event's hash.
  const raw = json as { data: Record<string, unknown>; metadata?: Record<string, unknown> };
  return { ...parsed.data, data: raw.data, ...(raw.metadata === undefined ? {} : { metadata: raw.metadata }) };
}

function toPrepared(line: ImportLine): PreparedAppend {
  const event = prepareEvent(line.type, line.data, line.metadata, line.eventId);
  const recordedAt = line.recordedAt === undefined ? undefined : typeof line.recordedAt === 'number' ? line.recordedAt : Date.parse(line.recordedAt);
  const expected =
    line.globalPosition !== undefined ? { globalPosition: line.globalPosition, streamVersion: line.streamVersion!, hash: line.hash! } : undefined;
  return {
    streamId: line.streamId,
    expectedVersion: 'any',
    mode: 'import',
    events: [{ ...event, ...(recordedAt === undefined ? {} : { recordedAt }), ...(expected === undefined ? {} : { expected }) }],
  };
}

/** The file's lines, bounded in length and strictly UTF-8 (lineReader.ts): a bad line is refused by number. */
function readLines(input: Readable, onBytes: (bytes: number) => void, spool?: WriteStream): AsyncGenerator<string> {
  return readBoundedLines(input, { maxLineBytes: MAX_IMPORT_LINE_BYTES, onBytes, spool });
}

async function checkPass(
  store: EventStore,
  source: ImportSource,
  spoolPath: string | undefined,
  onProgress: ImportOptions['onProgress'],
  isCancelled: ImportOptions['isCancelled'],
): Promise<number> {
  const input = 'path' in source ? createReadStream(source.path) : source.stream;
  const totalBytes = 'path' in source ? statSync(source.path).size : null;
  const spool = spoolPath === undefined ? undefined : createWriteStream(spoolPath, { flags: 'wx' });
  // A spool that cannot be written (a full disk) fails the pass; caught here whenever it happens, so that
  // it is never an uncaught 'error' nor a wait for a 'close' that already came.
  let spoolError: unknown;
  spool?.on('error', (error) => (spoolError ??= error));
  const head = store.head();
  let chain: ChainChecker | undefined;
  let newEvents = 0;
  const fileIds = new FileIds();
  let bytes = 0;
  let lineNumber = 0;
  let counted = 0;
  try {
    for await (const text of readLines(input, (n) => (bytes += n), spool)) {
      lineNumber++;
      if (text.trim() === '') continue;
      const line = parseImportLine(text, lineNumber);
      counted++;
      if (line.globalPosition !== undefined) {
        if (newEvents > 0)
          throw new ConsoleError('INVALID_INPUT', `line ${lineNumber}: an exported event after new events; import them from separate files`, { line: lineNumber });
        // Exported events: the chain must continue from this store's head, position by position. Events
        // at or below the head are a re-import: they must be the very events this store has there.
        chain ??= chainFrom(store, Math.min(line.globalPosition - 1, head.position), head, lineNumber);
        const problems = chain.next({
          globalPosition: line.globalPosition,
          eventId: line.eventId!,
          streamId: line.streamId,
          streamVersion: line.streamVersion!,
          type: line.type,
          data: JSON.stringify(line.data),
          metadata: JSON.stringify(line.metadata ?? {}),
          recordedAt: typeof line.recordedAt === 'number' ? line.recordedAt : Date.parse(line.recordedAt!),
          hash: line.hash!,
        });
        if (problems !== undefined) {
          const first = problems[0]!;
          const hint =
            first.code === 'POSITION_GAP' && counted === 1
              ? ` (this store's head is ${head.position}; an export must be imported into a store whose head is just before its first event)`
              : '';
          throw new ConsoleError('INTEGRITY_VIOLATION', `line ${lineNumber}: ${first.message}${hint}`, { line: lineNumber, position: first.position });
        }
        if (line.globalPosition <= head.position) {
          const here = store.reader.eventAt(line.globalPosition);
          if (here === undefined || here.hash !== line.hash)
            throw new ConsoleError(
              'INTEGRITY_VIOLATION',
              `line ${lineNumber}: this store already has another event at position ${line.globalPosition}: an export imports only into an empty store, ` +
                `a store whose head is just before its first event, or the store it came from (where it is skipped)`,
              { line: lineNumber, position: line.globalPosition },
            );
        }
      } else if (chain !== undefined) {
        throw new ConsoleError('INVALID_INPUT', `line ${lineNumber}: a new event after exported events; import them from separate files`, { line: lineNumber });
      } else newEvents++;
      if (line.eventId !== undefined && line.globalPosition === undefined) {
        // The same id twice in the file with other content would fail only when its batch is written,
        // after earlier batches were committed: find it now. (Exported events are held by their chain.)
        const earlier = fileIds.remember(line, lineNumber);
        if (earlier !== undefined)
          throw new ConsoleError('DUPLICATE_EVENT_ID', `line ${lineNumber}: event id ${line.eventId} already appears on line ${earlier} with different content`, {
            line: lineNumber,
            eventId: line.eventId,
          });
      }
      if (line.eventId !== undefined) {
        const existing = store.reader.eventById(line.eventId);
        if (
          existing !== undefined &&
          (existing.streamId !== line.streamId ||
            existing.type !== line.type ||
            existing.data !== JSON.stringify(line.data) ||
            existing.metadata !== JSON.stringify(line.metadata ?? {}))
        ) {
          throw new ConsoleError('DUPLICATE_EVENT_ID', `line ${lineNumber}: event id ${line.eventId} already exists at position ${existing.globalPosition} with different content`, {
            line: lineNumber,
            eventId: line.eventId,
          });
        }
      }
      if ((counted & 0x3ff) === 0) {
        onProgress?.({ phase: 'checking', lines: counted, bytes, totalBytes });
        if (isCancelled?.() === true) throw new ConsoleError('CANCELLED', `the import was cancelled while checking line ${counted.toLocaleString('en-US')}: nothing was imported`);
      }
    }
    onProgress?.({ phase: 'checking', lines: counted, bytes, totalBytes });
  } catch (error) {
    throw spoolError === undefined ? error : spoolFailure(spoolError, spoolPath!);
  } finally {
    fileIds.close();
    if (spool !== undefined && !spool.closed) {
      spool.end();
      await once(spool, 'close').catch(() => undefined);
    }
  }
  if (spoolError !== undefined) throw spoolFailure(spoolError, spoolPath!);
  return counted;
}

/** Standard input could not be copied to the spool: nothing was imported (the write pass has not begun). */
function spoolFailure(error: unknown, spoolPath: string): ConsoleError {
  const info = toErrorInfo(error);
  const reason = info.code === 'DISK_FULL' ? 'the disk holding the store is full' : info.message;
  return new ConsoleError(info.code === 'INTERNAL' ? 'IO_ERROR' : info.code, `cannot spool standard input to ${spoolPath}: ${reason}; nothing was imported`, { ...info.details, spool: spoolPath });
}

/**
 * The caller-chosen event ids of an import file with a fingerprint of their content, kept in a scratch
 * database on disk (opened at the first id) so that memory stays bounded however many lines have ids.
 */
class FileIds {
  private db: Database.Database | undefined;
  private select: Statement<[string], { fingerprint: string; line: number }> | undefined;
  private insert: Statement<[string, string, number]> | undefined;

  /** Remembers the id of `line`; returns the earlier line that had the same id with other content. */
  remember(line: ImportLine, lineNumber: number): number | undefined {
    if (this.db === undefined) {
      this.db = openScratch();
      // One transaction for the whole pass (never committed: the file is scratch): no per-row commit cost.
      this.db.exec('BEGIN; CREATE TABLE ids (id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, line INTEGER NOT NULL) WITHOUT ROWID');
      this.select = this.db.prepare('SELECT fingerprint, line FROM ids WHERE id = ?');
      this.insert = this.db.prepare('INSERT INTO ids (id, fingerprint, line) VALUES (?, ?, ?)');
    }
    const fingerprint = hash('sha256', `${line.streamId}\n${line.type}\n${JSON.stringify(line.metadata ?? {})}\n${JSON.stringify(line.data)}`, 'base64');
    const earlier = this.select!.get(line.eventId!);
    if (earlier === undefined) {
      this.insert!.run(line.eventId!, fingerprint, lineNumber);
      return undefined;
    }
    return earlier.fingerprint === fingerprint ? undefined : earlier.line;
  }

  close(): void {
    this.db?.close();
  }
}

/** A chain checker that continues from `position` of this store (its head, or an earlier event for a re-import). */
function chainFrom(store: EventStore, position: number, head: { position: number; hash: string }, lineNumber: number): ChainChecker {
  if (position === head.position) return new ChainChecker(head.position, head.hash);
  if (position === 0) return new ChainChecker(0, GENESIS_HASH);
  const event = store.reader.eventAt(position);
  if (event === undefined)
    throw new ConsoleError('INTEGRITY_VIOLATION', `line ${lineNumber}: this store has no event at position ${position}: run pconsole verify`, {
      line: lineNumber,
      position,
    });
  return new ChainChecker(position, event.hash);
}

async function writePass(
  store: EventStore,
  path: string,
  lines: number,
  batchSize: number,
  onProgress: ImportOptions['onProgress'],
  isCancelled: ImportOptions['isCancelled'],
): Promise<ImportResult> {
  const totalBytes = statSync(path).size;
  let bytes = 0;
  let lineNumber = 0;
  let done = 0;
  let imported = 0;
  let batch: PreparedAppend[] = [];
  let headPosition = store.head().position;
  /** The line number in the file of the last line committed: a re-run starts after it. */
  let committedThrough = 0;
  const commit = () => {
    // Between batches: what was committed stays (a second run skips it), what was not is not written.
    if (isCancelled?.() === true)
      throw new ConsoleError(
        'CANCELLED',
        `the import was cancelled after the first ${done.toLocaleString('en-US')} of ${lines.toLocaleString('en-US')} lines were written (${imported.toLocaleString('en-US')} new events). ` +
          `Importing the file again skips the lines already in the store when they carry an eventId (exported events do); lines without one would be appended again: import only the lines after ${done.toLocaleString('en-US')}`,
        { imported, linesWritten: done, headPosition },
      );
    let group;
    try {
      group = store.commitAtomically(batch);
    } catch (error) {
      throw batchFailure(error, { done, lines, imported, headPosition, committedThrough });
    }
    imported += group.written;
    headPosition = group.headPosition;
    done += batch.length;
    committedThrough = lineNumber;
    batch = [];
    onProgress?.({ phase: 'importing', lines: done, bytes, totalBytes });
  };
  for await (const text of readLines(createReadStream(path), (n) => (bytes += n))) {
    lineNumber++;
    if (text.trim() === '') continue;
    batch.push(toPrepared(parseImportLine(text, lineNumber)));
    if (batch.length >= batchSize) commit();
  }
  if (batch.length > 0) commit();
  return { imported, skipped: lines - imported, headPosition };
}

/**
 * A batch that failed for a reason of the disk (full, I/O error) after earlier batches committed: the
 * caller must know what is in the store and where to start again (issue 9, class 2), not only that this
 * batch was not written. Other failures (a conflict found only now) pass through as they are.
 */
function batchFailure(
  error: unknown,
  progress: { readonly done: number; readonly lines: number; readonly imported: number; readonly headPosition: number; readonly committedThrough: number },
): unknown {
  const info = toErrorInfo(error);
  if (info.code !== 'DISK_FULL' && info.code !== 'IO_ERROR') return error;
  const { done, lines, imported, headPosition, committedThrough } = progress;
  const n = (v: number) => v.toLocaleString('en-US');
  const cause = info.code === 'DISK_FULL' ? 'the disk holding the store is full' : `the disk reported an I/O error (${info.message})`;
  const unknown = info.details?.outcome === 'unknown';
  const committed =
    done === 0
      ? unknown
        ? 'whether its first batch is in the log is unknown (read the head back)'
        : 'nothing of this import was written'
      : `the first ${n(done)} of ${n(lines)} lines are committed (${n(imported)} new events, head ${n(headPosition)}, through line ${n(committedThrough)} of the file)`;
  // An I/O error during the commit itself leaves that one batch's outcome unknown (writer.ts says which).
  const batch = unknown ? 'the batch after them may or may not be in the log (read the head back)' : 'the batch after them was not written';
  const rerun = done === 0 ? 'run the import again' : `import the lines from line ${n(committedThrough + 1)} on (lines with an eventId, as exported events have, are skipped if imported again)`;
  const fix = info.code === 'DISK_FULL' ? 'Free space' : 'When the disk is sound again';
  return new ConsoleError(info.code, `${cause}: ${committed}${done === 0 ? '' : `; ${batch}`}. ${fix}, then ${rerun}`, {
    ...info.details,
    linesWritten: done,
    imported,
    headPosition,
    committedThroughLine: committedThrough,
    ...(done === 0 ? {} : { resumeAtLine: committedThrough + 1 }),
  });
}
