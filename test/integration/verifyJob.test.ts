import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../main/store/eventStore.js';
import type { VerifyProgress } from '../../main/store/verify.js';
import type * as RunJobModule from '../../main/workers/runJob.js';
import { importBuilt } from '../helpers/built.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { createFilledStore } from '../helpers/fixtures.js';
import { withRawDb } from '../helpers/rawDb.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

// One large store shared by the tests that only read it: verifying it takes long enough to cancel midway.
const EVENTS = 150_000;
let bigStore: string;
let root: string;
// The built runJob (dist/), as shipped: its worker is dist/main/workers/jobWorker.js.
let runJob: typeof RunJobModule.runJob;
beforeAll(async () => {
  ({ runJob } = await importBuilt<typeof RunJobModule>('main/workers/runJob.ts'));
  root = mkdtempSync(join(tmpdir(), 'pconsole-verifyjob-'));
  bigStore = join(root, 'store');
  createFilledStore(bigStore, EVENTS, { streams: 50, perAppend: 5000, dataBytes: 40 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("runJob('verifyStore') in a worker thread", () => {
  it('verifies the whole store and reports progress through every phase', async () => {
    const progress: VerifyProgress[] = [];
    const report = await runJob('verifyStore', { dir: bigStore }, { onProgress: (p) => progress.push(p) });
    expect(report).toMatchObject({ ok: true, checkedEvents: EVENTS, headPosition: EVENTS, firstBadPosition: null, problems: [] });
    const chain = progress.filter((p) => p.phase === 'chain');
    expect(chain.length).toBeGreaterThan(1);
    // Progress only moves forwards and stays within the total.
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.done).toBeGreaterThanOrEqual(chain[i - 1]!.done);
    for (const p of chain) {
      expect(p.total).toBe(EVENTS);
      expect(p.done).toBeLessThanOrEqual(EVENTS);
    }
  });

  it('keeps the calling thread responsive while it runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    try {
      await runJob('verifyStore', { dir: bigStore });
    } finally {
      clearInterval(timer);
    }
    const elapsed = performance.now() - started;
    // A blocked loop would tick (almost) never; a free one about every 10 ms.
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
  });

  it('is cancelled midway through the chain by an AbortSignal: CANCELLED, no report', async () => {
    const controller = new AbortController();
    const seen: VerifyProgress[] = [];
    const job = runJob(
      'verifyStore',
      { dir: bigStore },
      {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.phase === 'chain') controller.abort();
        },
      },
    );
    const error = await expectConsoleError(() => job, 'CANCELLED');
    expect(error.message).toContain('cancelled');
    const lastChain = seen.filter((p) => p.phase === 'chain').at(-1);
    expect(lastChain).toBeDefined();
    expect(lastChain!.done).toBeLessThan(EVENTS);
  });

  it('an already aborted signal rejects with CANCELLED before any work starts', async () => {
    const controller = new AbortController();
    controller.abort();
    const progress: VerifyProgress[] = [];
    await expectConsoleError(() => runJob('verifyStore', { dir: bigStore }, { signal: controller.signal, onProgress: (p) => progress.push(p) }), 'CANCELLED');
    expect(progress).toEqual([]);
  });

  it('returns a report that names a tampered position', async () => {
    const dir = temp.path();
    createFilledStore(dir, 300, { perAppend: 50 });
    withRawDb(dir, (db) => db.prepare("UPDATE events SET data = '{\"n\":0}' WHERE global_position = 123").run());
    const report = await runJob('verifyStore', { dir });
    expect(report).toMatchObject({ ok: false, firstBadPosition: 123, problems: [{ code: 'HASH_MISMATCH', position: 123 }] });
  });

  it('a missing store rejects with NOT_FOUND carried across the thread boundary', async () => {
    const error = await expectConsoleError(() => runJob('verifyStore', { dir: temp.path('absent') }), 'NOT_FOUND');
    expect(error.message).toContain('pconsole init');
  });

  it('runs while this thread has the store open for writing and appending', async () => {
    const store = temp.track(EventStore.open(temp.store().dir));
    await store.append({ streamId: 's', events: [{ type: 'T', data: {} }] });
    const [report] = await Promise.all([runJob('verifyStore', { dir: store.dir }), store.append({ streamId: 's', events: [{ type: 'T', data: {} }] })]);
    expect(report.ok).toBe(true);
    expect(report.checkedEvents).toBeGreaterThanOrEqual(1);
  });
});

describe('runJob from the TypeScript sources (how tests and the dev build load it)', () => {
  it('starts its worker from jobWorker.ts and returns the report', async () => {
    const { runJob: runJobFromSource } = await import('../../main/workers/runJob.js');
    const dir = temp.path();
    createFilledStore(dir, 10);
    const report = await runJobFromSource('verifyStore', { dir });
    expect(report).toMatchObject({ ok: true, checkedEvents: 10 });
  });
});
