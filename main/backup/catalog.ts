import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Catalog, CatalogEntry, CatalogProblem } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { isArchiveName, parseArchiveName, SIDECAR_SUFFIX } from './archiveName.js';
import { TEMP_PREFIX } from './destinationLock.js';
import { manifestContradictions, MAX_SMALL_MEMBER_BYTES, nameContradictions, parseManifest } from './manifest.js';
import { readVerificationRecord, sidecarProblemOf, verificationState } from './verificationRecord.js';

async function fileStat(path: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** Oldest first: by end position, then creation time, then name (a stable order for equal times). */
export function compareEntries(a: CatalogEntry, b: CatalogEntry): number {
  return a.manifest.toPosition - b.manifest.toPosition || a.manifest.createdAt.localeCompare(b.manifest.createdAt) || a.name.localeCompare(b.name);
}

/**
 * Lists a folder of archives from their unencrypted sidecars: no key is needed and no archive is opened.
 * A sidecar that cannot be read, or that contradicts its archive's name, is reported, as is an archive
 * without a sidecar; so is a sidecar the last verification found disagreeing with the manifest inside, or
 * that changed since (entry.sidecarProblem). Temporary files of a running or killed backup are ignored.
 */
export async function listCatalog(dir: string): Promise<Catalog> {
  const folder = resolve(dir);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConsoleError('NOT_FOUND', code === 'ENOTDIR' ? `${folder} is not a folder` : `no backup folder at ${folder}`, { path: folder });
  }
  const entries: CatalogEntry[] = [];
  const problems: CatalogProblem[] = [];
  const listed = new Set<string>();
  for (const name of names.sort()) {
    if (name.startsWith(TEMP_PREFIX) || !name.endsWith(SIDECAR_SUFFIX)) continue;
    const archiveName = name.slice(0, -SIDECAR_SUFFIX.length);
    if (!isArchiveName(archiveName)) continue;
    const sidecar = join(folder, name);
    const archive = join(folder, archiveName);
    listed.add(archiveName);
    try {
      const s = await stat(sidecar);
      if (s.size > MAX_SMALL_MEMBER_BYTES) throw new ConsoleError('ARCHIVE_CORRUPT', `${name} is too large to be a manifest`);
      const bytes = await readFile(sidecar);
      const manifest = parseManifest(bytes.toString('utf8'), name);
      const contradictions = [...manifestContradictions(manifest), ...nameContradictions(archiveName, manifest)];
      if (contradictions.length > 0) throw new ConsoleError('ARCHIVE_CORRUPT', `${name}: ${contradictions.join('; ')}`);
      const archiveStat = await fileStat(archive);
      const record = await readVerificationRecord(archive);
      const verification = record === undefined ? null : verificationState(record, archiveStat);
      entries.push({
        archive,
        name: archiveName,
        sidecar,
        manifest,
        archiveBytes: archiveStat?.size ?? null,
        verification,
        verified: verification !== null && verification.ok && !verification.stale,
        manifestFrom: 'sidecar',
        sidecarProblem: record === undefined ? null : sidecarProblemOf(record, createHash('sha256').update(bytes).digest('hex')),
      });
      if (archiveStat === undefined) problems.push({ path: archive, code: 'ARCHIVE_CORRUPT', message: `${archiveName} is missing: only its sidecar is here` });
    } catch (error) {
      if (!(error instanceof ConsoleError)) throw error;
      problems.push({ path: sidecar, code: error.code === 'UNSUPPORTED_FORMAT' ? 'UNSUPPORTED_FORMAT' : 'ARCHIVE_CORRUPT', message: error.message });
    }
  }
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX) && isArchiveName(name) && !listed.has(name)) {
      const parts = parseArchiveName(name)!;
      problems.push({
        path: join(folder, name),
        code: 'ARCHIVE_CORRUPT',
        message: `${name} has no sidecar (${name}${SIDECAR_SUFFIX}): it cannot be listed without opening it${parts.encrypted ? ' with its key' : ''}`,
      });
    }
  }
  return { dir: folder, entries: entries.sort(compareEntries), problems };
}
