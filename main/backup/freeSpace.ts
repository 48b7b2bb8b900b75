import { statfs } from 'node:fs/promises';
import { ConsoleError } from '../../shared/errors.js';
import { formatBytes } from './formatBytes.js';

export async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return Number(s.bavail) * Number(s.bsize);
}

/** DISK_FULL before anything is written when `dir` has less than `needed` bytes free for this user. */
export async function requireFreeSpace(dir: string, needed: number, what: string): Promise<void> {
  const free = await freeBytes(dir);
  if (free < needed) {
    throw new ConsoleError('DISK_FULL', `${dir} has ${formatBytes(free)} free; ${what} needs about ${formatBytes(needed)}. Nothing was written`, {
      destination: dir,
      freeBytes: free,
      neededBytes: needed,
    });
  }
}
