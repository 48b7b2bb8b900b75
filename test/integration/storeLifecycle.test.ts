import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStore } from '../../main/store/eventStore.js';
import { readHeadRecord } from '../../main/store/headRecord.js';
import { eventsMigrations } from '../../main/store/migrations/events/index.js';
import { latestVersion } from '../../main/store/migrations/runner.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { withRawDb } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

describe('creating and opening a store', () => {
  it('creates events.db and views.db in a new folder, with a store id and the current format', () => {
    const dir = temp.path('new/nested/store');
    const store = temp.track(EventStore.create(dir));
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['events.db', 'views.db']));
    expect(store.storeId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.formatVersion).toBe(latestVersion(eventsMigrations));
    expect(Date.parse(store.createdAt)).not.toBeNaN();
    expect(store.dir).toBe(dir);
    withRawDb(dir, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(eventsMigrations));
    });
  });

  it('keeps its id and events across close and reopen', async () => {
    const store = temp.store();
    await store.append({ streamId: 's', events: [{ type: 'T', data: { a: 1 } }] });
    const { dir, storeId } = store;
    store.close();
    const again = temp.track(EventStore.open(dir));
    expect(again.storeId).toBe(storeId);
    expect(again.head().position).toBe(1);
    expect(await again.append({ streamId: 's', expectedVersion: 0, events: [{ type: 'T', data: {} }] })).toMatchObject({ globalPosition: 2 });
  });

  it('uses synchronous=FULL by default and keeps a lowered durability across reopen', () => {
    const store = temp.store();
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    store.setDurability('normal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    const dir = store.dir;
    store.close();
    const again = temp.track(EventStore.open(dir));
    expect(again.durability()).toBe('normal');
    expect(again.db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('refuses to create a store in a folder that is not empty, or over an existing store', () => {
    const dir = temp.dir();
    writeFileSync(join(dir, 'something.txt'), 'x');
    expect(() => EventStore.create(dir)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }) as Error);
    const store = temp.store();
    expect(() => EventStore.create(store.dir)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }) as Error);
  });

  it('opening a missing store is NOT_FOUND with the command that creates one, and creates nothing', async () => {
    const dir = temp.path('absent');
    const e = await expectConsoleError(() => EventStore.open(dir), 'NOT_FOUND');
    expect(e.message).toContain(`pconsole init ${dir}`);
    expect(existsSync(dir)).toBe(false);
    await expectConsoleError(() => EventStore.open(dir, { readonly: true }), 'NOT_FOUND');
    expect(existsSync(dir)).toBe(false);
    const empty = temp.dir();
    expect((await expectConsoleError(() => EventStore.open(empty), 'NOT_FOUND')).message).toContain('is not a store');
    expect(readdirSync(empty)).toEqual([]);
  });

  it('refuses a store written by a newer version with UNSUPPORTED_FORMAT, for writing and for reading', async () => {
    const store = temp.store();
    await store.append({ streamId: 's', events: [{ type: 'T', data: {} }] });
    const dir = store.dir;
    store.close();
    const newer = latestVersion(eventsMigrations) + 1;
    withRawDb(dir, (db) => db.pragma(`user_version = ${newer}`));
    const e = await expectConsoleError(() => EventStore.open(dir), 'UNSUPPORTED_FORMAT');
    expect(e.details).toMatchObject({ formatVersion: newer });
    await expectConsoleError(() => EventStore.open(dir, { readonly: true }), 'UNSUPPORTED_FORMAT');
    // Nothing was changed by the attempts.
    withRawDb(dir, (db) => expect(db.pragma('user_version', { simple: true })).toBe(newer));
  });

  it('a damaged events.db is INTEGRITY_VIOLATION, not a crash', async () => {
    const dir = temp.dir();
    writeFileSync(join(dir, 'events.db'), Buffer.alloc(8192, 0x5a));
    await expectConsoleError(() => EventStore.open(dir), 'INTEGRITY_VIOLATION');
  });

  it('an events.db emptied to 0 bytes is INTEGRITY_VIOLATION: never quietly a new, different store', async () => {
    const dir = temp.path('emptied');
    EventStore.create(dir).close();
    for (const f of readdirSync(dir)) if (f.startsWith('events.db-')) rmSync(join(dir, f));
    writeFileSync(join(dir, 'events.db'), '');
    expect((await expectConsoleError(() => EventStore.open(dir), 'INTEGRITY_VIOLATION')).message).toContain('is empty (0 bytes)');
    await expectConsoleError(() => EventStore.open(dir, { readonly: true }), 'INTEGRITY_VIOLATION');
    expect(statSync(join(dir, 'events.db')).size).toBe(0); // nothing was written into it
  });

  it('recreates a missing views.db (it is disposable) when opened for writing', () => {
    const store = temp.store();
    const dir = store.dir;
    store.close();
    rmSync(join(dir, 'views.db'));
    temp.track(EventStore.open(dir));
    expect(existsSync(join(dir, 'views.db'))).toBe(true);
  });
});

describe('readers beside a writer', () => {
  it('a read-only instance (another process or thread) sees the writer\'s commits', async () => {
    const store = temp.store();
    const reader = temp.track(EventStore.open(store.dir, { readonly: true }));
    expect(reader.head().position).toBe(0);
    await store.append({ streamId: 's', events: [{ type: 'T', data: {} }, { type: 'T', data: {} }] });
    expect(reader.head().position).toBe(2);
    expect(reader.reader.readAll(1, 10)).toEqual(store.reader.readAll(1, 10));
  });
});

describe('the head record (head.json)', () => {
  it('is written when the store closes and records the head it reached', async () => {
    const store = temp.store();
    await store.append({ streamId: 's', events: [{ type: 'T', data: {} }, { type: 'T', data: {} }, { type: 'T', data: {} }] });
    const head = store.head();
    store.close();
    expect(readHeadRecord(store.dir)).toMatchObject({ position: 3, hash: head.hash });
  });

  it('is written about a second after commits while the store stays open', async () => {
    const store = temp.store();
    await store.append({ streamId: 's', events: [{ type: 'T', data: {} }] });
    const deadline = Date.now() + 5000;
    while (readHeadRecord(store.dir)?.position !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(readHeadRecord(store.dir)).toMatchObject({ position: 1, hash: store.head().hash });
  });

  it('a torn or foreign head.json is ignored, not trusted', async () => {
    const store = temp.store();
    await store.append({ streamId: 's', events: [{ type: 'T', data: {} }] });
    const dir = store.dir;
    store.close();
    writeFileSync(join(dir, 'head.json'), '{"position": 99, "ha');
    const again = temp.track(EventStore.open(dir, { readonly: true }));
    expect(again.openProblems).toEqual([]);
  });

  it('a log shorter than the recorded head opens with HEAD_REGRESSION naming the first missing position', async () => {
    const store = temp.store();
    await store.append({ streamId: 'a', events: [{ type: 'T', data: {} }, { type: 'T', data: {} }] });
    await store.append({ streamId: 'b', events: [{ type: 'T', data: {} }, { type: 'T', data: {} }] });
    const dir = store.dir;
    store.close();
    // As a damaged WAL would: the last transaction disappears whole (its events and its stream row).
    withRawDb(dir, (db) => db.exec("DELETE FROM events WHERE global_position > 2; DELETE FROM streams WHERE stream_id = 'b'"));
    const again = temp.track(EventStore.open(dir, { readonly: true }));
    expect(again.openProblems).toEqual([expect.objectContaining({ code: 'HEAD_REGRESSION', position: 3 })]);
    expect(again.openProblems[0]!.message).toContain('3–4');
  });

  it('a log whose event at the recorded head differs opens with HEAD_MISMATCH', async () => {
    const store = temp.store();
    await store.append({ streamId: 'a', events: [{ type: 'T', data: {} }, { type: 'T', data: {} }] });
    const dir = store.dir;
    store.close();
    withRawDb(dir, (db) => db.prepare('UPDATE events SET hash = ? WHERE global_position = 2').run('e'.repeat(64)));
    const again = temp.track(EventStore.open(dir, { readonly: true }));
    expect(again.openProblems).toEqual([expect.objectContaining({ code: 'HEAD_MISMATCH', position: 2 })]);
  });
});
