import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { BackupManifest, CatalogEntry } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { archivePathOf, sidecarPathOf } from '../backup/index.js';
import { ArchiveReadError, readArchive, readSmallMember } from '../backup/index.js';
import { listCatalog } from '../backup/index.js';
import type { DecryptionKeyInput } from '../backup/index.js';
import { hasAnyKey } from '../backup/index.js';
import { manifestContradictions, MAX_SMALL_MEMBER_BYTES, nameContradictions, parseManifest } from '../backup/index.js';

/** The archives found in the sources given to a restore, with what could not be used and why. */
export interface ResolvedSources {
  readonly entries: readonly CatalogEntry[];
  /** Archives whose manifest was read from inside because their sidecar is missing. */
  readonly withoutSidecar: ReadonlySet<string>;
  readonly warnings: readonly string[];
}

class StopReading extends Error {}

/** The manifest inside an archive (its first member), read without going further. */
export async function readInnerManifest(archive: string, keys: DecryptionKeyInput | undefined): Promise<BackupManifest> {
  let manifest: BackupManifest | undefined;
  try {
    await readArchive(
      archive,
      async (member) => {
        if (member.name !== 'manifest.json') throw new ArchiveReadError('ARCHIVE_CORRUPT', `${basename(archive)} does not start with manifest.json`, member.name, 'manifest');
        manifest = parseManifest((await readSmallMember(member, MAX_SMALL_MEMBER_BYTES)).toString('utf8'), `manifest.json in ${basename(archive)}`);
        throw new StopReading();
      },
      { keys },
    );
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
  }
  if (manifest === undefined) throw new ConsoleError('ARCHIVE_CORRUPT', `${basename(archive)} has no manifest.json`, { archive });
  const contradictions = [...manifestContradictions(manifest), ...nameContradictions(basename(archive), manifest)];
  if (contradictions.length > 0) throw new ConsoleError('ARCHIVE_CORRUPT', `${basename(archive)}: ${contradictions.join('; ')}`, { archive });
  return manifest;
}

async function kindOf(path: string): Promise<'file' | 'folder' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'folder' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

async function fileSize(path: string): Promise<number | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

/**
 * Turns what the admin named (DESIGN §6: archives, their sidecars or verification records, or folders of
 * archives such as `backups/*`) into catalog entries. Sidecars are read, archives are not opened — except
 * an archive without its sidecar, whose manifest is read from inside (an encrypted one needs its key).
 * A path that is none of these is INVALID_INPUT, a path that does not exist NOT_FOUND.
 */
export async function resolveSources(paths: readonly string[], keys: DecryptionKeyInput | undefined): Promise<ResolvedSources> {
  if (paths.length === 0) throw new ConsoleError('INVALID_INPUT', 'name at least one archive, sidecar or folder of archives');
  const folders = new Set<string>();
  /** Folder → archive paths named in it. */
  const named = new Map<string, Set<string>>();
  for (const given of paths) {
    const path = resolve(given);
    const kind = await kindOf(path);
    if (kind === undefined) {
      // A sidecar or record whose archive is named by its own path may still be resolvable.
      throw new ConsoleError('NOT_FOUND', `no archive, sidecar or folder at ${path}`, { path });
    }
    if (kind === 'folder') {
      folders.add(path);
      continue;
    }
    const archive = archivePathOf(path);
    if (archive === undefined)
      throw new ConsoleError('INVALID_INPUT', `${path} is not an archive (<storeId>-<full|incr>-<from>-<to>-<time>.tar.gz[.age]), its sidecar, or a folder of archives`, { path });
    const folder = dirname(archive);
    named.set(folder, (named.get(folder) ?? new Set<string>()).add(archive));
  }

  const byArchive = new Map<string, CatalogEntry>();
  const withoutSidecar = new Set<string>();
  const warnings: string[] = [];
  const wanted = (folder: string, archive: string) => folders.has(folder) || (named.get(folder)?.has(archive) ?? false);
  for (const folder of new Set([...folders, ...named.keys()])) {
    const catalog = await listCatalog(folder);
    for (const entry of catalog.entries) if (wanted(folder, entry.archive)) byArchive.set(entry.archive, entry);
    for (const problem of catalog.problems) {
      const archive = archivePathOf(problem.path);
      if (archive === undefined || !wanted(folder, archive) || byArchive.has(archive)) continue;
      const missingSidecar = (await fileSize(sidecarPathOf(archive))) === null && (await fileSize(archive)) !== null;
      if (!missingSidecar) {
        warnings.push(problem.message);
        continue;
      }
      if (archive.endsWith('.age') && (keys === undefined || !hasAnyKey(keys))) {
        warnings.push(`${basename(archive)} has no sidecar and is encrypted: give its key to use it`);
        continue;
      }
      try {
        const manifest = await readInnerManifest(archive, keys);
        byArchive.set(archive, {
          archive,
          name: basename(archive),
          sidecar: sidecarPathOf(archive),
          manifest,
          archiveBytes: await fileSize(archive),
          verification: null,
          verified: false,
        });
        withoutSidecar.add(archive);
      } catch (error) {
        if (!(error instanceof ConsoleError)) throw error;
        if (error.code === 'DECRYPTION_FAILED') throw error;
        warnings.push(`${basename(archive)}: ${error.message}`);
      }
    }
  }
  for (const [folder, archives] of named) {
    for (const archive of archives) {
      if (!byArchive.has(archive) && !warnings.some((w) => w.includes(basename(archive))))
        warnings.push(`${basename(archive)} in ${folder} could not be listed`);
    }
  }
  for (const entry of byArchive.values()) {
    if (entry.archiveBytes === null) warnings.push(`${entry.name} is missing: only its sidecar is there`);
  }
  return { entries: [...byArchive.values()], withoutSidecar, warnings };
}
