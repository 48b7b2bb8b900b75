import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../shared/events.js';
import { ChainChecker } from '../../main/store/chainChecker.js';
import { chainHash } from '../../main/store/hashChain.js';
import type { StoredEvent } from '../../main/store/storedEvent.js';

/** A valid chain of n events, built with the real hash function. */
function chain(n: number, from = 0, fromHash = GENESIS_HASH): StoredEvent[] {
  const events: StoredEvent[] = [];
  let previous = fromHash;
  for (let p = from + 1; p <= from + n; p++) {
    const e = {
      globalPosition: p,
      eventId: `00000000-0000-7000-8000-${String(p).padStart(12, '0')}`,
      streamId: `s${p % 3}`,
      streamVersion: Math.floor((p - 1) / 3),
      type: 'T',
      data: JSON.stringify({ p }),
      metadata: '{}',
      recordedAt: 1767225600000 + p,
    };
    previous = chainHash(previous, e.globalPosition, e.eventId, e.streamId, e.streamVersion, e.type, e.recordedAt, e.metadata, e.data);
    events.push({ ...e, hash: previous });
  }
  return events;
}

function check(checker: ChainChecker, events: readonly StoredEvent[]) {
  return events.flatMap((e) => checker.next(e) ?? []);
}

describe('ChainChecker', () => {
  it('accepts a valid chain from the genesis and ends at its head', () => {
    const events = chain(10);
    const checker = new ChainChecker();
    expect(check(checker, events)).toEqual([]);
    expect(checker.checked).toBe(10);
    expect(checker.position).toBe(10);
    expect(checker.hash).toBe(events[9]!.hash);
  });

  it('continues from a known (position, hash), as an incremental archive or an import does', () => {
    const events = chain(10);
    expect(check(new ChainChecker(6, events[5]!.hash), events.slice(6))).toEqual([]);
    // ... and refuses the same events from the wrong starting hash.
    const problems = check(new ChainChecker(6, events[4]!.hash), events.slice(6));
    expect(problems).toEqual([expect.objectContaining({ code: 'HASH_MISMATCH', position: 7 })]);
  });

  it('names exactly the event whose content changed', () => {
    const events = chain(10);
    events[4] = { ...events[4]!, data: '{"p":999}' };
    expect(check(new ChainChecker(), events)).toEqual([expect.objectContaining({ code: 'HASH_MISMATCH', position: 5 })]);
  });

  it('names the changed event and its successor when a stored hash is changed', () => {
    const events = chain(10);
    events[4] = { ...events[4]!, hash: 'f'.repeat(64) };
    expect(check(new ChainChecker(), events).map((p) => [p.code, p.position])).toEqual([
      ['HASH_MISMATCH', 5],
      ['HASH_MISMATCH', 6],
    ]);
  });

  it('reports a gap with the missing range and does not also blame the event after it', () => {
    const events = chain(10);
    const problems = check(new ChainChecker(), [...events.slice(0, 3), ...events.slice(6)]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'POSITION_GAP', position: 4 });
    expect(problems[0]!.message).toContain('4–6');
  });

  it('reports positions that go backwards or repeat', () => {
    const events = chain(5);
    const problems = check(new ChainChecker(), [...events, events[2]!]);
    expect(problems[0]).toMatchObject({ code: 'POSITION_GAP', position: 6 });
    expect(problems[0]!.message).toContain('must increase by one');
  });

  it('reports a chain that does not start at position 1', () => {
    expect(check(new ChainChecker(), chain(3, 1))).toEqual([expect.objectContaining({ code: 'POSITION_GAP', position: 1 })]);
  });
});
