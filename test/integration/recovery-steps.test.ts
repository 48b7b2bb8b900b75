import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackup } from '../../main/backup/createBackup.js';
import { runRecovery } from '../../main/recovery/runRecovery.js';
import { EventStore } from '../../main/store/eventStore.js';
import type { RecoveryMode, RecoveryTarget } from '../../shared/recovery.js';
import { fillStore } from '../helpers/fixtures.js';
import { backedUpStore } from '../helpers/recovery-fixtures.js';
import { useTempDirs } from '../helpers/tempDirs.js';

const temp = useTempDirs();

/**
 * The step names and order the reports carry (`steps: [{name, ms}]`, the CLI's --json contract, DESIGN §6)
 * and the points fault tests stop at, for each mode: each mode is a list of steps, and these are its names.
 */
describe('the steps a restore and a backup report', () => {
  it('names the same steps, in the same order, for each mode, with and without a cut-back', async () => {
    const root = temp.dir();
    const set = await backedUpStore({ store: join(root, 'store'), backups: join(root, 'backups') }, { full: 300, increments: [100, 100] });
    const store = EventStore.open(set.store);
    fillStore(store, 30, { streams: 2, perAppend: 10 }); // not in any archive: a restore leaves them out
    store.close();

    const run = async (mode: RecoveryMode, target: RecoveryTarget, where: Record<string, string>) => {
      const points: string[] = [];
      const report = await runRecovery({ sources: [set.backups], target, mode, ...where }, { hooks: { atStep: (p) => points.push(p) } });
      expect(report.steps.every((s) => Number.isInteger(s.ms) && s.ms >= 0)).toBe(true);
      return { steps: report.steps.map((s) => s.name), points };
    };
    const latest: RecoveryTarget = { kind: 'latest' };
    const inFull: RecoveryTarget = { kind: 'position', position: 150 };
    const built = ['plan', 'validate', 'prepare', 'apply', 'verify', 'finish'];
    const cut = ['plan', 'validate', 'prepare', 'cut-back', 'verify', 'finish'];

    expect(await run('dry-run', latest, { storeDir: set.store, scratchDir: temp.dir() })).toEqual({ steps: [...built, 'summary', 'compare'], points: built });
    expect(await run('dry-run', inFull, { scratchDir: temp.dir() })).toEqual({ steps: [...cut, 'summary'], points: cut });
    expect(await run('to-folder', latest, { destination: join(root, 'a') })).toEqual({ steps: [...built, 'publish', 'summary'], points: [...built, 'publish'] });
    expect(await run('to-folder', inFull, { destination: join(root, 'b', 'deeper') })).toEqual({ steps: [...cut, 'publish', 'summary'], points: [...cut, 'publish'] });
    expect(await run('in-place', { kind: 'position', position: 450 }, { storeDir: set.store })).toEqual({
      steps: [...built, 'swap', 'summary', 'compare'],
      points: [...built, 'publish'],
    });
    expect(await run('in-place', inFull, { storeDir: set.store })).toEqual({ steps: [...cut, 'swap', 'summary', 'compare'], points: [...cut, 'publish'] });
  });

  it('a failed restore removes its work folder, releases its lock and the parent folders it made', async () => {
    const root = temp.dir();
    const set = await backedUpStore({ store: join(root, 'store'), backups: join(root, 'backups') }, { full: 50, increments: [] });
    const destination = join(root, 'new', 'deeper', 'restored');
    const error = await runRecovery({ sources: [set.backups], target: { kind: 'position', position: 60 }, mode: 'to-folder', destination }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INTEGRITY_VIOLATION' }); // beyond the chain: refused while planning
    expect(existsSync(join(root, 'new'))).toBe(false);
    let checks = 0; // cancelled once the parent folders exist, before the lock is taken
    const cancelled = await runRecovery({ sources: [set.backups], target: { kind: 'latest' }, mode: 'to-folder', destination }, { isCancelled: () => ++checks > 3 }).catch((e: unknown) => e);
    expect(cancelled).toMatchObject({ code: 'CANCELLED', message: expect.stringContaining('the store was not changed') as string });
    expect(existsSync(join(root, 'new'))).toBe(false);
    expect(readdirSync(root).sort()).toEqual(['backups', 'store']);
    // Nothing was left holding the lock: the same restore now succeeds.
    const report = await runRecovery({ sources: [set.backups], target: { kind: 'latest' }, mode: 'to-folder', destination });
    expect(report.headPosition).toBe(50);
  });

  it('a full and an incremental backup name their steps', async () => {
    const root = temp.dir();
    const store = EventStore.create(join(root, 'store'));
    fillStore(store, 20, { streams: 2 });
    const out = join(root, 'backups');
    const full = await createBackup({ storeDir: store.dir, destination: out, kind: 'full', encryption: { kind: 'none' } });
    fillStore(store, 5, { streams: 2 });
    const incremental = await createBackup({ storeDir: store.dir, destination: out, kind: 'incremental', encryption: { kind: 'none' } });
    store.close();
    expect(full.created && full.steps.map((s) => s.name)).toEqual(['prepare', 'snapshot', 'checksums', 'archive', 'publish']);
    expect(incremental.created && incremental.steps.map((s) => s.name)).toEqual(['prepare', 'events', 'archive', 'publish']);
  });
});
