import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { access, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Durable writes, the one place for them: every file that must survive a crash or a power cut whole is
// written to a temporary name, fsynced, renamed over its final name, and its folder fsynced. A failed write
// removes its temporary file, so nothing half-written is left under any name.

/** Syncs a folder so a rename inside it survives a power cut (a no-op where folders cannot be opened). */
export function fsyncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open folders; NTFS journals the rename itself.
  } finally {
    if (fd !== undefined) closeSync(fd);
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

function removeSync(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** Writes a small file so that after a crash it holds either the old or the new content, never a mix. */
export function writeFileDurablySync(path: string, content: string | Buffer): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    removeSync(temp);
    throw error;
  }
  fsyncDirectorySync(dirname(path));
}

/** The asynchronous twin of writeFileDurablySync, for the main process. */
export async function writeFileDurably(path: string, content: string | Buffer): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dirname(path));
}

/** A temporary name beside `finalPath`, hidden behind `prefix` so the folder's owner recognises (and cleans) it. */
export function tempPathFor(finalPath: string, prefix: string): string {
  return join(dirname(finalPath), `${prefix}partial-${randomBytes(4).toString('hex')}-${basename(finalPath)}`);
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** Writes `content` to a new file and fsyncs it (the file must not exist); a failed write leaves no file. */
export async function writeSynced(path: string, content: string | Buffer): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await unlink(path).catch(() => undefined);
    throw error;
  }
}

/**
 * Moves fsynced temporary files to their final names, in order, then fsyncs the folders: after a crash
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

/** Fsyncs every file of a folder, then the folder: what is renamed into place afterwards is on disk. */
export async function fsyncFolderFiles(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const handle = await open(join(dir, name), 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await fsyncDirectory(dir);
}
