import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_EVENT_JSON_BYTES } from '../../shared/events.js';
import { EventStore } from '../../main/store/eventStore.js';
import { verifyLog } from '../../main/store/verify.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { rawEvents, withRawDb } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

const event = (n: number, extra: Record<string, unknown> = {}) => ({ type: 'ThingHappened', data: { n, ...extra } });

describe('expected version', () => {
  it('any: appends whether or not the stream exists', async () => {
    const store = temp.store();
    expect(await store.append({ streamId: 's', expectedVersion: 'any', events: [event(1)] })).toMatchObject({ globalPosition: 1, streamVersion: 0 });
    expect(await store.append({ streamId: 's', events: [event(2)] })).toMatchObject({ globalPosition: 2, streamVersion: 1 }); // default
  });

  it('no_stream: appends to a new stream, refuses an existing one with its actual version', async () => {
    const store = temp.store();
    expect(await store.append({ streamId: 's', expectedVersion: 'no_stream', events: [event(1), event(2)] })).toMatchObject({ streamVersion: 1 });
    const e = await expectConsoleError(() => store.append({ streamId: 's', expectedVersion: 'no_stream', events: [event(3)] }), 'WRONG_EXPECTED_VERSION');
    expect(e.details).toEqual({ streamId: 's', expectedVersion: 'no_stream', actualVersion: 1 });
    expect(store.head().position).toBe(2);
  });

  it('stream_exists: refuses a new stream (actual version -1), appends to an existing one', async () => {
    const store = temp.store();
    const e = await expectConsoleError(() => store.append({ streamId: 's', expectedVersion: 'stream_exists', events: [event(1)] }), 'WRONG_EXPECTED_VERSION');
    expect(e.details).toMatchObject({ actualVersion: -1, expectedVersion: 'stream_exists' });
    expect(store.head().position).toBe(0);
    await store.append({ streamId: 's', events: [event(1)] });
    expect(await store.append({ streamId: 's', expectedVersion: 'stream_exists', events: [event(2)] })).toMatchObject({ streamVersion: 1 });
  });

  it('exact: appends only when the stream is at exactly that version and names the actual one otherwise', async () => {
    const store = temp.store();
    await expectConsoleError(() => store.append({ streamId: 's', expectedVersion: 0, events: [event(1)] }), 'WRONG_EXPECTED_VERSION');
    await store.append({ streamId: 's', expectedVersion: 'no_stream', events: [event(1), event(2), event(3)] });
    for (const wrong of [0, 1, 3, 100]) {
      const e = await expectConsoleError(() => store.append({ streamId: 's', expectedVersion: wrong, events: [event(9)] }), 'WRONG_EXPECTED_VERSION');
      expect(e.details).toEqual({ streamId: 's', expectedVersion: wrong, actualVersion: 2 });
      expect(e.message).toContain('version 2');
    }
    expect(await store.append({ streamId: 's', expectedVersion: 2, events: [event(4)] })).toMatchObject({ globalPosition: 4, streamVersion: 3 });
    expect(store.reader.streamSummary('s')).toMatchObject({ version: 3, events: 4, firstPosition: 1, lastPosition: 4 });
  });

  it('versions are per stream while positions are global', async () => {
    const store = temp.store();
    await store.append({ streamId: 'a', events: [event(1)] });
    await store.append({ streamId: 'b', events: [event(2)] });
    const r = await store.append({ streamId: 'a', expectedVersion: 0, events: [event(3)] });
    expect(r).toMatchObject({ globalPosition: 3, streamVersion: 1 });
    expect(rawEvents(store.dir).map((e) => [e.global_position, e.stream_id, e.stream_version])).toEqual([
      [1, 'a', 0],
      [2, 'b', 0],
      [3, 'a', 1],
    ]);
  });

  it('appendNow (the CLI path) has the same semantics', () => {
    const store = temp.store();
    store.appendNow({ streamId: 's', expectedVersion: 'no_stream', events: [event(1)] });
    let thrown: unknown;
    try {
      store.appendNow({ streamId: 's', expectedVersion: 5, events: [event(2)] });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', details: { actualVersion: 0 } });
    expect(store.head().position).toBe(1);
  });
});

describe('idempotent event ids', () => {
  it('re-appending the same id with the same content is a no-op that returns the original position', async () => {
    const store = temp.store();
    const id = randomUUID();
    const first = await store.append({ streamId: 's', events: [{ ...event(1), eventId: id, metadata: { actor: 'a' } }] });
    await store.append({ streamId: 's', events: [event(2)] });
    const again = await store.append({ streamId: 's', events: [{ ...event(1), eventId: id, metadata: { actor: 'a' } }] });
    expect(first).toMatchObject({ globalPosition: 1, streamVersion: 0, eventId: id, idempotent: false });
    expect(again).toMatchObject({ globalPosition: 1, streamVersion: 0, eventId: id, idempotent: true });
    expect(store.head().position).toBe(2);
  });

  it('a retry is recognised even when its expected version no longer holds (it already succeeded)', async () => {
    const store = temp.store();
    const id = randomUUID();
    await store.append({ streamId: 's', expectedVersion: 'no_stream', events: [{ ...event(1), eventId: id }] });
    const retry = await store.append({ streamId: 's', expectedVersion: 'no_stream', events: [{ ...event(1), eventId: id }] });
    expect(retry).toMatchObject({ idempotent: true, globalPosition: 1 });
  });

  it('accepts an upper-case id and stores it lower-case; the same id in another case is the same event', async () => {
    const store = temp.store();
    const id = randomUUID();
    await store.append({ streamId: 's', events: [{ ...event(1), eventId: id.toUpperCase() }] });
    expect(store.reader.eventAt(1)!.eventId).toBe(id);
    expect(await store.append({ streamId: 's', events: [{ ...event(1), eventId: id }] })).toMatchObject({ idempotent: true });
  });

  it.each<[string, { streamId: string; type: string; data: Record<string, unknown>; metadata?: Record<string, unknown> }]>([
    ['other data', { streamId: 's', type: 'ThingHappened', data: { n: 2 } }],
    ['another type', { streamId: 's', type: 'OtherThing', data: { n: 1 } }],
    ['another stream', { streamId: 't', type: 'ThingHappened', data: { n: 1 } }],
    ['other metadata', { streamId: 's', type: 'ThingHappened', data: { n: 1 }, metadata: { x: 1 } }],
  ])('the same id with %s is DUPLICATE_EVENT_ID naming the original position', async (_what, other) => {
    const store = temp.store();
    const id = randomUUID();
    await store.append({ streamId: 'z', events: [event(0)] });
    await store.append({ streamId: 's', events: [{ type: 'ThingHappened', data: { n: 1 }, eventId: id }] });
    const e = await expectConsoleError(
      () => store.append({ streamId: other.streamId, events: [{ type: other.type, data: other.data, metadata: other.metadata, eventId: id }] }),
      'DUPLICATE_EVENT_ID',
    );
    expect(e.details).toEqual({ eventId: id, globalPosition: 2 });
    expect(store.head().position).toBe(2);
  });

  it('an append where only some ids already exist is DUPLICATE_EVENT_ID and writes nothing', async () => {
    const store = temp.store();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await store.append({ streamId: 's', events: [{ ...event(1), eventId: a }, { ...event(2), eventId: b }] });
    const e = await expectConsoleError(
      () => store.append({ streamId: 's', events: [{ ...event(1), eventId: a }, { ...event(2), eventId: b }, { ...event(3), eventId: c }] }),
      'DUPLICATE_EVENT_ID',
    );
    expect(e.message).toContain('2 of the 3');
    expect(store.head().position).toBe(2);
    expect(store.reader.eventById(c)).toBeUndefined();
    // The whole original append retried is still a no-op.
    expect(await store.append({ streamId: 's', events: [{ ...event(1), eventId: a }, { ...event(2), eventId: b }] })).toMatchObject({
      idempotent: true,
      events: [
        { eventId: a, globalPosition: 1, streamVersion: 0 },
        { eventId: b, globalPosition: 2, streamVersion: 1 },
      ],
    });
  });

  it('the same id twice in one append is DUPLICATE_EVENT_ID and writes nothing', async () => {
    const store = temp.store();
    const id = randomUUID();
    await expectConsoleError(() => store.append({ streamId: 's', events: [{ ...event(1), eventId: id }, { ...event(1), eventId: id }] }), 'DUPLICATE_EVENT_ID');
    expect(store.head().position).toBe(0);
  });

  it('ids the engine generates are UUIDv7, distinct, and in position order', async () => {
    const store = temp.store();
    for (let i = 0; i < 5; i++) await store.append({ streamId: 's', events: [event(i), event(i)] });
    const ids = rawEvents(store.dir).map((e) => e.event_id);
    expect(new Set(ids).size).toBe(10);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Same-millisecond ids may tie on time; across appends they never go back in time.
    const times = ids.map((id) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });
});

describe('atomic multi-event appends', () => {
  it('writes all events of an append with consecutive positions and versions', async () => {
    const store = temp.store();
    await store.append({ streamId: 'other', events: [event(0)] });
    const r = await store.append({ streamId: 's', events: [event(1), event(2), event(3)] });
    expect(r.events.map((e) => [e.globalPosition, e.streamVersion])).toEqual([
      [2, 0],
      [3, 1],
      [4, 2],
    ]);
    expect(r).toMatchObject({ globalPosition: 4, streamVersion: 2, eventId: r.events[2]!.eventId });
  });

  it('writes none of them when the database refuses one in the middle of the insert', async () => {
    const store = temp.store();
    await store.append({ streamId: 's', events: [event(0)] });
    // A trigger makes SQLite itself fail on the third row, after two rows of the same append were inserted.
    withRawDb(store.dir, (db) =>
      db.exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON events WHEN json_extract(NEW.data, '$.boom') = 1
               BEGIN SELECT RAISE(ABORT, 'boom refused'); END`),
    );
    await expect(store.append({ streamId: 's', events: [event(1), event(2), event(3, { boom: 1 }), event(4)] })).rejects.toThrow('boom refused');
    expect(store.head().position).toBe(1);
    expect(store.reader.streamSummary('s')).toMatchObject({ version: 0, lastPosition: 1 });
    expect(rawEvents(store.dir)).toHaveLength(1);
    // The store goes on normally afterwards.
    expect(await store.append({ streamId: 's', expectedVersion: 0, events: [event(5)] })).toMatchObject({ globalPosition: 2, streamVersion: 1 });
    withRawDb(store.dir, (db) => db.exec('DROP TRIGGER refuse_boom'));
    expect(verifyLog(store.db).ok).toBe(true);
  });
});

describe('invalid requests are INVALID_INPUT before anything is written', () => {
  it.each([
    ['an empty stream id', { streamId: '', events: [event(1)] }],
    ['a stream id with a control character', { streamId: 'a\tb', events: [event(1)] }],
    ['a stream id over 256 characters', { streamId: 'x'.repeat(257), events: [event(1)] }],
    ['an empty type', { streamId: 's', events: [{ type: '', data: {} }] }],
    ['no events', { streamId: 's', events: [] }],
    ['a bad UUID', { streamId: 's', events: [{ ...event(1), eventId: 'nope' }] }],
    ['a negative expected version', { streamId: 's', expectedVersion: -1, events: [event(1)] }],
  ])('%s', async (_what, request) => {
    const store = temp.store();
    await expectConsoleError(() => store.append(request), 'INVALID_INPUT');
    expect(store.head().position).toBe(0);
  });

  it('an event over the size limit', async () => {
    const store = temp.store();
    const big = 'x'.repeat(MAX_EVENT_JSON_BYTES);
    const e = await expectConsoleError(() => store.append({ streamId: 's', events: [{ type: 'Big', data: { big } }] }), 'INVALID_INPUT');
    expect(e.message).toContain(String(MAX_EVENT_JSON_BYTES));
    expect(store.head().position).toBe(0);
  });
});

describe('data round trip', () => {
  it('stores data and metadata exactly as given, including unicode and nesting', async () => {
    const store = temp.store();
    const data = { s: 'ünïcødé 🚀 \u2028 "q" \\', n: -0.5, big: 2 ** 53 - 1, nested: { a: [1, [2, { b: null }]], e: {} }, arr: [], t: true };
    const metadata = { correlationId: randomUUID(), actor: 'ädmin' };
    await store.append({ streamId: 'ストリーム', events: [{ type: 'Typé', data, metadata }] });
    const stored = store.reader.eventAt(1)!;
    expect(JSON.parse(stored.data)).toEqual(data);
    expect(JSON.parse(stored.metadata)).toEqual(metadata);
    expect(stored.streamId).toBe('ストリーム');
    expect(stored.type).toBe('Typé');
  });

  it('keeps a top-level "__proto__" key of the data (it is data, not a prototype)', async () => {
    const store = temp.store();
    const data = JSON.parse('{"__proto__":{"x":1},"a":2}') as Record<string, unknown>;
    await store.append({ streamId: 's', events: [{ type: 'T', data }] });
    expect(store.reader.eventAt(1)!.data).toBe('{"__proto__":{"x":1},"a":2}');
  });
});

describe('a read-only store', () => {
  it('refuses appends with STORE_LOCKED and writes nothing', async () => {
    const dir = temp.store().dir;
    const ro = temp.track(EventStore.open(dir, { readonly: true }));
    expect(ro.writable).toBe(false);
    await expectConsoleError(() => ro.append({ streamId: 's', events: [event(1)] }), 'STORE_LOCKED');
    await expectConsoleError(() => ro.appendNow({ streamId: 's', events: [event(1)] }), 'STORE_LOCKED');
    expect(ro.head().position).toBe(0);
  });

  it('a closed store refuses appends with CANCELLED', async () => {
    const store = temp.store();
    store.close();
    await expectConsoleError(() => store.append({ streamId: 's', events: [event(1)] }), 'CANCELLED');
  });
});
