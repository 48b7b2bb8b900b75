import { describe, expect, it } from 'vitest';
import { EventStore } from '../../main/store/eventStore.js';
import { LiveFeed } from '../../main/store/liveFeed.js';
import type { StoredEvent } from '../../main/store/storedEvent.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

/** Collects delivered events and lets a test wait until a condition on them holds. */
function collector() {
  const events: StoredEvent[] = [];
  const arrivals: number[] = [];
  let wake: () => void = () => undefined;
  return {
    events,
    arrivals,
    deliver: (batch: StoredEvent[]) => {
      for (const e of batch) {
        events.push(e);
        arrivals.push(performance.now());
      }
      wake();
    },
    async until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
      const deadline = performance.now() + timeoutMs;
      while (!condition()) {
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`timed out; delivered so far: ${events.map((e) => e.globalPosition).join(',')}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(left, 50));
        });
      }
    },
  };
}

describe('LiveFeed', () => {
  it('delivers events appended by another OS process within a second', async () => {
    const store = temp.store();
    await store.append({ streamId: 'before', events: [{ type: 'Old', data: {} }] });
    const feed = new LiveFeed(store);
    try {
      const seen = collector();
      feed.subscribe({ deliver: seen.deliver });
      for (let i = 0; i < 3; i++) {
        const r = await runCli(['append', store.dir, '--stream', 'remote', '--type', 'RemoteAppended', '--data', JSON.stringify({ i }), '--json']);
        expect(r.code, r.stderr).toBe(0);
        const committedAt = performance.now(); // the child has exited: its commit is durable
        const position = (JSON.parse(r.stdout) as { globalPosition: number }).globalPosition;
        await seen.until(() => seen.events.some((e) => e.globalPosition === position), 1000);
        const arrival = seen.arrivals[seen.events.findIndex((e) => e.globalPosition === position)]!;
        expect(arrival - committedAt).toBeLessThan(1000);
      }
      // Only the new events, each once, in order, with their content.
      expect(seen.events.map((e) => e.globalPosition)).toEqual([2, 3, 4]);
      expect(seen.events.map((e) => JSON.parse(e.data) as unknown)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
      expect(feed.headPosition).toBe(4);
    } finally {
      feed.close();
    }
  });

  it('works on a read-only store opened beside another process that writes', async () => {
    const dir = temp.store().dir;
    const ro = temp.track(EventStore.open(dir, { readonly: true }));
    const feed = new LiveFeed(ro, { pollMs: 50 });
    try {
      const seen = collector();
      feed.subscribe({ deliver: seen.deliver });
      const r = await runCli(['append', dir, '--stream', 's', '--type', 'T', '--data', '{}']);
      expect(r.code, r.stderr).toBe(0);
      await seen.until(() => seen.events.length === 1, 1000);
      expect(seen.events[0]!.globalPosition).toBe(1);
    } finally {
      feed.close();
    }
  });

  it("delivers this process's own commits right after they are committed", async () => {
    const store = temp.store();
    const feed = new LiveFeed(store, { pollMs: 60_000 }); // no polling: only the commit notice can deliver
    try {
      const seen = collector();
      feed.subscribe({ deliver: seen.deliver });
      await store.append({ streamId: 'a', events: [{ type: 'T', data: { n: 1 } }, { type: 'T', data: { n: 2 } }] });
      await seen.until(() => seen.events.length === 2, 1000);
      expect(seen.events.map((e) => e.globalPosition)).toEqual([1, 2]);
    } finally {
      feed.close();
    }
  });

  it('replays from a given position, then continues live, never twice', async () => {
    const store = temp.store();
    for (let i = 0; i < 30; i++) await store.append({ streamId: `s${i % 3}`, events: [{ type: 'T', data: { i } }] });
    const feed = new LiveFeed(store, { pageSize: 7, pollMs: 20 });
    try {
      const seen = collector();
      feed.subscribe({ fromPosition: 10, deliver: seen.deliver });
      await seen.until(() => seen.events.length === 20);
      await store.append({ streamId: 's0', events: [{ type: 'T', data: {} }] });
      await seen.until(() => seen.events.length === 21);
      expect(seen.events.map((e) => e.globalPosition)).toEqual(Array.from({ length: 21 }, (_, i) => i + 11));
    } finally {
      feed.close();
    }
  });

  it('filters by event type and stream prefix', async () => {
    const store = temp.store();
    const feed = new LiveFeed(store, { pollMs: 20 });
    try {
      const byType = collector();
      const byPrefix = collector();
      feed.subscribe({ filter: { types: ['Wanted'] }, deliver: byType.deliver });
      feed.subscribe({ filter: { streamPrefix: 'order-' }, deliver: byPrefix.deliver });
      await store.append({ streamId: 'order-1', events: [{ type: 'Wanted', data: {} }, { type: 'Other', data: {} }] });
      await store.append({ streamId: 'user-1', events: [{ type: 'Wanted', data: {} }] });
      await store.append({ streamId: 'order-2', events: [{ type: 'Other', data: {} }] });
      await byType.until(() => byType.events.length === 2);
      await byPrefix.until(() => byPrefix.events.length === 3);
      expect(byType.events.map((e) => e.globalPosition)).toEqual([1, 3]);
      expect(byPrefix.events.map((e) => e.globalPosition)).toEqual([1, 2, 4]);
    } finally {
      feed.close();
    }
  });

  it('stops delivering after unsubscribe', async () => {
    const store = temp.store();
    const feed = new LiveFeed(store, { pollMs: 20 });
    try {
      const seen = collector();
      const sub = feed.subscribe({ deliver: seen.deliver });
      await store.append({ streamId: 's', events: [{ type: 'T', data: {} }] });
      await seen.until(() => seen.events.length === 1);
      expect(sub.cursor).toBe(1);
      sub.unsubscribe();
      await store.append({ streamId: 's', events: [{ type: 'T', data: {} }] });
      await new Promise((r) => setTimeout(r, 150));
      expect(seen.events).toHaveLength(1);
    } finally {
      feed.close();
    }
  });
});
