import { describe, expect, it } from 'vitest';
import { archivesNeededBy, buildChains, findContinuation } from '../../main/backup/chains.js';
import { fakeEntry, STORE_ID } from '../helpers/backup-entries.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const names = (xs: ReadonlyArray<{ manifest: { fromPosition: number; toPosition: number } }>) => xs.map((x) => `${x.manifest.fromPosition}-${x.manifest.toPosition}`);

describe('buildChains', () => {
  it('links a full archive and the incrementals that continue it, in order', () => {
    const entries = [fakeEntry({ kind: 'incremental', from: 100, to: 150, at: T0 + 2 }), fakeEntry({ kind: 'full', from: 0, to: 100, at: T0 }), fakeEntry({ kind: 'incremental', from: 150, to: 200, at: T0 + 3 })];
    const [chain, ...rest] = buildChains(entries);
    expect(rest).toEqual([]);
    expect(names(chain!.links)).toEqual(['0-100', '100-150', '150-200']);
    expect(chain).toMatchObject({ storeId: STORE_ID, complete: true, gaps: [], restorableTo: 200, toPosition: 200 });
  });

  it('names the missing range when a middle incremental is gone', () => {
    const entries = [
      fakeEntry({ kind: 'full', from: 0, to: 100, at: T0 }),
      fakeEntry({ kind: 'incremental', from: 100, to: 150, at: T0 + 1 }),
      fakeEntry({ kind: 'incremental', from: 200, to: 260, at: T0 + 3 }),
      fakeEntry({ kind: 'incremental', from: 260, to: 300, at: T0 + 4 }),
    ];
    const chains = buildChains(entries);
    expect(chains).toHaveLength(1);
    expect(chains[0]).toMatchObject({ complete: false, restorableTo: 150, toPosition: 300 });
    expect(chains[0]!.gaps).toEqual([expect.objectContaining({ afterPosition: 150, untilPosition: 200, kind: 'missing' })]);
    expect(chains[0]!.gaps[0]!.message).toContain('events 151–200 are missing');
  });

  it('an archive whose file is missing counts as a gap', () => {
    const entries = [
      fakeEntry({ kind: 'full', from: 0, to: 100, at: T0 }),
      fakeEntry({ kind: 'incremental', from: 100, to: 150, at: T0 + 1, missingArchive: true }),
      fakeEntry({ kind: 'incremental', from: 150, to: 200, at: T0 + 2 }),
    ];
    expect(buildChains(entries)[0]).toMatchObject({ complete: false, restorableTo: 100, gaps: [expect.objectContaining({ afterPosition: 100, untilPosition: 150 })] });
  });

  it('reports a chain without its full archive, and one that continues another history', () => {
    const noBase = buildChains([fakeEntry({ kind: 'incremental', from: 50, to: 80, at: T0 })]);
    expect(noBase[0]).toMatchObject({ complete: false, restorableTo: 0, gaps: [expect.objectContaining({ afterPosition: 0, untilPosition: 50, kind: 'missing' })] });
    const diverged = buildChains([fakeEntry({ kind: 'full', from: 0, to: 100, at: T0 }), fakeEntry({ kind: 'incremental', from: 100, to: 120, at: T0 + 1, history: 'other', fromHistory: 'other' })]);
    expect(diverged[0]).toMatchObject({ complete: false, restorableTo: 100, gaps: [expect.objectContaining({ kind: 'diverged', afterPosition: 100 })] });
  });

  it('keeps stores apart and starts a new chain at each full archive', () => {
    const entries = [
      fakeEntry({ kind: 'full', from: 0, to: 100, at: T0 }),
      fakeEntry({ kind: 'incremental', from: 100, to: 110, at: T0 + 1 }),
      fakeEntry({ kind: 'full', from: 0, to: 300, at: T0 + DAY }),
      fakeEntry({ kind: 'incremental', from: 300, to: 310, at: T0 + DAY + 1 }),
      fakeEntry({ kind: 'full', from: 0, to: 5, at: T0, storeId: 'another-store' }),
    ];
    const chains = buildChains(entries);
    expect(chains.map((c) => [c.storeId, names(c.links)])).toEqual([
      [STORE_ID, ['0-100', '100-110']],
      [STORE_ID, ['0-300', '300-310']],
      ['another-store', ['0-5']],
    ]);
  });

  it('an incremental continues the newest archive ending where it starts (a full taken at the same head)', () => {
    const entries = [
      fakeEntry({ kind: 'full', from: 0, to: 100, at: T0 }),
      fakeEntry({ kind: 'incremental', from: 100, to: 200, at: T0 + 1 }),
      fakeEntry({ kind: 'full', from: 0, to: 200, at: T0 + 2 }),
      fakeEntry({ kind: 'incremental', from: 200, to: 250, at: T0 + 3 }),
    ];
    const chains = buildChains(entries);
    expect(chains.map((c) => names(c.links))).toEqual([['0-100', '100-200'], ['0-200', '200-250']]);
  });
});

describe('findContinuation and archivesNeededBy', () => {
  const entries = [
    fakeEntry({ kind: 'full', from: 0, to: 100, at: T0 }),
    fakeEntry({ kind: 'incremental', from: 100, to: 150, at: T0 + 1 }),
    fakeEntry({ kind: 'incremental', from: 150, to: 180, at: T0 + 2 }),
  ];

  it('continues the end of the complete chain that reaches furthest', () => {
    expect(findContinuation(entries, STORE_ID)?.manifest.toPosition).toBe(180);
    expect(findContinuation(entries, 'unknown-store')).toBeUndefined();
    expect(findContinuation([fakeEntry({ kind: 'incremental', from: 10, to: 20, at: T0 })], STORE_ID)).toBeUndefined();
  });

  it('lists every archive an archive needs before it', () => {
    const chains = buildChains(entries);
    expect([...archivesNeededBy(chains, entries[2]!.archive)].sort()).toEqual([entries[0]!.archive, entries[1]!.archive].sort());
    expect(archivesNeededBy(chains, entries[0]!.archive).size).toBe(0);
  });
});
