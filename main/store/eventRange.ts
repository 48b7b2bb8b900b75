import type { EventReader } from './reader.js';
import type { StoredEvent } from './storedEvent.js';

/**
 * Events selected by a range, a page at a time (read and export, DESIGN §6): the whole log or one stream,
 * forwards or backwards, `from` and `to` inclusive global positions for both. Forwards `from` is where to
 * start and `to` where to stop; backwards, `from` is where to start going down and `to` where to stop.
 */
export interface EventRange {
  readonly streamId?: string;
  readonly from?: number;
  readonly to?: number;
  readonly backwards: boolean;
}

export interface EventPageRead {
  readonly events: StoredEvent[];
  /** Where this page ended: a global position for the log, a stream version for a stream; null after the last page. */
  readonly cursor: number | null;
}

const last = <T>(list: readonly T[]): T => list[list.length - 1]!;

/** One page of at most `limit` events of the range, after `cursor` (absent: from its start). */
export function readEventPage(reader: EventReader, range: EventRange, cursor: number | undefined, limit: number): EventPageRead {
  const inRange = (e: StoredEvent) =>
    range.backwards
      ? (range.from === undefined || e.globalPosition <= range.from) && (range.to === undefined || e.globalPosition >= range.to)
      : (range.from === undefined || e.globalPosition >= range.from) && (range.to === undefined || e.globalPosition <= range.to);
  // Past the end of the range in the reading direction: nothing after this can match.
  const beyond = (e: StoredEvent) => range.to !== undefined && (range.backwards ? e.globalPosition < range.to : e.globalPosition > range.to);

  if (range.streamId === undefined) {
    const start = cursor === undefined ? (range.from ?? (range.backwards ? Number.MAX_SAFE_INTEGER : 1)) : cursor + (range.backwards ? -1 : 1);
    if (range.backwards && start < 1) return { events: [], cursor: null };
    const page = reader.readAll(start, limit, range.backwards ? 'backwards' : 'forwards');
    const events = page.filter(inRange);
    const done = page.length < limit || events.length < page.length;
    return { events, cursor: done ? null : last(page).globalPosition };
  }
  const summary = reader.streamSummary(range.streamId);
  if (summary === undefined) return { events: [], cursor: null };
  const version = cursor === undefined ? (range.backwards ? summary.version : 0) : cursor + (range.backwards ? -1 : 1);
  if (version < 0) return { events: [], cursor: null };
  const page = reader.readStream(range.streamId, version, limit, range.backwards ? 'backwards' : 'forwards');
  if (page.length === 0) return { events: [], cursor: null };
  const done = page.length < limit || beyond(last(page));
  return { events: page.filter(inRange), cursor: done ? null : last(page).streamVersion };
}

/** Every page of a range, in order, one page held at a time. */
export function* eventPages(reader: EventReader, range: EventRange, pageSize = 1000): Generator<StoredEvent[]> {
  let cursor: number | undefined;
  for (;;) {
    const page = readEventPage(reader, range, cursor, pageSize);
    if (page.events.length > 0) yield page.events;
    if (page.cursor === null) return;
    cursor = page.cursor;
  }
}
