import { describe, expect, it } from 'vitest';
import type { AppendLoopData } from '../helpers/appendLoopProtocol.js';
import { expectAcknowledged, expectConsistentStore, expectWholeAppends } from '../helpers/checkStore.js';
import { startAppendLoop } from '../helpers/children.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

describe('two OS processes appending to one store at the same time', () => {
  it.each([
    ['appendNow loops', 'now' as const, 1],
    ['group-commit queues with 4 concurrent appenders each', 'queue' as const, 4],
  ])('%s: no gap, no duplicate, every acknowledged append present, verify ok', async (_what, mode, workers) => {
    const store = temp.store();
    const dir = store.dir;
    store.close();
    const count = mode === 'now' ? 100 : 40;
    const children = ['a', 'b'].map((name) =>
      // A short pause between appends lets the other process take the write lock (SQLite's lock is not fair).
      startAppendLoop({ store: dir, count, mode, workers, streamPrefix: `proc-${name}`, sharedStream: 'shared', maxBatch: 3, pauseMs: 2, waitForGo: true }),
    );
    // Both have opened the store before either appends: they really run at the same time.
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    const exits = await Promise.all(children.map((c) => c.exited));
    for (const e of exits) expect(e, e.stderr).toMatchObject({ code: 0, signal: null });
    for (const c of children) {
      expect(c.tornLines).toEqual([]);
      expect(c.acks).toHaveLength(count * (mode === 'now' ? 1 : workers));
    }

    const rows = expectConsistentStore(dir);
    const acks = children.flatMap((c) => c.acks);
    expect(rows).toHaveLength(acks.reduce((n, a) => n + a.events.length, 0));
    expectAcknowledged(rows, acks);
    expectWholeAppends(rows);
    // The two processes really interleaved: the shared stream has events of both.
    const tags = new Set(rows.filter((r) => r.stream_id === 'shared').map((r) => (JSON.parse(r.data) as AppendLoopData).tag));
    expect(tags.size).toBe(2);
    // ... at the same time: along the log, the writing process changes many times.
    const byPosition = rows.map((r) => (JSON.parse(r.data) as AppendLoopData).tag);
    const switches = byPosition.filter((tag, i) => i > 0 && tag !== byPosition[i - 1]).length;
    expect(switches).toBeGreaterThanOrEqual(2);
    // And each process's own stream has its appends in the order it made them.
    for (const c of children) {
      for (const w of Array.from({ length: mode === 'now' ? 1 : workers }, (_, i) => i)) {
        const own = c.acks.filter((a) => a.w === w && a.streamId !== 'shared').flatMap((a) => a.events.map((e) => e.v));
        expect(own).toEqual(own.map((_, i) => i));
      }
    }
  });

  it('the CLI appending beside an open store: both see one log with one chain', async () => {
    const store = temp.store();
    const appends = Array.from({ length: 6 }, (_, i) =>
      runCli(['append', store.dir, '--stream', 'cli', '--type', 'FromCli', '--data', JSON.stringify({ i })]),
    );
    for (let i = 0; i < 30; i++) await store.append({ streamId: 'inproc', events: [{ type: 'FromHere', data: { i } }] });
    for (const r of await Promise.all(appends)) expect(r.code, r.stderr).toBe(0);
    const rows = expectConsistentStore(store.dir);
    expect(rows).toHaveLength(36);
    expect(store.head().position).toBe(36);
    // This process's writer sees the stream versions the other processes wrote.
    expect(await store.append({ streamId: 'cli', expectedVersion: 5, events: [{ type: 'T', data: {} }] })).toMatchObject({ globalPosition: 37, streamVersion: 6 });
  });
});
