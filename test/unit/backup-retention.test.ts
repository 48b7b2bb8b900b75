import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { archivesNeededBy, buildChains } from '../../main/backup/chains.js';
import { dayKey, monthKey, planRetention, weekKey } from '../../main/backup/retention.js';
import type { CatalogEntry, RetentionPolicy } from '../../shared/backup.js';
import { fakeEntry } from '../helpers/backup-entries.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A backup history: each step a full or an incremental, some hours after the last; some archives then lost. */
const historyArb = fc
  .record({
    steps: fc.array(fc.record({ full: fc.boolean(), gapHours: fc.integer({ min: 1, max: 72 }), events: fc.integer({ min: 1, max: 50 }) }), { minLength: 1, maxLength: 40 }),
    lost: fc.array(fc.nat(), { maxLength: 5 }),
  })
  .map(({ steps, lost }) => {
    const entries: CatalogEntry[] = [];
    let head = 0;
    let chainEnd: number | undefined;
    let at = T0;
    steps.forEach((s, i) => {
      at += s.gapHours * HOUR;
      head += s.events;
      if (s.full || chainEnd === undefined || i === 0) entries.push(fakeEntry({ kind: 'full', from: 0, to: head, at }));
      else entries.push(fakeEntry({ kind: 'incremental', from: chainEnd, to: head, at }));
      chainEnd = head;
    });
    const lostIndexes = new Set(lost.map((n) => n % entries.length));
    return entries.filter((_, i) => !lostIndexes.has(i) || i === entries.length - 1);
  });

const policyArb: fc.Arbitrary<RetentionPolicy> = fc
  .record({
    keepLast: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    daily: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    weekly: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
    monthly: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  })
  .filter((p) => Object.values(p).some((v) => v !== undefined));

describe('planRetention', () => {
  it('never prunes an archive that a kept archive’s restore chain needs (property)', () => {
    fc.assert(
      fc.property(historyArb, policyArb, (entries, policy) => {
        const plan = planRetention(entries, policy);
        const kept = new Set(plan.keep);
        const chains = buildChains(entries);
        for (const archive of kept) for (const needed of archivesNeededBy(chains, archive)) expect(kept.has(needed), `${archive} needs ${needed}`).toBe(true);
        // Every kept incremental still has its full archive: follow positions back to 0 through kept archives.
        for (const e of entries.filter((x) => kept.has(x.archive) && x.manifest.kind === 'incremental')) {
          const chain = chains.find((c) => c.links.some((l) => l.archive === e.archive))!;
          if (chain.complete) expect(kept.has(chain.links[0]!.archive)).toBe(true);
        }
        expect(new Set([...plan.keep, ...plan.prune]).size).toBe(entries.length);
      }),
      { numRuns: 300 },
    );
  });

  it('always keeps the newest archive and the newest keepLast ones (property)', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 10 }), (entries, n) => {
        const plan = planRetention(entries, { keepLast: n });
        const newest = [...entries].sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt)).slice(0, n);
        for (const e of newest) expect(plan.keep).toContain(e.archive);
      }),
    );
  });

  it('keeps the newest archive of each of the last D days, W weeks and M months', () => {
    // One full backup every 6 hours for 70 days.
    const entries = Array.from({ length: 70 * 4 }, (_, i) => fakeEntry({ kind: 'full', from: 0, to: i + 1, at: T0 + i * 6 * HOUR }));
    const plan = planRetention(entries, { daily: 7, weekly: 4, monthly: 3 });
    const keptDays = new Set(plan.keep.map((a) => dayKey(Date.parse(entries.find((e) => e.archive === a)!.manifest.createdAt))));
    // 7 days, plus the weekly and monthly picks that fall on other days.
    expect(plan.keep.length).toBeGreaterThanOrEqual(7);
    expect(plan.keep.length).toBeLessThanOrEqual(7 + 4 + 3);
    expect(keptDays.size).toBe(plan.keep.length);
    const newest = entries[entries.length - 1]!;
    expect(plan.keep).toContain(newest.archive);
    expect(plan.decisions.find((d) => d.archive === newest.archive)!.reasons).toEqual(expect.arrayContaining(['newest', 'daily', 'weekly', 'monthly']));
  });

  it('keeps the full archive and earlier links of a kept incremental even when the policy alone would drop them', () => {
    const entries = [
      fakeEntry({ kind: 'full', from: 0, to: 10, at: T0 }),
      fakeEntry({ kind: 'incremental', from: 10, to: 20, at: T0 + HOUR }),
      fakeEntry({ kind: 'incremental', from: 20, to: 30, at: T0 + 2 * HOUR }),
    ];
    const plan = planRetention(entries, { keepLast: 1 });
    expect(plan.prune).toEqual([]);
    expect(plan.decisions.find((d) => d.archive === entries[0]!.archive)!.reasons).toEqual(['needed-by-chain']);
  });

  it('buckets by UTC day, ISO week and month', () => {
    expect(dayKey(Date.parse('2026-01-01T23:59:59Z'))).toBe('2026-01-01');
    expect(weekKey(Date.parse('2026-01-01T12:00:00Z'))).toBe('2026-W01'); // a Thursday
    expect(weekKey(Date.parse('2027-01-01T12:00:00Z'))).toBe('2026-W53'); // a Friday in 2026's last week
    expect(weekKey(Date.parse('2024-12-30T12:00:00Z'))).toBe('2025-W01');
    expect(monthKey(Date.parse('2026-02-28T00:00:00Z'))).toBe('2026-02');
  });
});
