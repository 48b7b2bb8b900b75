import { describe, expect, it } from 'vitest';
import type { EventStore } from '../../main/store/eventStore.js';
import { eventsMigrations } from '../../main/store/migrations/events/index.js';
import { latestVersion } from '../../main/store/migrations/runner.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

/** 25 events in stream "s" interleaved with 10 in "other": s has versions 0..24. */
async function interleaved(store: EventStore): Promise<void> {
  for (let i = 0; i < 25; i++) {
    await store.append({ streamId: 's', events: [{ type: 'S', data: { i } }] });
    if (i % 5 === 0) await store.append({ streamId: 'other', events: [{ type: 'O', data: { i } }, { type: 'O', data: { i } }] });
  }
}

describe('reading a stream', () => {
  it('pages forwards by stream version', async () => {
    const store = temp.store();
    await interleaved(store);
    const versions: number[][] = [];
    for (let from = 0; ; ) {
      const page = store.reader.readStream('s', from, 10);
      if (page.length === 0) break;
      versions.push(page.map((e) => e.streamVersion));
      from = page[page.length - 1]!.streamVersion + 1;
    }
    expect(versions).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      [20, 21, 22, 23, 24],
    ]);
    const all = store.reader.readStream('s', 0, 100);
    expect(all.every((e) => e.streamId === 's')).toBe(true);
    expect(all.map((e) => (JSON.parse(e.data) as { i: number }).i)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    // Positions increase with versions.
    expect(all.map((e) => e.globalPosition)).toEqual([...all.map((e) => e.globalPosition)].sort((a, b) => a - b));
  });

  it('pages backwards from a version down', async () => {
    const store = temp.store();
    await interleaved(store);
    const pages: number[][] = [];
    for (let from = 24; from >= 0; ) {
      const page = store.reader.readStream('s', from, 10, 'backwards');
      if (page.length === 0) break;
      pages.push(page.map((e) => e.streamVersion));
      from = page[page.length - 1]!.streamVersion - 1;
    }
    expect(pages).toEqual([
      [24, 23, 22, 21, 20, 19, 18, 17, 16, 15],
      [14, 13, 12, 11, 10, 9, 8, 7, 6, 5],
      [4, 3, 2, 1, 0],
    ]);
    expect(store.reader.readStream('s', 3, 2, 'backwards').map((e) => e.streamVersion)).toEqual([3, 2]);
  });

  it('reads nothing for an unknown stream or past the end', async () => {
    const store = temp.store();
    await interleaved(store);
    expect(store.reader.readStream('nope', 0, 10)).toEqual([]);
    expect(store.reader.readStream('s', 25, 10)).toEqual([]);
    expect(store.reader.streamSummary('nope')).toBeUndefined();
  });
});

describe('reading all events', () => {
  it('reads from a global position forwards and backwards, and pages through a range', async () => {
    const store = temp.store();
    await interleaved(store);
    const head = store.head().position;
    expect(head).toBe(35);
    expect(store.reader.readAll(1, 1000).map((e) => e.globalPosition)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    expect(store.reader.readAll(30, 3).map((e) => e.globalPosition)).toEqual([30, 31, 32]);
    expect(store.reader.readAll(34, 10).map((e) => e.globalPosition)).toEqual([34, 35]);
    expect(store.reader.readAll(36, 10)).toEqual([]);
    expect(store.reader.readAll(5, 3, 'backwards').map((e) => e.globalPosition)).toEqual([5, 4, 3]);
    expect(store.reader.readAll(2, 10, 'backwards').map((e) => e.globalPosition)).toEqual([2, 1]);
    const pages = [...store.reader.pages(3, 20, 7)].map((p) => p.map((e) => e.globalPosition));
    expect(pages).toEqual([
      [3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14, 15, 16],
      [17, 18, 19, 20],
    ]);
    expect([...store.reader.pages(30, 1000, 4)].flat().map((e) => e.globalPosition)).toEqual([30, 31, 32, 33, 34, 35]);
  });

  it('finds events by position and by id, and knows the head', async () => {
    const store = temp.store();
    expect(store.head()).toEqual({ position: 0, hash: '0'.repeat(64), recordedAt: null });
    await interleaved(store);
    const e = store.reader.eventAt(7)!;
    expect(store.reader.eventById(e.eventId)).toEqual(e);
    expect(store.reader.eventAt(0)).toBeUndefined();
    expect(store.reader.eventAt(36)).toBeUndefined();
    const last = store.reader.eventAt(35)!;
    expect(store.head()).toEqual({ position: 35, hash: last.hash, recordedAt: last.recordedAt });
  });
});

describe('listing streams', () => {
  async function manyStreams(store: EventStore): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(`order-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < 15; i++) ids.push(`user-${i}`);
    ids.push('Order-UPPER', 'ørder-unicode', 'x_%_literal', 'orders');
    await Promise.all(ids.map((streamId, i) => store.append({ streamId, events: Array.from({ length: 1 + (i % 4) }, () => ({ type: 'T', data: { i } })) })));
    return ids;
  }

  it('pages through every stream in id order with keyset paging', async () => {
    const store = temp.store();
    const ids = await manyStreams(store);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = store.reader.listStreams({ after, limit: 7 });
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(7);
      seen.push(...page.map((s) => s.streamId));
      after = page[page.length - 1]!.streamId;
    }
    const binaryOrder = [...ids].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(seen).toEqual(binaryOrder);
    expect(store.reader.countStreams()).toBe(ids.length);
  });

  it('describes each stream: events, version, first and last position', async () => {
    const store = temp.store();
    await store.append({ streamId: 'a', events: [{ type: 'T', data: {} }] });
    await store.append({ streamId: 'b', events: [{ type: 'T', data: {} }] });
    await store.append({ streamId: 'a', events: [{ type: 'T', data: {} }, { type: 'T', data: {} }] });
    const [a] = store.reader.listStreams({ prefix: 'a', limit: 10 });
    expect(a).toMatchObject({ streamId: 'a', events: 3, version: 2, firstPosition: 1, lastPosition: 4 });
    expect(Date.parse(a!.createdAt)).toBeLessThanOrEqual(Date.parse(a!.updatedAt));
  });

  it('filters by prefix (case-sensitive) and pages within it', async () => {
    const store = temp.store();
    await manyStreams(store);
    const orders = store.reader.listStreams({ prefix: 'order-', limit: 100 }).map((s) => s.streamId);
    expect(orders).toHaveLength(30);
    expect(orders.every((s) => s.startsWith('order-'))).toBe(true);
    const page2 = store.reader.listStreams({ prefix: 'order-', after: 'order-009', limit: 5 }).map((s) => s.streamId);
    expect(page2).toEqual(['order-010', 'order-011', 'order-012', 'order-013', 'order-014']);
    expect(store.reader.listStreams({ prefix: 'order', limit: 100 }).map((s) => s.streamId)).toContain('orders');
    expect(store.reader.listStreams({ prefix: 'x_%', limit: 100 }).map((s) => s.streamId)).toEqual(['x_%_literal']);
    expect(store.reader.listStreams({ prefix: 'zzz', limit: 100 })).toEqual([]);
  });

  it('a prefix matches every stream that starts with it, whatever characters follow', async () => {
    const store = temp.store();
    // U+10FFFF is the largest code point: a range scan that ends at prefix + U+10FFFF misses these.
    const ids = ['p-\u{10ffff}', 'p-\u{10ffff}x', 'p-a', 'q'];
    for (const streamId of ids) await store.append({ streamId, events: [{ type: 'T', data: {} }] });
    expect(store.reader.listStreams({ prefix: 'p-', limit: 10 }).map((s) => s.streamId).sort()).toEqual(ids.filter((s) => s.startsWith('p-')).sort());
  });

  it('filters by a substring, ignoring ASCII case, combined with paging', async () => {
    const store = temp.store();
    await manyStreams(store);
    const found = store.reader.listStreams({ contains: 'ORDER-01', limit: 100 }).map((s) => s.streamId);
    expect(found).toHaveLength(10);
    expect(found.every((s) => s.startsWith('order-01'))).toBe(true);
    expect(store.reader.listStreams({ contains: 'upper', limit: 100 }).map((s) => s.streamId)).toEqual(['Order-UPPER']);
    expect(store.reader.listStreams({ contains: '%', limit: 100 }).map((s) => s.streamId)).toEqual(['x_%_literal']);
    expect(store.reader.listStreams({ contains: 'order', after: 'order-027', limit: 100 }).map((s) => s.streamId)).toEqual(['order-028', 'order-029', 'orders']);
  });
});

describe('stats', () => {
  it('counts events and streams and reports the head, sizes and durability', async () => {
    const store = temp.store();
    await interleaved(store);
    const s = store.stats();
    expect(s).toMatchObject({ events: 35, streams: 2, headPosition: 35, headHash: store.reader.eventAt(35)!.hash, formatVersion: latestVersion(eventsMigrations), durability: 'full', path: store.dir });
    expect(s.storeId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(s.sizeBytes).toBeGreaterThan(0);
    expect(s.headRecordedAt).toBe(new Date(store.reader.eventAt(35)!.recordedAt).toISOString());
    store.setDurability('normal');
    expect(store.stats().durability).toBe('normal');
  });
});
