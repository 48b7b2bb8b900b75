import { describe, expect, it } from 'vitest';
import { type EventStore } from '../../main/store/eventStore.js';
import { ConsoleViews } from '../../main/views/consoleViews.js';
import { useTempDirs } from '../helpers/tempDirs.js';

async function caughtUp(views: ConsoleViews, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  views.catchUp();
  while (views.status().lag > 0) {
    if (Date.now() > until) throw new Error(`views still ${views.status().lag} behind`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function fill(store: EventStore, from: number, count: number): void {
  for (let i = from; i < from + count; i += 100) {
    store.commitAtomically(
      Array.from({ length: Math.min(100, from + count - i) }, (_, k) => ({
        streamId: `order-${(i + k) % 37}-${Math.floor((i + k) / 500)}`,
        expectedVersion: 'any' as const,
        mode: 'append' as const,
        events: [{ eventId: undefined, type: (i + k) % 3 === 0 ? 'OrderPlaced' : 'OrderPaid', dataJson: '{}', metadataJson: JSON.stringify({ correlationId: `c-${(i + k) % 10}` }) }],
      })),
    );
  }
}

describe('the console views (views.db)', () => {
  const temp = useTempDirs();

  for (const inProcess of [false, true]) {
    it(`catch up ${inProcess ? 'on the calling thread' : 'in a worker thread'}, counting types, links and streams like the log does`, async () => {
      const store = temp.store();
      fill(store, 0, 2_000);
      const views = new ConsoleViews(store, { inProcess, stepSize: 300 });
      try {
        await caughtUp(views);
        expect(views.status()).toMatchObject({ position: 2_000, lag: 0 });
        const types = Object.fromEntries(views.eventTypes().map((t) => [t.type, t.events]));
        expect(types).toEqual({ OrderPlaced: 667, OrderPaid: 1333 });
        expect(views.linked('correlation', 'c-3', 1000).total).toBe(200);
        expect(views.streamCount()).toEqual({ streams: store.reader.countStreams(), position: 2_000 });
        // Overview's stream count: counted by the views, plus the streams begun since.
        fill(store, 2_000, 300);
        expect(store.stats(views.streamCount() ?? undefined).streams).toBe(store.reader.countStreams());
        await caughtUp(views);
        expect(views.streamCount()!.streams).toBe(store.reader.countStreams());
      } finally {
        views.close();
      }
    });
  }

  it('start again from zero when the log is not the one they were built from', async () => {
    const store = temp.store();
    fill(store, 0, 500);
    let views = new ConsoleViews(store, { inProcess: true });
    await caughtUp(views);
    views.close();
    // The log is replaced by a shorter one with other events (a restore to an earlier point).
    store.writerDb().exec('DELETE FROM events WHERE global_position > 200; DELETE FROM streams;');
    views = new ConsoleViews(store, { inProcess: true });
    try {
      await caughtUp(views);
      expect(views.status().rebuiltBecause).toMatch(/log ends at 200/);
      expect(views.status().position).toBe(200);
      expect(views.eventTypes().reduce((n, t) => n + t.events, 0)).toBe(200);
    } finally {
      views.close();
    }
  });
});
