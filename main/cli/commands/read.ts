import { EventStore } from '../../store/index.js';
import type { EventReader } from '../../store/index.js';
import { toEventJsonLine, type StoredEvent } from '../../store/index.js';
import { booleanOption, intOption, stringOption, type Command, type ParsedCommand } from '../command.js';
import type { Output } from '../output.js';

const PAGE = 1000;

export interface EventRange {
  readonly streamId: string | undefined;
  readonly from: number | undefined;
  readonly to: number | undefined;
  readonly limit: number;
  readonly backwards: boolean;
}

/**
 * Pages through the events a range selects, in order, without holding more than one page. `from` and
 * `to` are inclusive global positions for the whole log and for one stream alike (DESIGN §6).
 */
export function* selectEvents(reader: EventReader, range: EventRange): Generator<StoredEvent[]> {
  let remaining = range.limit;
  const inRange = (e: StoredEvent) => (range.from === undefined || e.globalPosition >= range.from) && (range.to === undefined || e.globalPosition <= range.to);
  if (range.streamId === undefined) {
    let next = range.from ?? (range.backwards ? Number.MAX_SAFE_INTEGER : 1);
    while (remaining > 0) {
      const page = reader.readAll(next, Math.min(PAGE, remaining), range.backwards ? 'backwards' : 'forwards');
      const selected = range.backwards ? page : page.filter(inRange);
      if (selected.length > 0) yield selected;
      if (page.length < Math.min(PAGE, remaining) || selected.length < page.length) return;
      remaining -= selected.length;
      next = page[page.length - 1]!.globalPosition + (range.backwards ? -1 : 1);
    }
    return;
  }
  const summary = reader.streamSummary(range.streamId);
  if (summary === undefined) return;
  let version = range.backwards ? summary.version : 0;
  while (remaining > 0 && version >= 0) {
    const page = reader.readStream(range.streamId, version, Math.min(PAGE, remaining), range.backwards ? 'backwards' : 'forwards');
    if (page.length === 0) return;
    const selected = page.filter(
      range.backwards
        ? (e: StoredEvent) => (range.from === undefined || e.globalPosition <= range.from) && (range.to === undefined || e.globalPosition >= range.to)
        : inRange,
    );
    if (selected.length > 0) yield selected.slice(0, remaining);
    remaining -= selected.length;
    const last = page[page.length - 1]!;
    // Forwards, once past `to` nothing later can match.
    if (!range.backwards && range.to !== undefined && last.globalPosition > range.to) return;
    version = last.streamVersion + (range.backwards ? -1 : 1);
  }
}

export async function writeEvents(out: Output, reader: EventReader, range: EventRange): Promise<number> {
  let written = 0;
  for (const page of selectEvents(reader, range)) {
    await out.write(page.map(toEventJsonLine).join('\n') + '\n');
    written += page.length;
    if (out.isClosed) break;
  }
  return written;
}

export function openForReading(args: ParsedCommand): EventStore {
  return EventStore.open(args.positionals[0]!, { readonly: true });
}

export const readCommand: Command = {
  name: 'read',
  usage: 'read <store> [--stream <id>] [--from <pos>] [--limit <n>] [--backwards]',
  summary: 'print events as NDJSON, the whole log or one stream, forwards or backwards',
  options: { stream: { type: 'string' }, from: { type: 'string' }, limit: { type: 'string' }, backwards: { type: 'boolean' } },
  positionals: { min: 1, max: 1, names: '<store>' },
  async run(args, { out }) {
    const range: EventRange = {
      streamId: stringOption(args, 'stream'),
      from: intOption(args, 'from', 0),
      to: undefined,
      limit: intOption(args, 'limit', 0) ?? Number.MAX_SAFE_INTEGER,
      backwards: booleanOption(args, 'backwards'),
    };
    const store = openForReading(args);
    try {
      await writeEvents(out, store.reader, range);
    } finally {
      store.close();
    }
    return 0;
  },
};
