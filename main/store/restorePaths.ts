import { basename, dirname, join, resolve } from 'node:path';

/**
 * The names a restore uses beside the folder it restores to (a store to replace, or a new store's folder).
 * Everything lives in the same parent folder, so the final renames stay on one file system and are atomic.
 *
 *   .<name>.restore.lock          one restore at a time (pid, host)
 *   .<name>.restore-work/         validated members and the store being built (`store/`)
 *   .<name>.restore-journal.json  written just before an in-place swap, removed after it
 *   <name>.pre-restore-<UTC>/     the store as it was before an in-place restore, kept until discarded
 */
export interface RestorePaths {
  readonly target: string;
  readonly parent: string;
  readonly name: string;
  readonly lock: string;
  readonly work: string;
  /** The restored store while it is built, inside `work`. */
  readonly incoming: string;
  readonly journal: string;
}

export const PRE_RESTORE_MARK = '.pre-restore-';

export function restorePathsFor(target: string): RestorePaths {
  const path = resolve(target);
  const parent = dirname(path);
  const name = basename(path);
  const work = join(parent, `.${name}.restore-work`);
  return {
    target: path,
    parent,
    name,
    lock: join(parent, `.${name}.restore.lock`),
    work,
    incoming: join(work, 'store'),
    journal: join(parent, `.${name}.restore-journal.json`),
  };
}

/** `20260102T030405Z` for a time, in UTC, to the second. */
export function compactUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** `<name>.pre-restore-<UTC time>` (with `-2`, `-3`… when a restore in the same second already used it). */
export function preRestoreName(name: string, ms: number, attempt = 1): string {
  return `${name}${PRE_RESTORE_MARK}${compactUtc(ms)}${attempt > 1 ? `-${attempt}` : ''}`;
}

/** The time in a pre-restore folder's name, or undefined when `folderName` is not one of `storeName`'s. */
export function parsePreRestoreName(storeName: string, folderName: string): number | undefined {
  const prefix = `${storeName}${PRE_RESTORE_MARK}`;
  if (!folderName.startsWith(prefix)) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(-\d+)?$/.exec(folderName.slice(prefix.length));
  if (m === null) return undefined;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}
