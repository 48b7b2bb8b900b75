import { describe, expect, it } from 'vitest';
import { chooseChain, linkGap, newestRestorable } from '../../main/recovery/chooseChain.js';
import type { CatalogEntry } from '../../shared/backup.js';
import type { RecoveryPlan, RecoveryTarget } from '../../shared/recovery.js';
import { fakeEntry, STORE_ID } from '../helpers/backup-entries.js';
import { expectConsoleError } from '../helpers/expectError.js';

const HOUR = 3_600_000;
const T = Date.parse('2026-02-01T00:00:00Z');
const at = (hours: number) => T + hours * HOUR;
const iso = (hours: number) => new Date(at(hours)).toISOString();

/** full 0–100 (h1), incr 100–200 (h2), incr 200–300 (h3), incr 300–400 (h4). */
function chain(): CatalogEntry[] {
  return [
    fakeEntry({ kind: 'full', from: 0, to: 100, at: at(1) }),
    fakeEntry({ kind: 'incremental', from: 100, to: 200, at: at(2) }),
    fakeEntry({ kind: 'incremental', from: 200, to: 300, at: at(3) }),
    fakeEntry({ kind: 'incremental', from: 300, to: 400, at: at(4) }),
  ];
}

const plan = (entries: CatalogEntry[], target: RecoveryTarget): RecoveryPlan => chooseChain(entries, STORE_ID, target);
const links = (p: RecoveryPlan) => p.links.map((l) => `${l.kind === 'full' ? 'F' : 'I'}${l.fromPosition}-${l.toPosition}@${l.usedTo}`);

describe('chooseChain: positions', () => {
  it('takes the full archive and just the incrementals needed, the last one used up to the target', () => {
    expect(links(plan(chain(), { kind: 'position', position: 50 }))).toEqual(['F0-100@50']);
    expect(links(plan(chain(), { kind: 'position', position: 100 }))).toEqual(['F0-100@100']);
    expect(links(plan(chain(), { kind: 'position', position: 101 }))).toEqual(['F0-100@100', 'I100-200@101']);
    expect(links(plan(chain(), { kind: 'position', position: 300 }))).toEqual(['F0-100@100', 'I100-200@200', 'I200-300@300']);
    const p = plan(chain(), { kind: 'position', position: 250 });
    expect(p).toMatchObject({ position: 250, expectedHash: null, continuation: [], blockingGap: null });
    expect(plan(chain(), { kind: 'position', position: 300 }).expectedHash).toBe(chain()[2]!.manifest.toHash);
  });

  it('prefers the shortest chain: a later full archive past the target, cut back, beats a long chain', () => {
    const entries = [...chain(), fakeEntry({ kind: 'full', from: 0, to: 350, at: at(5) })];
    expect(links(plan(entries, { kind: 'position', position: 250 }))).toEqual(['F0-350@250']);
    expect(links(plan(entries, { kind: 'position', position: 90 }))).toEqual(['F0-100@90']); // as short: the one with less to cut
  });

  it('"latest" is the end of the newest archive, through its own history', () => {
    const p = plan(chain(), { kind: 'latest' });
    expect(links(p)).toEqual(['F0-100@100', 'I100-200@200', 'I200-300@300', 'I300-400@400']);
    expect(p).toMatchObject({ position: 400, expectedHash: chain()[3]!.manifest.toHash });
    // After a restore to 200 the store went on with another history: "latest" follows the newest archive.
    const forked = [...chain(), fakeEntry({ kind: 'incremental', from: 200, to: 260, at: at(6), history: 'after-restore', fromHistory: 'main' })];
    expect(links(plan(forked, { kind: 'latest' }))).toEqual(['F0-100@100', 'I100-200@200', 'I200-260@260']);
  });

  it('refuses a target beyond a missing middle incremental, naming the missing range', async () => {
    const entries = chain().filter((e) => e.manifest.toPosition !== 300);
    for (const target of [{ kind: 'latest' }, { kind: 'position', position: 350 }, { kind: 'position', position: 250 }] as const) {
      const error = await expectConsoleError(() => plan(entries, target), 'INTEGRITY_VIOLATION');
      expect(error.message).toContain('events 201–300 are missing');
      expect(error.details).toMatchObject({ reason: 'CHAIN_GAP', missingFrom: 201, missingTo: 300 });
    }
    expect(links(plan(entries, { kind: 'position', position: 200 }))).toHaveLength(2);
    expect(plan(entries, { kind: 'position', position: 200 }).warnings.join()).toContain('201–300');
  });

  it('refuses a chain whose link starts from another history, and one without a full archive', async () => {
    const diverged = [...chain().slice(0, 2), fakeEntry({ kind: 'incremental', from: 200, to: 300, at: at(3), fromHistory: 'other', history: 'other' })];
    const error = await expectConsoleError(() => plan(diverged, { kind: 'latest' }), 'INTEGRITY_VIOLATION');
    expect(error.message).toContain('different histories');
    const noFull = await expectConsoleError(() => plan(chain().slice(1), { kind: 'position', position: 150 }), 'INTEGRITY_VIOLATION');
    expect(noFull.message).toContain('1–100');
  });

  it('refuses a position past every archive, and a store with no archive at all', async () => {
    const error = await expectConsoleError(() => plan(chain(), { kind: 'position', position: 450 }), 'INTEGRITY_VIOLATION');
    expect(error.message).toContain('401–450');
    await expectConsoleError(() => chooseChain(chain(), 'another-store', { kind: 'latest' }), 'NOT_FOUND');
    await expectConsoleError(() => plan(chain().map((e) => ({ ...e, archiveBytes: null })), { kind: 'latest' }), 'NOT_FOUND');
  });

  it('checks each link itself: contiguous positions and hashes', () => {
    const [full, i1] = chain();
    expect(linkGap(full!, i1!)).toBeNull();
    expect(linkGap(full!, chain()[2]!)).toMatchObject({ kind: 'missing', afterPosition: 100, untilPosition: 200 });
    expect(linkGap(full!, fakeEntry({ kind: 'incremental', from: 100, to: 200, at: at(2), fromHistory: 'x' }))).toMatchObject({ kind: 'diverged' });
  });
});

describe('chooseChain: times', () => {
  it('takes the links up to the first one created after the time; the rest continue the chain if needed', () => {
    const p = plan(chain(), { kind: 'time', at: iso(2.5) });
    expect(links(p)).toEqual(['F0-100@100', 'I100-200@200', 'I200-300@300']);
    expect(p.continuation.map((l) => l.toPosition)).toEqual([400]);
    expect(p).toMatchObject({ position: null, blockingGap: null });
    expect(links(plan(chain(), { kind: 'time', at: iso(0.5) }))).toEqual(['F0-100@100']);
    expect(links(plan(chain(), { kind: 'time', at: iso(10) }))).toHaveLength(4);
  });

  it('uses the fewest archives: a later full archive cut back, or the newest full made before the time', () => {
    const entries = [...chain(), fakeEntry({ kind: 'full', from: 0, to: 250, at: at(2.6) })];
    // The full made at 2.6 h ends at 250 but events after it may be older than 2.7 h: only the long chain can tell.
    expect(links(plan(entries, { kind: 'time', at: iso(2.7) }))).toEqual(['F0-100@100', 'I100-200@200', 'I200-300@300']);
    expect(links(plan(entries, { kind: 'time', at: iso(2.4) }))).toEqual(['F0-250@250']);
    // One archive either way: the full made before the time, else the oldest made after it.
    expect(links(plan(entries, { kind: 'time', at: iso(1.5) }))).toEqual(['F0-250@250']);
    expect(links(plan(entries, { kind: 'time', at: iso(0.5) }))).toEqual(['F0-100@100']);
    // A full made before the time that does not reach an archive made after it cannot tell where the time ends.
    const later = [...chain(), fakeEntry({ kind: 'full', from: 0, to: 150, at: at(1.2) })];
    expect(links(plan(later, { kind: 'time', at: iso(1.5) }))).toEqual(['F0-100@100', 'I100-200@200']);
    // As many archives either way: the newest full archive made before the time.
    const branch = [...later, fakeEntry({ kind: 'incremental', from: 150, to: 220, at: at(2.1) })];
    expect(links(plan(branch, { kind: 'time', at: iso(1.5) }))).toEqual(['F0-150@150', 'I150-220@220']);
  });

  it('refuses a time whose events would lie in a gap', async () => {
    const entries = chain().filter((e) => e.manifest.toPosition !== 300);
    const error = await expectConsoleError(() => plan(entries, { kind: 'time', at: iso(3.5) }), 'INTEGRITY_VIOLATION');
    expect(error.message).toContain('201–300');
    // Before the gap's archives were made the time is reachable; the gap is remembered for a time that runs into it.
    const p = plan(entries, { kind: 'time', at: iso(1.5) });
    expect(links(p)).toEqual(['F0-100@100', 'I100-200@200']);
    expect(p.blockingGap).toMatchObject({ afterPosition: 200, untilPosition: 300 });
  });
});

describe('newestRestorable', () => {
  it('is the end of the newest chain without a gap', () => {
    expect(newestRestorable(chain(), STORE_ID)).toMatchObject({ position: 400 });
    expect(newestRestorable(chain().filter((e) => e.manifest.toPosition !== 300), STORE_ID)).toMatchObject({ position: 200 });
    expect(newestRestorable(chain().slice(1), STORE_ID)).toBeUndefined();
  });
});
