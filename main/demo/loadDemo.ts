import { ConsoleError } from '../../shared/errors.js';
import type { JobProgress } from '../../shared/jobs.js';
import { EventStore } from '../store/index.js';
import { prepareEvent, type PreparedAppend } from '../store/index.js';
import { demoEvents } from './demoDomain.js';

export interface LoadDemoInput {
  readonly dir: string;
  readonly events: number;
  readonly streams: number;
  /** The demo's events are spread over this much time, ending now, so the charts have a history. */
  readonly spanMs?: number;
}

const BATCH = 2000;

/** Appends the demo domain to a store in batches (runs in a worker: it opens its own connection). */
export function loadDemo(
  input: LoadDemoInput,
  ctx: { progress(p: JobProgress): void; isCancelled(): boolean },
): { events: number; streams: number; headPosition: number } {
  const store = EventStore.open(input.dir);
  try {
    const span = input.spanMs ?? 2 * 60 * 60 * 1000;
    const start = Date.now() - span;
    const step = span / input.events;
    const streams = new Set<string>();
    let batch: PreparedAppend[] = [];
    let written = 0;
    let headPosition = store.head().position;
    const flush = () => {
      headPosition = store.commitAtomically(batch).headPosition;
      written += batch.length;
      batch = [];
      ctx.progress({ phase: 'appending', done: written, total: input.events, unit: 'events' });
      if (ctx.isCancelled()) throw new ConsoleError('CANCELLED', `demo data cancelled after ${written} events (those stay in the store)`);
    };
    let i = 0;
    for (const e of demoEvents(input.events, input.streams, Date.now() & 0xffff)) {
      streams.add(e.streamId);
      const prepared = prepareEvent(e.type, e.data, e.metadata, e.eventId);
      batch.push({ streamId: e.streamId, expectedVersion: 'any', mode: 'append', events: [{ ...prepared, recordedAt: Math.round(start + i * step) }] });
      i++;
      if (batch.length >= BATCH) flush();
    }
    if (batch.length > 0) flush();
    return { events: written, streams: streams.size, headPosition };
  } finally {
    store.close();
  }
}
