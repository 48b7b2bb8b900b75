import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/api/contract.js';
import { APPEND_CHANGES, changesOf, refreshAfter, refreshAfterAppends, refreshAfterCall, refreshAfterJob, throttle, UNCHANGED_BY_APPENDS, type Timers } from '../../renderer/src/api/freshness.js';
import { BACKUP_EVENT_CHANGES } from '../../renderer/src/pages/backups/changes.js';

// The renderer's refreshes come from the contract's reads/changes (renderer/src/api/freshness.ts).
function cacheWith(keys: ReadonlyArray<readonly unknown[]>, meta?: Record<string, unknown>): QueryClient {
  const client = new QueryClient();
  for (const key of keys) {
    client.setQueryData(key, { any: 'answer' });
    if (meta !== undefined) client.getQueryCache().find({ queryKey: key, exact: true })!.options.meta = meta;
  }
  return client;
}

function invalidated(client: QueryClient): string[] {
  return client
    .getQueryCache()
    .getAll()
    .filter((q) => q.state.isInvalidated)
    .map((q) => JSON.stringify(q.queryKey))
    .sort();
}

describe('refreshAfter', () => {
  it('invalidates exactly the queries that read what changed, whatever their input', async () => {
    const client = cacheWith([['backup.catalog', {}], ['backup.runs', { limit: 50 }], ['backup.runs', { scheduleId: 'a', limit: 5 }], ['store.overview', {}], ['recovery.drills', { limit: 200 }], ['events.page', { from: 1, limit: 200 }]]);
    await refreshAfter(client, { as: 'backup.create' });
    expect(invalidated(client)).toEqual(['["backup.catalog",{}]', '["backup.runs",{"limit":50}]', '["backup.runs",{"scheduleId":"a","limit":5}]', '["store.overview",{}]']);
  });

  it('invalidates everything after a change of store, and nothing after no change', async () => {
    const client = cacheWith([['session.info', {}], ['backup.catalog', {}], ['events.page', { from: 1, limit: 200 }]]);
    await refreshAfter(client, []);
    expect(invalidated(client)).toEqual([]);
    await refreshAfter(client, { as: 'recovery.restore' });
    expect(invalidated(client)).toHaveLength(3);
  });

  it('leaves fixed blocks of the log alone when the head moves, not when the store is replaced', async () => {
    const client = cacheWith([['events.page', { from: 1, limit: 200 }]], UNCHANGED_BY_APPENDS);
    client.setQueryData(['events.types', {}], []);
    client.setQueryData(['backup.catalog', {}], {});
    await refreshAfterAppends(client);
    expect(invalidated(client)).toEqual(['["events.types",{}]']);
    await refreshAfter(client, APPEND_CHANGES);
    expect(invalidated(client)).toEqual(['["events.page",{"from":1,"limit":200}]', '["events.types",{}]']);
  });

  it('refreshes after a command at once, after a job only when it ends, and not for a kind it does not know', async () => {
    const keys = [['backup.schedules', {}], ['backup.catalog', {}], ['jobs.list', {}]] as const;
    const client = cacheWith(keys);
    await refreshAfterCall(client, 'backup.create');
    expect(invalidated(client)).toEqual([]);
    await refreshAfterJob(client, 'no.such.job');
    expect(invalidated(client)).toEqual([]);
    await refreshAfterCall(client, 'backup.saveSchedule');
    expect(invalidated(client)).toEqual(['["backup.catalog",{}]', '["backup.schedules",{}]']);
    const other = cacheWith(keys);
    await refreshAfterJob(other, 'backup.verify');
    expect(invalidated(other)).toEqual(['["backup.catalog",{}]']);
  });

  it('reads change sources as the contract states them', async () => {
    expect(await changesOf({ as: 'backup.verify' })).toEqual(contract['backup.verify'].changes);
    expect(await changesOf(APPEND_CHANGES)).toEqual(['log', 'streams']);
    expect(await changesOf('everything')).toBe('everything');
    expect(await changesOf(['drills'])).toEqual(['drills']);
  });

  it('derives what backup.events pushes change from the entries that do the same', () => {
    expect(BACKUP_EVENT_CHANGES['run-finished']).toEqual({ as: 'backup.runNow' });
    expect(BACKUP_EVENT_CHANGES['schedules-changed']).toEqual({ as: 'backup.saveSchedule' });
    expect(BACKUP_EVENT_CHANGES['run-progress']).toEqual([]);
  });
});

describe('throttle', () => {
  function fakeTimers() {
    let now = 0;
    const pending = new Map<number, { at: number; run: () => void }>();
    let next = 1;
    const timers: Timers = {
      now: () => now,
      setTimeout: (run, ms) => {
        pending.set(next, { at: now + ms, run });
        return next++;
      },
      clearTimeout: (handle) => void pending.delete(handle as number),
    };
    const advance = (ms: number) => {
      now += ms;
      for (const [id, t] of [...pending]) {
        if (t.at <= now) {
          pending.delete(id);
          t.run();
        }
      }
    };
    return { timers, advance, pending };
  }

  it('runs at once, then at most once per interval, collapsing the calls in between', () => {
    const { timers, advance } = fakeTimers();
    const runs: number[] = [];
    const t = throttle(() => runs.push(timers.now()), 1000, 0, timers);
    t.call();
    advance(100);
    t.call();
    t.call();
    advance(400);
    t.call();
    expect(runs).toEqual([0]);
    advance(500);
    expect(runs).toEqual([0, 1000]);
    advance(3000);
    t.call();
    expect(runs).toEqual([0, 1000, 4000]);
  });

  it('lets what caused a call settle first, when asked to', () => {
    const { timers, advance } = fakeTimers();
    const runs: number[] = [];
    const t = throttle(() => runs.push(timers.now()), 1000, 300, timers);
    t.call();
    expect(runs).toEqual([]);
    advance(300);
    expect(runs).toEqual([300]);
    advance(100);
    t.call();
    advance(600);
    expect(runs).toEqual([300]);
    advance(300);
    expect(runs).toEqual([300, 1300]);
  });

  it('drops a pending run when cancelled', () => {
    const { timers, advance, pending } = fakeTimers();
    const runs: number[] = [];
    const t = throttle(() => runs.push(timers.now()), 1000, 0, timers);
    t.call();
    t.call();
    t.cancel();
    expect(pending.size).toBe(0);
    advance(2000);
    expect(runs).toEqual([0]);
  });
});
