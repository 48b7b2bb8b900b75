import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ConsoleError } from '../../shared/errors.js';
import { decodeUtf8, describeInvalidUtf8 } from '../../shared/utf8.js';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface LineReaderOptions {
  /** A line longer than this (without its line end) is refused as soon as it is seen, before the rest of it is read. */
  readonly maxLineBytes: number;
  /** Called with the size of each chunk read. */
  readonly onBytes?: (bytes: number) => void;
  /** Every line's bytes are copied here, each ending in "\n" (a pipe spooled for a second pass). */
  readonly spool?: WriteStream;
}

/**
 * The lines of an NDJSON stream, read with bounds: memory holds one line (at most `maxLineBytes`) and one
 * chunk, whatever the input (a line of gigabytes, /dev/zero). Lines end at "\n" or "\r\n"; the last line
 * needs no line end. Each line is decoded strictly: bytes that are not UTF-8 are INVALID_INPUT naming the
 * line and the byte, never turned into U+FFFD.
 */
export async function* readBoundedLines(input: Readable, options: LineReaderOptions): AsyncGenerator<string> {
  const { maxLineBytes, onBytes, spool } = options;
  let pieces: Buffer[] = [];
  let pending = 0;
  let lineNumber = 0;
  const tooLong = () =>
    new ConsoleError('INVALID_INPUT', `line ${lineNumber + 1} is longer than ${maxLineBytes.toLocaleString('en-US')} bytes: no event within the limits is that long`, {
      line: lineNumber + 1,
      maxLineBytes,
    });
  const finish = async (tail: Buffer): Promise<string> => {
    let bytes = pieces.length === 0 ? tail : Buffer.concat([...pieces, tail], pending + tail.length);
    pieces = [];
    pending = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length > maxLineBytes) throw tooLong();
    lineNumber++;
    const text = decodeUtf8(bytes);
    if (text === undefined) throw new ConsoleError('INVALID_INPUT', `line ${lineNumber}: ${describeInvalidUtf8(bytes)}`, { line: lineNumber });
    if (spool !== undefined) await writeToSpool(spool, bytes);
    return text;
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onBytes?.(buffer.length);
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE, start); end >= 0; end = buffer.indexOf(NEWLINE, start)) {
      // A "\r" before the "\n" is not part of the line, and may be all that takes it past the limit.
      if (pending + (end - start) > maxLineBytes + 1) throw tooLong();
      yield await finish(buffer.subarray(start, end));
      start = end + 1;
    }
    const rest = buffer.length - start;
    if (rest === 0) continue;
    if (pending + rest > maxLineBytes + 1) throw tooLong();
    // A copy: the stream may reuse the chunk's memory, and a slice would keep the whole chunk alive.
    pieces.push(Buffer.from(buffer.subarray(start)));
    pending += rest;
  }
  if (pending > 0) yield await finish(Buffer.alloc(0));
}

/**
 * Copies a line to the spool. A spool that failed (a full disk) never drains: its error is thrown here
 * rather than waited on, and `once` rejects on an error that comes while waiting for the drain.
 */
async function writeToSpool(spool: WriteStream, line: Buffer): Promise<void> {
  if (spool.errored !== null) throw spool.errored;
  if (!spool.write(Buffer.concat([line, Buffer.from([NEWLINE])]))) await once(spool, 'drain');
}
