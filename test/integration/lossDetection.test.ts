import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWritable } from '../../main/platform/sqlite.js';
import { EventStore } from '../../main/store/eventStore.js';
import { readHeadRecord } from '../../main/store/headRecord.js';
import { importNdjson } from '../../main/store/importer.js';
import { ViewsProjector } from '../../main/views/viewsProjector.js';
import { verifyStore } from '../helpers/checkStore.js';
import { startAppendLoop } from '../helpers/children.js';
import { fillStore } from '../helpers/fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

/** The files of a store's log and head record, copied aside (a snapshot a rollback restores). */
function snapshotLog(dir: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of ['events.db', 'events.db-wal', 'head.json']) if (existsSync(join(dir, name))) copyFileSync(join(dir, name), join(to, name));
}

/** Puts a snapshot back: events.db and head.json roll back together, as a restored VM image or a file copy would. */
function rollBack(dir: string, from: string): void {
  for (const name of ['events.db', 'events.db-wal', 'events.db-shm', 'head.json']) rmSync(join(dir, name), { force: true });
  for (const name of ['events.db', 'events.db-wal', 'head.json']) if (existsSync(join(from, name))) copyFileSync(join(from, name), join(dir, name));
}

/** The console's views caught up to the log's head in views.db (what the console's views worker does). */
function catchUpViews(store: EventStore): void {
  const views = openWritable(join(store.dir, 'views.db'), { durability: 'normal' });
  try {
    const projector = new ViewsProjector(store.reader, views);
    while (projector.step(1000) > 0);
  } finally {
    views.close();
  }
}

describe('every acknowledged head is recorded before it is acknowledged (issue 9, class 5)', () => {
  it('head.json holds the position an append answered, the moment it answers: queue, direct, import', async () => {
    const store = temp.store();
    const queued = await store.append({ streamId: 's', events: [{ type: 'Happened', data: { n: 1 } }] });
    expect(readHeadRecord(store.dir)).toMatchObject({ position: queued.globalPosition, hash: store.reader.eventAt(queued.globalPosition)!.hash });
    const direct = store.appendNow({ streamId: 's', events: [{ type: 'Happened', data: { n: 2 } }, { type: 'Happened', data: { n: 3 } }] });
    expect(readHeadRecord(store.dir)).toMatchObject({ position: direct.globalPosition });
    const file = join(temp.dir(), 'in.ndjson');
    writeFileSync(file, Array.from({ length: 5 }, (_, i) => JSON.stringify({ streamId: 'i', type: 'Imported', data: { i } })).join('\n') + '\n');
    const imported = await importNdjson(store, { path: file }, { batchSize: 2 });
    expect(readHeadRecord(store.dir)).toMatchObject({ position: imported.headPosition, hash: store.head().hash });
  });

  it('a process killed right after its first acknowledged appends, whose WAL is then lost, opens with HEAD_REGRESSION', async () => {
    const dir = join(temp.dir(), 'store');
    EventStore.create(dir).close();
    const child = startAppendLoop({ store: dir, count: 0, mode: 'queue', workers: 2, streamPrefix: 'k', maxBatch: 3 });
    await child.firstAck;
    child.process.kill('SIGKILL');
    const exit = await child.exited;
    expect(exit.signal).toBe('SIGKILL');
    const acknowledged = Math.max(...child.acks.flatMap((a) => a.events.map((e) => e.p)));
    expect(acknowledged).toBeGreaterThan(0);
    // The WAL (never checkpointed: every acknowledged event is in it) is lost, as a damaged WAL's tail is.
    rmSync(join(dir, 'events.db-wal'));
    rmSync(join(dir, 'events.db-shm'), { force: true });
    const store = temp.track(EventStore.open(dir, { readonly: true }));
    expect(store.head().position).toBe(0);
    expect(store.openProblems).toEqual([expect.objectContaining({ code: 'HEAD_REGRESSION', position: 1 })]);
    const report = verifyStore(dir);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(['HEAD_REGRESSION']);
    // head.json holds at least the newest acknowledged head (the child may have committed more before it died).
    const recorded = Number(/head\.json recorded position (\d+)/.exec(report.problems[0]!.message)?.[1]);
    expect(recorded).toBeGreaterThanOrEqual(acknowledged);
  });
});

describe('a rollback of events.db together with head.json is noticed (issue 9, class 5)', () => {
  it('by the console views checkpoint in views.db: HEAD_REGRESSION naming views.db', () => {
    const root = temp.dir();
    const store = EventStore.create(join(root, 'store'));
    fillStore(store, 10);
    store.close();
    snapshotLog(store.dir, join(root, 'old'));
    const again = EventStore.open(store.dir);
    fillStore(again, 10);
    catchUpViews(again);
    again.close();
    rollBack(store.dir, join(root, 'old'));
    const reopened = temp.track(EventStore.open(store.dir, { readonly: true }));
    expect(reopened.head().position).toBe(10);
    expect(reopened.openProblems).toEqual([expect.objectContaining({ code: 'HEAD_REGRESSION', position: 11 })]);
    expect(reopened.openProblems[0]!.message).toContain('views.db');
    expect(reopened.openProblems[0]!.message).toContain('11–20');
  });

  it('by a views checkpoint whose event the log does not have (another history): HEAD_MISMATCH', () => {
    const root = temp.dir();
    const a = EventStore.create(join(root, 'a'));
    fillStore(a, 20);
    catchUpViews(a);
    a.close();
    const b = EventStore.create(join(root, 'b'));
    fillStore(b, 25, { streams: 2 });
    b.close();
    copyFileSync(join(a.dir, 'views.db'), join(b.dir, 'views.db'));
    const reopened = temp.track(EventStore.open(b.dir, { readonly: true }));
    expect(reopened.openProblems).toEqual([expect.objectContaining({ code: 'HEAD_MISMATCH', position: 20 })]);
    expect(reopened.openProblems[0]!.message).toContain('views.db');
  });
});
