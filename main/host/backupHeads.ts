import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArchiveName, parseManifest, sidecarPathOf } from '../backup/index.js';
import type { RecordedHead } from '../store/index.js';

/**
 * The newest backup of a store in its catalog folders, as a head recorded outside the store's folder
 * (DESIGN §5, issue 9 class 5): the archive reaching the furthest position, made after `acceptedAt` (the
 * history set on purpose: a restore, an acknowledged loss). Read from names and one sidecar, without
 * opening any archive; a folder that cannot be read holds no evidence. The sidecar is a convenience copy,
 * good enough to raise the alarm; an unreadable one leaves the archive's name (position, no hash).
 */
export function newestBackupHeads(folders: readonly string[], storeId: string, acceptedAt: string | undefined): RecordedHead[] {
  const since = acceptedAt === undefined ? -Infinity : Math.floor(Date.parse(acceptedAt) / 1000) * 1000;
  let best: { readonly path: string; readonly name: string; readonly toPosition: number; readonly createdAtSecond: string } | undefined;
  for (const folder of folders) {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const parts = parseArchiveName(name);
      if (parts === undefined || parts.storeId !== storeId || Date.parse(parts.createdAtSecond) < since) continue;
      if (best === undefined || parts.toPosition > best.toPosition || (parts.toPosition === best.toPosition && parts.createdAtSecond > best.createdAtSecond))
        best = { path: join(folder, name), name, toPosition: parts.toPosition, createdAtSecond: parts.createdAtSecond };
    }
  }
  if (best === undefined) return [];
  const source = `backup ${best.name}`;
  try {
    const manifest = parseManifest(readFileSync(sidecarPathOf(best.path), 'utf8'), source);
    if (manifest.storeId === storeId && manifest.toPosition === best.toPosition)
      return [{ source, position: manifest.toPosition, hash: manifest.toHash, recordedAt: manifest.createdAt }];
  } catch {
    // No readable sidecar: the name alone still says how far the store had come.
  }
  return [{ source, position: best.toPosition, hash: null, recordedAt: best.createdAtSecond }];
}
