import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPreRestoreStores } from '../../main/recovery/preRestore.js';
import { runRecovery } from '../../main/recovery/runRecovery.js';
import { EventStore } from '../../main/store/eventStore.js';
import { expectConsistentStore, verifyStore } from '../helpers/checkStore.js';
import { fillStore } from '../helpers/fixtures.js';
import { rawEvents } from '../helpers/rawDb.js';
import { backedUpStore } from '../helpers/recovery-fixtures.js';
import { startRecoveryChild } from '../helpers/recovery-children.js';
import { useTempDirs } from '../helpers/tempDirs.js';
import { seededRandom } from '../../main/platform/seededRandom.js';

const temp = useTempDirs();


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every point a restore in place can be killed at on purpose, in the order they come. */
const POINTS = ['plan', 'validate', 'prepare', 'apply', 'verify', 'finish', 'after-journal', 'between-renames', 'after-renames', 'publish'];
const RANDOM_ROUNDS = 10;

describe('SIGKILL during an in-place restore', () => {
  it('leaves the original store untouched and usable (or the restore complete), whatever the moment; a rerun succeeds', async () => {
    const seed = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
    const random = seededRandom(seed);
    const root = temp.dir('pconsole-fault-');
    const set = await backedUpStore({ store: join(root, 'store'), backups: join(root, 'backups') }, { full: 20_000, increments: [10_000, 10_000], perAppend: 500, streams: 50 });
    // The bad batch the restore undoes: not in any archive.
    const s = EventStore.open(set.store);
    fillStore(s, 3000, { streams: 3, perAppend: 100 });
    s.close();
    const original = rawEvents(set.store).map((r) => r.hash);
    const target = 35_000;

    // How long a whole restore takes here, measured on a dry run: kills are spread over it.
    const started = performance.now();
    await runRecovery({ sources: [set.backups], target: { kind: 'position', position: target }, mode: 'dry-run', scratchDir: temp.dir() });
    const duration = (performance.now() - started) * 1.2;
    const log: string[] = [];

    const rounds: Array<{ crashAt?: string; delay?: number; early?: boolean }> = [
      ...POINTS.map((crashAt) => ({ crashAt })),
      ...Array.from({ length: RANDOM_ROUNDS }, () => ({ delay: Math.floor(random() * duration) })),
      { delay: Math.floor(random() * 1500), early: true }, // at any moment, the child's start included
    ];
    for (const [i, round] of rounds.entries()) {
      const child = startRecoveryChild({ store: set.store, backups: set.backups, position: target, crashAt: round.crashAt });
      if (round.delay !== undefined) {
        // Timed from the restore's start (the child takes a while to start Node and tsx), unless `early`.
        if (round.early !== true) await child.waitFor((l) => l.phase === 'planning');
        await Promise.race([sleep(round.delay), child.exited]);
        child.kill();
      }
      const exit = await child.exited;
      const phases = child.lines.map((l) => (typeof l.phase === 'string' ? l.phase : typeof l.point === 'string' ? l.point : l.done === true ? 'done' : '?')).join(' > ');
      const what = `seed ${seed}, round ${i} (${round.crashAt ?? `kill after ${round.delay} ms`}): ${phases}`;
      log.push(what);
      expect(exit.stderr, what).toBe('');

      // The next open finishes or rolls back a swap the kill cut short; then the store must be whole.
      const store = EventStore.open(set.store);
      expect(store.openProblems, what).toEqual([]);
      const head = store.head().position;
      store.close();
      const kept = await listPreRestoreStores(set.store);
      if (head === target) {
        // The kill came after the swap: the restore is complete and the original is kept beside it.
        expect(exit.signal === 'SIGKILL' || exit.code === 0, what).toBe(true);
        expect(rawEvents(set.store).map((r) => r.hash), what).toEqual(original.slice(0, target));
        expect(kept, what).toHaveLength(1);
        expect(rawEvents(kept[0]!.path).map((r) => r.hash), what).toEqual(original);
        expectConsistentStore(kept[0]!.path);
        // Put the original back for the next round.
        rmSync(set.store, { recursive: true });
        renameSync(kept[0]!.path, set.store);
        rmSync(join(set.store, 'head.json'), { force: true });
      } else {
        expect(exit.signal, what).toBe('SIGKILL');
        expect(kept, what).toEqual([]);
        expect(rawEvents(set.store).map((r) => r.hash), what).toEqual(original);
        expect(verifyStore(set.store).ok, what).toBe(true);
      }
      // Nothing is left beside the store: opening it reclaimed what the killed run left (work folder, lock, journal).
      expect(readdirSync(root).sort(), what).toEqual(['backups', 'store']);
    }
    if (process.env.FAULT_VERBOSE !== undefined) console.log(log.join('\n'));

    // Usable: it takes appends; and a rerun of the restore succeeds.
    const again = startRecoveryChild({ store: set.store, backups: set.backups, position: target });
    const exit = await again.exited;
    expect(exit, log.join('\n')).toMatchObject({ code: 0, stderr: '' });
    expect(rawEvents(set.store).map((r) => r.hash)).toEqual(original.slice(0, target));
    expectConsistentStore(set.store);
    const kept = await listPreRestoreStores(set.store);
    expect(kept).toHaveLength(1);
    expect(rawEvents(kept[0]!.path).map((r) => r.hash)).toEqual(original);
    expect(readdirSync(dirname(set.store)).filter((n) => n.startsWith(`.${basename(set.store)}`))).toEqual([]);
    const reopened = EventStore.open(set.store);
    reopened.appendNow({ streamId: 'after-restore', events: [{ type: 'Appended', data: {} }] });
    expect(reopened.head().position).toBe(target + 1);
    reopened.close();
    expect(existsSync(join(set.store, 'events.db'))).toBe(true);
  });
});
