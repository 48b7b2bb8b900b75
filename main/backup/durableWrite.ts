import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TEMP_PREFIX } from './destinationLock.js';

/** A temporary name beside `finalPath`, hidden and recognisable as ours (cleaned up by the next run). */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `${TEMP_PREFIX}partial-${randomBytes(4).toString('hex')}-${basename(finalPath)}`);
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** Writes `content` to a new file and fsyncs it (the file must not exist). */
export async function writeSynced(path: string, content: string | Buffer): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined); // Windows cannot open folders; NTFS journals renames
  if (handle === undefined) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/**
 * Moves fsynced temporary files to their final names, in order, then fsyncs the folder: after a crash
 * each final name holds a whole file or does not exist.
 */
export async function publish(moves: ReadonlyArray<{ readonly from: string; readonly to: string }>): Promise<void> {
  for (const m of moves) await rename(m.from, m.to);
  const dirs = new Set(moves.map((m) => dirname(m.to)));
  for (const dir of dirs) await fsyncDirectory(dir);
}

export async function removeQuietly(path: string | undefined): Promise<void> {
  if (path !== undefined) await unlink(path).catch(() => undefined);
}
