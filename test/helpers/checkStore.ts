import { expect } from 'vitest';
import { EventStore } from '../../main/store/eventStore.js';
import { verifyLog, type VerifyReport } from '../../main/store/verify.js';
import type { AppendAck, AppendLoopData } from './appendLoopProtocol.js';
import { rawEvents, type RawEventRow } from './rawDb.js';

/**
 * Checks the invariants every store must keep, straight from the file: positions 1..n without a gap,
 * versions 0..k-1 per stream, the streams table matching the events, and verify (integrity_check, hash
 * chain, head record) ok. Returns the rows for further checks.
 */
export function expectConsistentStore(dir: string): RawEventRow[] {
  const rows = rawEvents(dir);
  expect(rows.map((r) => r.global_position)).toEqual(rows.map((_, i) => i + 1));
  expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
  const versions = new Map<string, number[]>();
  for (const r of rows) versions.set(r.stream_id, [...(versions.get(r.stream_id) ?? []), r.stream_version]);
  for (const [streamId, list] of versions) expect(list, `versions of ${streamId}`).toEqual(list.map((_, i) => i));
  const report = verifyStore(dir);
  expect(report.problems).toEqual([]);
  expect(report).toMatchObject({ ok: true, checkedEvents: rows.length, headPosition: rows.length });
  return rows;
}

/** verifyLog on a read-only open of the store, including the head record comparison. */
export function verifyStore(dir: string): VerifyReport {
  const store = EventStore.open(dir, { readonly: true });
  try {
    return verifyLog(store.db, { openProblems: store.openProblems });
  } finally {
    store.close();
  }
}

/** Every acknowledged append is in the store: the same event ids at the same positions, stream and versions. */
export function expectAcknowledged(rows: readonly RawEventRow[], acks: readonly AppendAck[]): void {
  const byPosition = new Map(rows.map((r) => [r.global_position, r]));
  for (const ack of acks) {
    for (const e of ack.events) {
      const row = byPosition.get(e.p);
      expect(row, `acknowledged position ${e.p} is missing`).toBeDefined();
      expect(row!.event_id).toBe(e.id);
      expect(row!.stream_id).toBe(ack.streamId);
      expect(row!.stream_version).toBe(e.v);
    }
  }
}

/** No append was written in part: each (writer, append number) has all of its `of` events, in order. */
export function expectWholeAppends(rows: readonly RawEventRow[]): void {
  const groups = new Map<string, RawEventRow[]>();
  for (const r of rows) {
    const d = JSON.parse(r.data) as AppendLoopData;
    const key = `${d.tag}/${d.w}/${d.n}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const [key, group] of groups) {
    const of = (JSON.parse(group[0]!.data) as AppendLoopData).of;
    expect(group.length, `append ${key}`).toBe(of);
    expect(group.map((r) => (JSON.parse(r.data) as AppendLoopData).i)).toEqual(group.map((_, i) => i));
    expect(group.map((r) => r.global_position)).toEqual(group.map((_, i) => group[0]!.global_position + i));
  }
}
