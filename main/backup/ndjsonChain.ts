import { StringDecoder } from 'node:string_decoder';
import type { ArchiveProblem } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { ChainChecker } from '../store/index.js';
import { parseImportLine } from '../store/index.js';

const MAX_PROBLEMS = 100;
/** A line longer than any event can be (4 MiB of JSON plus the envelope) means the member is not ours. */
const MAX_LINE_BYTES = 5 * 1024 * 1024;

/**
 * Checks an incremental archive's events.ndjson as it streams: every line an exported event (§6b), the
 * positions continuing from the archive's fromPosition and each hash following from the one before,
 * starting at fromHash — the same rules `pconsole import` applies, so what verifies here imports there.
 */
export class NdjsonChainCheck {
  private readonly chain: ChainChecker;
  private pending = '';
  /** Pieces split anywhere, also inside a multi-byte UTF-8 character: the decoder keeps the partial bytes. */
  private readonly decoder = new StringDecoder('utf8');
  private line = 0;
  readonly problems: ArchiveProblem[] = [];

  constructor(fromPosition: number, fromHash: string) {
    this.chain = new ChainChecker(fromPosition, fromHash);
  }

  get checked(): number {
    return this.chain.checked;
  }

  get lastPosition(): number {
    return this.chain.position;
  }

  get lastHash(): string {
    return this.chain.hash;
  }

  private add(code: ArchiveProblem['code'], message: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ code, member: 'events.ndjson', check: 'chain', message });
  }

  write(piece: Buffer): void {
    const text = this.pending + this.decoder.write(piece);
    const lines = text.split('\n');
    this.pending = lines.pop()!;
    if (this.pending.length > MAX_LINE_BYTES) throw new ConsoleError('ARCHIVE_CORRUPT', `events.ndjson line ${this.line + 1} is longer than any event`);
    for (const l of lines) this.checkLine(l);
  }

  end(): void {
    this.pending += this.decoder.end();
    if (this.pending !== '') {
      this.add('ARCHIVE_CORRUPT', `events.ndjson does not end with a newline (line ${this.line + 1} is cut short)`);
      this.checkLine(this.pending);
      this.pending = '';
    }
  }

  private checkLine(text: string): void {
    this.line++;
    if (this.problems.length >= MAX_PROBLEMS) return;
    let line;
    try {
      line = parseImportLine(text, this.line);
    } catch (error) {
      this.add('ARCHIVE_CORRUPT', `events.ndjson ${(error as Error).message}`);
      return;
    }
    if (line.globalPosition === undefined || line.eventId === undefined || line.streamVersion === undefined || line.hash === undefined || line.recordedAt === undefined) {
      this.add('ARCHIVE_CORRUPT', `events.ndjson line ${this.line} is not an exported event (globalPosition, eventId, streamVersion, recordedAt and hash are required)`);
      return;
    }
    const found = this.chain.next({
      globalPosition: line.globalPosition,
      eventId: line.eventId,
      streamId: line.streamId,
      streamVersion: line.streamVersion,
      type: line.type,
      data: JSON.stringify(line.data),
      metadata: JSON.stringify(line.metadata ?? {}),
      recordedAt: typeof line.recordedAt === 'number' ? line.recordedAt : Date.parse(line.recordedAt),
      hash: line.hash,
    });
    for (const p of found ?? []) this.add('INTEGRITY_VIOLATION', `events.ndjson line ${this.line}: ${p.message}`);
  }
}
