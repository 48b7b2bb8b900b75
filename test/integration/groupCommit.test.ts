import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConsoleError } from '../../shared/errors.js';
import type { AppendRequest, AppendResult } from '../../shared/events.js';
import type { CommittedNotice } from '../../main/store/eventStore.js';
import { verifyLog } from '../../main/store/verify.js';
import { rawEvents } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

describe('group commit: many concurrent store.append() calls', () => {
  it('settles every promise on its own, shares commits, and leaves gapless positions and a valid chain', async () => {
    const store = temp.store();
    const notices: CommittedNotice[] = [];
    store.onCommitted((n) => notices.push(n));
    const taken = randomUUID();
    await store.append({ streamId: 'taken', expectedVersion: 'no_stream', events: [{ type: 'Taken', data: {}, eventId: taken }] });
    notices.length = 0;

    // 400 requests in one tick: 20 streams, 1-3 events each; some are meant to fail.
    type Plan = { request: AppendRequest; fails?: 'WRONG_EXPECTED_VERSION' | 'DUPLICATE_EVENT_ID'; idempotent?: boolean };
    const plans: Plan[] = [];
    for (let i = 0; i < 400; i++) {
      const streamId = `s-${i % 20}`;
      const events = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ type: 'Counted', data: { i, k } }));
      if (i < 20) plans.push({ request: { streamId, expectedVersion: 'no_stream', events } });
      else if (i % 50 === 7) plans.push({ request: { streamId: 'taken', expectedVersion: 'no_stream', events }, fails: 'WRONG_EXPECTED_VERSION' });
      else if (i % 50 === 19) plans.push({ request: { streamId, expectedVersion: 100_000, events }, fails: 'WRONG_EXPECTED_VERSION' });
      else if (i % 50 === 31) plans.push({ request: { streamId, events: [{ type: 'Other', data: { i }, eventId: taken }] }, fails: 'DUPLICATE_EVENT_ID' });
      else if (i % 50 === 43) plans.push({ request: { streamId: 'taken', events: [{ type: 'Taken', data: {}, eventId: taken }] }, idempotent: true });
      else plans.push({ request: { streamId, expectedVersion: 'stream_exists', events } });
    }
    const settled = await Promise.allSettled(plans.map((p) => store.append(p.request)));

    const successes: AppendResult[] = [];
    settled.forEach((s, i) => {
      const plan = plans[i]!;
      if (plan.fails !== undefined) {
        expect(s.status, `request ${i}`).toBe('rejected');
        const reason = (s as PromiseRejectedResult).reason as ConsoleError;
        expect(reason).toBeInstanceOf(ConsoleError);
        expect(reason.code).toBe(plan.fails);
      } else {
        expect(s.status, `request ${i}: ${s.status === 'rejected' ? String(s.reason) : ''}`).toBe('fulfilled');
        const r = (s as PromiseFulfilledResult<AppendResult>).value;
        expect(r.idempotent).toBe(plan.idempotent === true);
        expect(r.events).toHaveLength(plan.request.events.length);
        if (plan.idempotent) expect(r.globalPosition).toBe(1);
        else successes.push(r);
      }
    });

    // Every success got its own positions; together they are exactly 2..head, in request order.
    const positions = successes.flatMap((r) => r.events.map((e) => e.globalPosition));
    const head = store.head().position;
    expect(positions).toEqual(Array.from({ length: head - 1 }, (_, i) => i + 2));
    // Fewer commits than requests: concurrent appends shared transactions.
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.length).toBeLessThan(plans.length / 10);
    expect(notices.reduce((n, x) => n + x.written, 0)).toBe(head - 1);
    // Stream versions are gapless per stream, and the streams table agrees.
    const byStream = new Map<string, number[]>();
    for (const e of rawEvents(store.dir)) byStream.set(e.stream_id, [...(byStream.get(e.stream_id) ?? []), e.stream_version]);
    for (const [streamId, versions] of byStream) {
      expect(versions).toEqual(versions.map((_, i) => i));
      expect(store.reader.streamSummary(streamId)!.version).toBe(versions.length - 1);
    }
    expect(verifyLog(store.db)).toMatchObject({ ok: true, checkedEvents: head, problems: [] });
  });

  it('an append enqueued while a commit is being applied goes into a later group, not lost', async () => {
    const store = temp.store();
    const results: number[] = [];
    const first = Array.from({ length: 50 }, (_, i) => store.append({ streamId: 'a', events: [{ type: 'T', data: { i } }] }).then((r) => results.push(r.globalPosition)));
    // Chained appends arrive during later turns of the loop.
    const chained = (async () => {
      for (let i = 0; i < 20; i++) results.push((await store.append({ streamId: 'b', events: [{ type: 'T', data: { i } }] })).globalPosition);
    })();
    await Promise.all([...first, chained]);
    expect([...results].sort((x, y) => x - y)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    expect(verifyLog(store.db).ok).toBe(true);
  });

  it('an expected-version chain inside one group sees the earlier appends of that group', async () => {
    const store = temp.store();
    const settled = await Promise.allSettled([
      store.append({ streamId: 's', expectedVersion: 'no_stream', events: [{ type: 'T', data: {} }] }),
      store.append({ streamId: 's', expectedVersion: 0, events: [{ type: 'T', data: {} }] }),
      store.append({ streamId: 's', expectedVersion: 0, events: [{ type: 'T', data: {} }] }), // stale: the stream is at 1 now
      store.append({ streamId: 's', expectedVersion: 1, events: [{ type: 'T', data: {} }] }),
      store.append({ streamId: 's', expectedVersion: 'no_stream', events: [{ type: 'T', data: {} }] }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(((settled[2] as PromiseRejectedResult).reason as ConsoleError).details).toMatchObject({ actualVersion: 1 });
    expect(((settled[4] as PromiseRejectedResult).reason as ConsoleError).details).toMatchObject({ actualVersion: 2 });
    expect(store.reader.streamSummary('s')).toMatchObject({ version: 2, firstPosition: 1, lastPosition: 3 });
  });

  it('closing the store rejects what is still waiting with CANCELLED and writes none of it', async () => {
    const store = temp.store();
    const pending = Array.from({ length: 10 }, (_, i) => store.append({ streamId: 's', events: [{ type: 'T', data: { i } }] }));
    store.close();
    const settled = await Promise.allSettled(pending);
    for (const s of settled) {
      expect(s.status).toBe('rejected');
      expect(((s as PromiseRejectedResult).reason as ConsoleError).code).toBe('CANCELLED');
    }
    expect(rawEvents(store.dir)).toEqual([]);
  });
});
