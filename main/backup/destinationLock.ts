import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FileLock } from '../platform/index.js';

/** The lock file of a backup folder, and the prefix of every temporary name a backup makes there. */
export const LOCK_FILE = '.pconsole-backup.lock';
export const TEMP_PREFIX = '.pconsole-';

/**
 * One backup or prune at a time per folder, across processes (the console's scheduler, a cron job
 * running the CLI): two incrementals continuing the same chain at once would fork it. Taking the lock
 * also removes temporary files that a killed run left behind, since no run of ours can be using them.
 */
export async function acquireDestinationLock(dir: string, purpose: string): Promise<FileLock> {
  const lock = await FileLock.acquire(join(dir, LOCK_FILE), purpose, {
    code: 'BUSY',
    message: (holder) => `another backup is running in ${dir}: ${holder}; try again when it has finished`,
  });
  try {
    await removeLeftovers(dir);
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}

async function removeLeftovers(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith(TEMP_PREFIX) && name !== LOCK_FILE) await rm(join(dir, name), { recursive: true, force: true });
  }
}
