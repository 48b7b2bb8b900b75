import { existsSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { ConsoleError } from '../../shared/errors.js';
import { fsyncDirectorySync, writeFileDurablySync } from '../platform/index.js';
import { lockState } from '../platform/index.js';
import { restorePathsFor } from './restorePaths.js';

/**
 * The swap of an in-place restore, made crash-safe by a small journal beside the store:
 *
 *   1. the restored store is complete, verified and fsynced in `incoming`;
 *   2. the journal is written (fsynced) naming the store, `incoming` and the pre-restore name;
 *   3. rename store → pre-restore;   4. rename incoming → store;   (folder fsynced after each)
 *   5. the journal is removed.
 *
 * After a crash the journal tells what happened: a crash before step 4 is rolled back (the store as it was
 * goes back under its name, the half-done restore is deleted); a crash after step 4 is completed (only the
 * journal is left to remove). `completeInterruptedSwap` does this; EventStore.open calls it, and so does the
 * next restore, so whoever comes first finds the store whole under its name.
 */
const journalSchema = z.object({
  formatVersion: z.literal(1),
  store: z.string(),
  incoming: z.string(),
  previous: z.string(),
  startedAt: z.string(),
});
export type SwapJournal = z.infer<typeof journalSchema>;

export type SwapRecovery =
  | { readonly outcome: 'rolled-back'; readonly store: string; readonly message: string }
  | { readonly outcome: 'completed'; readonly store: string; readonly previous: string; readonly message: string }
  | { readonly outcome: 'unresolved'; readonly store: string; readonly message: string };

/** Test hooks of the swap, to stop the process at a chosen point (fault tests). */
export interface SwapHooks {
  readonly afterJournal?: () => void;
  readonly betweenRenames?: () => void;
  readonly afterRenames?: () => void;
}

function readJournal(path: string): SwapJournal | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = journalSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // torn: it was being written, so no rename had happened yet
  }
}

/**
 * Swaps `incoming` in as `store`, keeping the store as it was under `previous` (when there was one).
 * `incoming`, `store` and `previous` must share a parent folder. Synchronous: nothing else runs in between.
 */
export function swapIn(store: string, incoming: string, previous: string, hooks: SwapHooks = {}): { readonly previous: string | null } {
  const paths = restorePathsFor(store);
  const hadStore = existsSync(store);
  const journal: SwapJournal = { formatVersion: 1, store, incoming, previous, startedAt: new Date().toISOString() };
  writeFileDurablySync(paths.journal, JSON.stringify(journal) + '\n');
  hooks.afterJournal?.();
  if (hadStore) {
    renameSync(store, previous);
    fsyncDirectorySync(paths.parent);
  }
  hooks.betweenRenames?.();
  renameSync(incoming, store);
  fsyncDirectorySync(paths.parent);
  hooks.afterRenames?.();
  unlinkSync(paths.journal);
  fsyncDirectorySync(paths.parent);
  return { previous: hadStore ? previous : null };
}

/**
 * Finishes or rolls back a swap that a crash interrupted (see above); undefined when there is none. A swap
 * in progress in a live process (its restore lock is held) is left alone: STORE_LOCKED. The current
 * process's own restore is never touched.
 */
export function completeInterruptedSwap(storeDir: string): SwapRecovery | undefined {
  const paths = restorePathsFor(storeDir);
  if (!existsSync(paths.journal)) {
    if (existsSync(paths.work) || existsSync(paths.lock)) removeAbandonedWork(paths);
    return undefined;
  }
  const lock = lockState(paths.lock);
  if (lock.held && lock.mine) return undefined;
  if (lock.held && !lock.stale)
    throw new ConsoleError('STORE_LOCKED', `${paths.target} is being restored right now by ${lock.description}: wait for it to finish`, { lock: paths.lock });
  const journal = readJournal(paths.journal);
  const removeJournal = () => {
    unlinkSync(paths.journal);
    fsyncDirectorySync(paths.parent);
  };
  const removeLock = () => {
    try {
      unlinkSync(paths.lock);
    } catch {
      /* none */
    }
  };
  if (journal === undefined || journal.store !== paths.target) {
    // A torn journal: written just before the first rename, so nothing had moved.
    if (existsSync(paths.target)) {
      rmSync(paths.work, { recursive: true, force: true });
      removeJournal();
      removeLock();
      return { outcome: 'rolled-back', store: paths.target, message: 'an interrupted restore had not started its swap: the store is as it was' };
    }
    return { outcome: 'unresolved', store: paths.target, message: `${paths.journal} cannot be read and ${paths.target} is missing: look for ${basename(paths.target)}.pre-restore-* beside it` };
  }
  const storeThere = existsSync(journal.store);
  const previousThere = existsSync(journal.previous);
  const incomingThere = existsSync(journal.incoming);
  if (storeThere && previousThere && !incomingThere) {
    removeJournal();
    removeLock();
    rmSync(paths.work, { recursive: true, force: true });
    return {
      outcome: 'completed',
      store: journal.store,
      previous: journal.previous,
      message: `an interrupted restore had swapped the restored store in: it stays, and the store as it was is kept at ${journal.previous}`,
    };
  }
  if (!storeThere && previousThere) {
    renameSync(journal.previous, journal.store);
    fsyncDirectorySync(paths.parent);
  } else if (!storeThere && !previousThere && incomingThere) {
    // There was no store to set aside (a restore into a missing store): finish it.
    renameSync(journal.incoming, journal.store);
    fsyncDirectorySync(paths.parent);
    removeJournal();
    removeLock();
    rmSync(paths.work, { recursive: true, force: true });
    return { outcome: 'completed', store: journal.store, previous: journal.previous, message: 'an interrupted restore into a missing store was completed' };
  } else if (!storeThere) {
    return { outcome: 'unresolved', store: journal.store, message: `neither ${journal.store} nor ${journal.previous} exists: the journal ${paths.journal} is kept for inspection` };
  }
  rmSync(paths.work, { recursive: true, force: true });
  removeJournal();
  removeLock();
  return { outcome: 'rolled-back', store: journal.store, message: 'an interrupted restore was rolled back: the store is as it was before it' };
}

/** What a killed restore left before its swap began (its work folder, its lock), once no live process owns it. */
function removeAbandonedWork(paths: ReturnType<typeof restorePathsFor>): void {
  const lock = lockState(paths.lock);
  if (lock.held && (lock.mine || !lock.stale)) return;
  rmSync(paths.work, { recursive: true, force: true });
  try {
    unlinkSync(paths.lock);
  } catch {
    /* none */
  }
}
