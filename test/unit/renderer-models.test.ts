import { describe, expect, it } from 'vitest';
import { buildChains } from '../../main/backup/chains.js';
import type { JobInfo } from '../../shared/jobs.js';
import type { RecoveryReport, ValidationReport } from '../../shared/recovery.js';
import { timelineLayout } from '../../renderer/src/pages/backups/catalog/timelineLayout.js';
import { fromLocalInput, toLocalInput, typedTarget } from '../../renderer/src/pages/recovery/wizard/model.js';
import { currentStep, requestKey, targetSummary, wizardResults, wizardSteps, type WizardFacts } from '../../renderer/src/pages/recovery/wizard/wizardState.js';
import { fakeEntry } from '../helpers/backup-entries.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const MIN = 60_000;

describe('the chain timeline layout', () => {
  const entries = [
    fakeEntry({ kind: 'full', from: 0, to: 1000, at: T0 }),
    fakeEntry({ kind: 'incremental', from: 1000, to: 2000, at: T0 + 10 * MIN, missingArchive: true }),
    fakeEntry({ kind: 'incremental', from: 2000, to: 3000, at: T0 + 20 * MIN }),
    fakeEntry({ kind: 'full', from: 0, to: 4000, at: T0 + 30 * MIN }),
  ];
  const chains = buildChains(entries);
  const base = { chains, head: 5000, width: 532, now: T0 + 40 * MIN, marker: null };

  it('draws positions to scale, one lane per chain, the gap hatched and the newest chain short of the head', () => {
    const layout = timelineLayout({ ...base, axis: 'position' });
    // 532 wide: 14 left, 18 right, 500 px for positions 0 … 5,000 (the head).
    expect([layout.left, layout.right, layout.maxPosition]).toEqual([14, 514, 5000]);
    expect(layout.lanes.map((l) => [l.name, l.top, l.problem])).toEqual([
      ['Chain 1', 24, 'gap after #1,000'],
      ['Chain 2', 82, null],
    ]);
    expect(layout.height).toBe(24 + 2 * 58 + 4);
    const [first, second] = layout.lanes;
    expect(first!.links.map((l) => [l.x, l.w, l.text])).toEqual([
      [14, 100, 'Full · 1,000 events'],
      [214, 100, '+1,000'],
    ]);
    expect(first!.gaps.map((g) => [g.x, g.w, g.label])).toEqual([[114, 100, 'missing #1,001–2,000']]);
    expect(first!.uncovered).toBeNull();
    expect(second!.uncovered).toEqual({ x: 414, w: 100, endX: 514, events: 1000, from: 4000 });
    expect(layout.head).toEqual({ x: 514, label: 'head #5,000' });
    // Ticks under the head's label are left out; the first is anchored at its start.
    expect(layout.ticks[0]).toMatchObject({ x: 14, label: '0', anchor: 'start', labelled: true });
    expect(layout.ticks.find((t) => t.x === 514)?.labelled).toBe(false);
    expect([layout.positionAt(0), layout.positionAt(264), layout.positionAt(9999)]).toEqual([1, 2500, 5000]);
  });

  it('marks a target with what follows it up to the head, its label kept inside', () => {
    const layout = timelineLayout({ ...base, axis: 'position', marker: { position: 4900, label: 'target #4,900' } });
    expect(layout.marker).toEqual({ x: 504, cutTo: 514, label: 'target #4,900', anchor: 'end' });
    expect(layout.height).toBe(24 + 2 * 58 + 4 + 18);
    expect(timelineLayout({ ...base, axis: 'position', marker: { position: 100, label: 't' } }).marker).toMatchObject({ x: 24, anchor: 'start' });
    // The time axis has no positions to mark.
    expect(timelineLayout({ ...base, axis: 'time', marker: { position: 100, label: 't' } }).marker).toBeNull();
  });

  it('by time: marks at creation times up to now, linked, the gap named on its connector', () => {
    const layout = timelineLayout({ ...base, axis: 'time' });
    const [first] = layout.lanes;
    const xs = first!.links.map((l) => l.x);
    expect(xs[0]).toBeLessThan(xs[1]!);
    expect(layout.head?.label).toBe('now');
    expect(layout.head!.x).toBeGreaterThan(xs[1]!);
    expect(first!.gaps).toEqual([]);
    expect(first!.connectors.map((c) => [c.xa, c.xb, c.label])).toEqual([[xs[0], xs[1], 'missing #1,001–2,000']]);
    expect(layout.lanes[1]!.uncovered).toBeNull();
  });
});

function job(state: JobInfo['state'], result: unknown = null, phase = 'applying'): JobInfo {
  return { id: `j-${state}`, kind: 'recovery.validate', label: '', state, startedBy: 'admin', startedAt: '', endedAt: null, progress: state === 'running' ? { phase, done: 1, total: 2, unit: 'events' } : null, result, error: null };
}

const validation = { ok: true, archives: [{ archive: 'a', ok: true, problems: [], eventsChecked: 10, durationMs: 5 }], plan: {}, durationMs: 5 } as unknown as ValidationReport;
const report = { ok: true, headPosition: 10, headHash: 'h', steps: [], rtoMs: 1500, events: 10, leftOut: { available: true, events: 3 }, dataLoss: {} } as unknown as RecoveryReport;

describe('the recovery wizard’s steps', () => {
  const request = requestKey({ sources: undefined, target: { kind: 'latest' }, keySource: undefined, keyVersion: 0 });
  const facts = (changes: Partial<WizardFacts>): WizardFacts => ({
    source: { kind: 'catalog' },
    found: { archives: 3, restorable: true },
    sourceUnusable: false,
    keyNeeded: false,
    keyGiven: false,
    target: { kind: 'latest' },
    plan: { position: 10 },
    planFailed: false,
    request,
    runs: {},
    jobs: { validate: undefined, dryRun: undefined, restore: undefined },
    storeName: 'orders',
    ...changes,
  });
  const states = (f: WizardFacts) => Object.fromEntries(Object.entries(wizardSteps(f)).map(([id, v]) => [id, v.state]));

  it('opens the steps in order as the results come', () => {
    expect(states(facts({}))).toEqual({ source: 'done', target: 'done', validate: 'open', 'dry-run': 'locked', confirm: 'locked', restore: 'locked', report: 'locked' });
    const validated = facts({ runs: { validate: { jobId: 'v', request } }, jobs: { validate: job('succeeded', validation), dryRun: undefined, restore: undefined } });
    expect(states(validated)).toMatchObject({ validate: 'done', 'dry-run': 'open', confirm: 'locked' });
    expect(wizardSteps(validated).validate.summary).toBe('1 archives ok');
    const dry = facts({ runs: { validate: { jobId: 'v', request }, dryRun: { jobId: 'd', request } }, jobs: { validate: job('succeeded', validation), dryRun: job('succeeded', report), restore: undefined } });
    expect(states(dry)).toMatchObject({ 'dry-run': 'done', confirm: 'open' });
    expect(wizardSteps(dry)['dry-run'].summary).toBe('keeps 10 · loses 3');
  });

  it('a run for other choices is stale; a restore under way locks what came before it', () => {
    const other = requestKey({ sources: undefined, target: { kind: 'position', position: 5 }, keySource: undefined, keyVersion: 0 });
    expect(states(facts({ runs: { validate: { jobId: 'v', request: other } } })).validate).toBe('stale');
    const restoring = facts({ runs: { restore: { jobId: 'r', request } }, jobs: { validate: undefined, dryRun: undefined, restore: job('running', null, 'verifying') } });
    expect(states(restoring)).toMatchObject({ source: 'locked', target: 'locked', validate: 'locked', confirm: 'locked', restore: 'open' });
    expect(wizardSteps(restoring).restore.summary).toBe('Verifying the hash chain');
    // A locked step asked for shows the restore while one is under way, else the first step.
    expect(currentStep('target', wizardSteps(restoring), true).current).toBe('restore');
    expect(currentStep('confirm', wizardSteps(facts({})), false).current).toBe('source');
    const done = facts({ runs: { restore: { jobId: 'r', request } }, jobs: { validate: undefined, dryRun: undefined, restore: job('succeeded', report) } });
    expect(wizardResults(done.runs, done.jobs).restored).toBe(report);
    expect(wizardSteps(done).report).toEqual({ state: 'done', summary: 'RTO 2 s' });
    const failed = facts({ runs: { restore: { jobId: 'r', request } }, jobs: { validate: undefined, dryRun: undefined, restore: job('failed') } });
    expect(wizardResults(failed.runs, failed.jobs).committed).toBe(false);
    expect(states(failed)).toMatchObject({ source: 'done', restore: 'failed' });
  });

  it('summarises the source, the key and the target', () => {
    const steps = wizardSteps(facts({ source: { kind: 'paths', text: '/x' }, keyNeeded: true }));
    expect(steps.source.summary).toBe('files · 3 archives · key needed');
    expect(currentStep('validate', steps, false).steps.validate.state).toBe('current');
    expect(targetSummary({ kind: 'latest' }, 1200)).toBe('latest → #1,200');
    expect(targetSummary({ kind: 'position', position: 42 }, 42)).toBe('position 42');
    expect(states(facts({ plan: undefined, planFailed: true }))).toMatchObject({ target: 'failed', validate: 'locked' });
    expect(states(facts({ sourceUnusable: true }))).toMatchObject({ target: 'locked' });
  });
});

describe('the target picker', () => {
  it('checks a typed position or time as the contract checks a target', () => {
    expect(typedTarget('position', '1,204', '')).toEqual({ target: { kind: 'position', position: 1204 }, issue: null });
    expect(typedTarget('position', '0', '')).toEqual({ target: null, issue: 'at least 1' });
    expect(typedTarget('position', '1.5', '').issue).toBe('a whole number');
    expect(typedTarget('position', '', '')).toEqual({ target: null, issue: null });
    expect(typedTarget('latest', 'anything', '')).toEqual({ target: { kind: 'latest' }, issue: null });
    expect(typedTarget('time', '', '2026-03-01T')).toEqual({ target: null, issue: null });
    const at = typedTarget('time', '', '2026-03-01T12:30:15.250');
    expect(at.target?.kind).toBe('time');
    expect(at.target?.kind === 'time' && toLocalInput(at.target.at)).toBe('2026-03-01T12:30:15.250');
    expect(fromLocalInput('')).toBeNull();
  });
});
