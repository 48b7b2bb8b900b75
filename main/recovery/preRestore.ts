import { lstat, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConsoleError } from '../../shared/errors.js';
import type { PreRestoreStore } from '../../shared/recovery.js';
import { parsePreRestoreName } from '../store/index.js';

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

/** The stores an in-place restore of `storeDir` set aside (`<store>.pre-restore-<UTC time>`), newest first. */
export async function listPreRestoreStores(storeDir: string): Promise<PreRestoreStore[]> {
  const store = resolve(storeDir);
  const parent = dirname(store);
  const name = basename(store);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const found: PreRestoreStore[] = [];
  for (const n of names) {
    const at = parsePreRestoreName(name, n);
    if (at === undefined) continue;
    const path = join(parent, n);
    const s = await lstat(path).catch(() => undefined);
    if (s === undefined || !s.isDirectory()) continue;
    found.push({ path, setAsideAt: new Date(at).toISOString(), bytes: await folderBytes(path).catch(() => 0) });
  }
  return found.sort((a, b) => b.setAsideAt.localeCompare(a.setAsideAt) || b.path.localeCompare(a.path));
}

/**
 * Deletes a store an in-place restore set aside, once the admin is sure of the restored one. Only a folder
 * that `listPreRestoreStores(storeDir)` lists can be discarded: NOT_FOUND for anything else.
 */
export async function discardPreRestoreStore(storeDir: string, path: string): Promise<{ readonly discarded: string; readonly bytes: number }> {
  const wanted = resolve(path);
  const entry = (await listPreRestoreStores(storeDir)).find((p) => p.path === wanted);
  if (entry === undefined) throw new ConsoleError('NOT_FOUND', `${wanted} is not a store set aside by a restore of ${resolve(storeDir)}`, { path: wanted });
  await rm(entry.path, { recursive: true, force: true });
  return { discarded: entry.path, bytes: entry.bytes };
}
