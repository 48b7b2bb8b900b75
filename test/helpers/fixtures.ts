import type { AppendRequest } from '../../shared/events.js';
import { EventStore } from '../../main/store/eventStore.js';

/**
 * Fills a store with `count` events over `streams` streams (round robin), in appends of `perAppend`
 * events, and returns the stream of each position (index 0 is position 1).
 */
export function fillStore(store: EventStore, count: number, options: { streams?: number; perAppend?: number; dataBytes?: number } = {}): string[] {
  const streams = options.streams ?? 5;
  const perAppend = options.perAppend ?? 1;
  const padding = 'x'.repeat(options.dataBytes ?? 20);
  const streamOf: string[] = [];
  for (let n = 0; n < count; n += perAppend) {
    const streamId = `stream-${(n / perAppend) % streams}`;
    const size = Math.min(perAppend, count - n);
    const request: AppendRequest = {
      streamId,
      events: Array.from({ length: size }, (_, i) => ({ type: 'Filled', data: { n: n + i, padding }, metadata: { by: 'fixture' } })),
    };
    store.appendNow(request);
    for (let i = 0; i < size; i++) streamOf.push(streamId);
  }
  return streamOf;
}

/** Creates a store at `dir`, fills it and closes it (so head.json records its head). */
export function createFilledStore(dir: string, count: number, options: Parameters<typeof fillStore>[2] = {}): string[] {
  const store = EventStore.create(dir);
  try {
    return fillStore(store, count, options);
  } finally {
    store.close();
  }
}
