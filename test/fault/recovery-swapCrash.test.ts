import { DEAD_PID, writeLockHeldBy } from '../helpers/locks.js';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completeInterruptedSwap } from '../../main/store/swapJournal.js';
import { restorePathsFor } from '../../main/store/restorePaths.js';
import { runRecovery } from '../../main/recovery/runRecovery.js';
import { listPreRestoreStores } from '../../main/recovery/preRestore.js';
import { EventStore } from '../../main/store/eventStore.js';
import { expectConsistentStore } from '../helpers/checkStore.js';
import { expectConsoleError } from '../helpers/expectError.js';
import { fillStore } from '../helpers/fixtures.js';
import { rawEvents } from '../helpers/rawDb.js';
import { backedUpStore, type BackedUpStore } from '../helpers/recovery-fixtures.js';
import { startRecoveryChild } from '../helpers/recovery-children.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();
const TARGET = 450;

async function storeWithBadBatch(): Promise<{ set: BackedUpStore; original: string[] }> {
  const root = temp.dir('pconsole-fault-');
  const set = await backedUpStore({ store: join(root, 'store'), backups: join(root, 'backups') }, { full: 300, increments: [200], perAppend: 10 });
  const s = EventStore.open(set.store);
  fillStore(s, 100, { streams: 2 });
  s.close();
  return { set, original: rawEvents(set.store).map((r) => r.hash) };
}

async function crashAt(set: BackedUpStore, point: string): Promise<void> {
  const child = startRecoveryChild({ store: set.store, backups: set.backups, position: TARGET, crashAt: point });
  const exit = await child.exited;
  expect(exit.signal, exit.stderr).toBe('SIGKILL');
  expect(child.lines.at(-1)).toEqual({ point });
}

describe('a crash inside the swap of an in-place restore', () => {
  it('between the two renames: the store is missing until the next open, which rolls the swap back', async () => {
    const { set, original } = await storeWithBadBatch();
    await crashAt(set, 'between-renames');
    const paths = restorePathsFor(set.store);
    // The state the crash left: the store set aside, the restored one not yet in place, the journal saying so.
    expect(existsSync(set.store)).toBe(false);
    expect(existsSync(paths.journal)).toBe(true);
    expect(existsSync(paths.incoming)).toBe(true);
    expect(await listPreRestoreStores(set.store)).toHaveLength(1);
    // The next open finds the store as it was, whole; the half-done restore is gone.
    const store = EventStore.open(set.store);
    expect(store.openProblems).toEqual([]);
    store.close();
    expect(rawEvents(set.store).map((r) => r.hash)).toEqual(original);
    expectConsistentStore(set.store);
    expect(existsSync(paths.journal)).toBe(false);
    expect(existsSync(paths.work)).toBe(false);
    expect(await listPreRestoreStores(set.store)).toEqual([]);
  });

  it('between the two renames, recovered by the next restore run, which then completes', async () => {
    const { set, original } = await storeWithBadBatch();
    await crashAt(set, 'between-renames');
    const report = await runRecovery({ sources: [set.backups], target: { kind: 'position', position: TARGET }, mode: 'in-place', storeDir: set.store });
    expect(report.headPosition).toBe(TARGET);
    expect(rawEvents(set.store).map((r) => r.hash)).toEqual(original.slice(0, TARGET));
    expect(rawEvents(report.previousStore!).map((r) => r.hash)).toEqual(original);
    expect(await listPreRestoreStores(set.store)).toHaveLength(1);
  });

  it('after both renames: the next open keeps the restored store and clears the journal', async () => {
    const { set, original } = await storeWithBadBatch();
    await crashAt(set, 'after-renames');
    expect(existsSync(restorePathsFor(set.store).journal)).toBe(true);
    expect(completeInterruptedSwap(set.store)).toMatchObject({ outcome: 'completed' });
    expect(completeInterruptedSwap(set.store)).toBeUndefined();
    expect(rawEvents(set.store).map((r) => r.hash)).toEqual(original.slice(0, TARGET));
    const [kept] = await listPreRestoreStores(set.store);
    expect(rawEvents(kept!.path).map((r) => r.hash)).toEqual(original);
    expect(readdirSync(restorePathsFor(set.store).parent).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('after the journal, before any rename: the store was never moved; the next open clears the leftovers', async () => {
    const { set, original } = await storeWithBadBatch();
    await crashAt(set, 'after-journal');
    expect(completeInterruptedSwap(set.store)).toMatchObject({ outcome: 'rolled-back' });
    expect(rawEvents(set.store).map((r) => r.hash)).toEqual(original);
    expect(readdirSync(restorePathsFor(set.store).parent).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('a swap in progress in a live process is left alone: STORE_LOCKED', async () => {
    const { set } = await storeWithBadBatch();
    await crashAt(set, 'between-renames');
    const paths = restorePathsFor(set.store);
    // Another live process (our parent) holds the lock: the swap may still be going on.
    writeLockHeldBy(paths.lock, process.ppid, 'a restore');
    await expectConsoleError(() => EventStore.open(set.store), 'STORE_LOCKED');
    // Its process gone, the lock is stale and the swap is rolled back.
    writeLockHeldBy(paths.lock, DEAD_PID, 'a restore');
    EventStore.open(set.store).close();
    expect(existsSync(paths.lock)).toBe(false);
  });
});
