import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { BackupManifest, CatalogEntry } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { archivePathOf, parseArchiveName, sidecarPathOf } from '../backup/index.js';
import { ArchiveReadError, readArchive, readSmallMember } from '../backup/index.js';
import { listCatalog } from '../backup/index.js';
import type { DecryptionKeyInput } from '../backup/index.js';
import { hasAnyKey } from '../backup/index.js';
import { manifestContradictions, manifestDifferences, MAX_SMALL_MEMBER_BYTES, nameContradictions, parseManifest } from '../backup/index.js';
import { SIDECAR_MISSING } from './chooseChain.js';

/**
 * An archive among the sources whose manifest could be read neither from its sidecar nor from inside:
 * what its name says about it, and why. A restore must not pretend it is not there: "latest" (or a time)
 * that it could reach further is refused, naming it (planRecovery.ts).
 */
export interface UnreadableArchive {
  readonly archive: string;
  readonly name: string;
  readonly storeId: string;
  readonly kind: 'full' | 'incremental';
  readonly fromPosition: number;
  readonly toPosition: number;
  /** Its creation time to the second, from its name. */
  readonly createdAtSecond: string;
  /** What is wrong with its sidecar, and with the manifest inside. */
  readonly reason: string;
  /** It is encrypted and no key was given: it may well be readable with the key. */
  readonly needsKey: boolean;
}

/** The archives found in the sources given to a restore, with what could not be used and why. */
export interface ResolvedSources {
  readonly entries: readonly CatalogEntry[];
  /** Archives whose manifest was read from inside because their sidecar is missing, unreadable or disagreed. */
  readonly withoutSidecar: ReadonlySet<string>;
  readonly unreadable: readonly UnreadableArchive[];
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

const canOpen = (archive: string, keys: DecryptionKeyInput | undefined) => !archive.endsWith('.age') || (keys !== undefined && hasAnyKey(keys));

/** The sidecar's disagreement with the manifest inside, as a warning and as the entry's sidecarProblem. */
export function disagreementMessage(name: string, sidecar: BackupManifest, inside: BackupManifest): string {
  const differences = manifestDifferences(sidecar, inside);
  return `the sidecar of ${name} disagrees with manifest.json inside the archive (${differences.join('; ') || 'its text differs'}): the restore goes by the manifest inside`;
}

/** `entry` with the manifest read from inside its archive, and what was wrong with its sidecar. */
export function fromInside(entry: CatalogEntry, inside: BackupManifest, sidecarProblem: string): CatalogEntry {
  return { ...entry, manifest: inside, manifestFrom: 'archive', sidecarProblem };
}

/** The sources with one archive's entry replaced by what its inside says, and the warning that says so. */
export function replaceWithInside(sources: ResolvedSources, archive: string, inside: BackupManifest): ResolvedSources {
  const entry = sources.entries.find((e) => e.archive === archive);
  if (entry === undefined) return sources;
  const message = disagreementMessage(entry.name, entry.manifest, inside);
  return {
    entries: sources.entries.map((e) => (e === entry ? fromInside(e, inside, message) : e)),
    withoutSidecar: new Set([...sources.withoutSidecar, archive]),
    unreadable: sources.unreadable,
    warnings: sources.warnings.includes(message) ? sources.warnings : [...sources.warnings, message],
  };
}

/**
 * Reads the manifest inside every archive of `storeId` that was listed from its sidecar (and can be opened
 * with the keys given), and puts it in place of any sidecar that disagrees with it. A plan that failed on
 * sidecars is made again on what the archives themselves say before a target is refused. `changed` tells
 * whether any sidecar disagreed. An archive that cannot be opened keeps its sidecar's word: its verification
 * names the damage when it is used.
 */
export async function confirmFromInside(sources: ResolvedSources, storeId: string, keys: DecryptionKeyInput | undefined): Promise<{ sources: ResolvedSources; changed: boolean }> {
  let current = sources;
  let changed = false;
  for (const entry of sources.entries) {
    if (entry.manifestFrom === 'archive' || entry.archiveBytes === null || entry.manifest.storeId !== storeId || !canOpen(entry.archive, keys)) continue;
    let inside: BackupManifest;
    try {
      inside = await readInnerManifest(entry.archive, keys);
    } catch (error) {
      if (error instanceof ConsoleError && error.code !== 'DECRYPTION_FAILED' && error.code !== 'CANCELLED') continue;
      throw error;
    }
    if (JSON.stringify(inside) === JSON.stringify(entry.manifest)) continue;
    current = replaceWithInside(current, entry.archive, inside);
    changed = true;
  }
  return { sources: current, changed };
}

/**
 * Turns what the admin named (DESIGN §6: archives, their sidecars or verification records, or folders of
 * archives such as `backups/*`) into catalog entries. Sidecars are read, archives are not opened — except
 * an archive whose sidecar is missing or unreadable, whose manifest is read from inside (an encrypted one
 * needs its key). An archive that cannot be read either way is listed as unreadable, with what its name
 * says. A path that is none of these is INVALID_INPUT, a path that does not exist NOT_FOUND.
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
  const unreadable = new Map<string, UnreadableArchive>();
  const warnings: string[] = [];
  const wanted = (folder: string, archive: string) => folders.has(folder) || (named.get(folder)?.has(archive) ?? false);
  const cannotRead = (archive: string, reason: string, needsKey: boolean) => {
    const parts = parseArchiveName(basename(archive))!;
    unreadable.set(archive, {
      archive,
      name: basename(archive),
      storeId: parts.storeId,
      kind: parts.kind,
      fromPosition: parts.fromPosition,
      toPosition: parts.toPosition,
      createdAtSecond: parts.createdAtSecond,
      reason,
      needsKey,
    });
    warnings.push(`${basename(archive)} cannot be used: ${reason}`);
  };
  for (const folder of new Set([...folders, ...named.keys()])) {
    const catalog = await listCatalog(folder);
    for (const entry of catalog.entries) if (wanted(folder, entry.archive)) byArchive.set(entry.archive, entry);
    for (const problem of catalog.problems) {
      const archive = archivePathOf(problem.path);
      if (archive === undefined || !wanted(folder, archive) || byArchive.has(archive) || unreadable.has(archive)) continue;
      if ((await fileSize(archive)) === null) {
        warnings.push(problem.message);
        continue;
      }
      // The archive is there but its sidecar is missing or cannot be used: the manifest inside can tell.
      const sidecarMissing = (await fileSize(sidecarPathOf(archive))) === null;
      const sidecarSays = sidecarMissing ? 'its sidecar is missing' : `its sidecar cannot be used (${problem.message})`;
      if (!canOpen(archive, keys)) {
        cannotRead(archive, `${sidecarSays}, and it is encrypted: give its key so that the manifest inside can be read`, true);
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
          manifestFrom: 'archive',
          sidecarProblem: sidecarMissing ? SIDECAR_MISSING : problem.message,
        });
        withoutSidecar.add(archive);
        if (!sidecarMissing) warnings.push(`${basename(archive)}: ${sidecarSays}; its manifest was read from inside the archive`);
      } catch (error) {
        if (!(error instanceof ConsoleError)) throw error;
        if (error.code === 'DECRYPTION_FAILED' || error.code === 'CANCELLED') throw error;
        cannotRead(archive, `${sidecarSays}, and the manifest inside cannot be read either: ${error.message}`, false);
      }
    }
  }
  for (const [folder, archives] of named) {
    for (const archive of archives) {
      if (!byArchive.has(archive) && !unreadable.has(archive) && !warnings.some((w) => w.includes(basename(archive))))
        warnings.push(`${basename(archive)} in ${folder} could not be listed`);
    }
  }
  for (const entry of byArchive.values()) {
    if (entry.archiveBytes === null) warnings.push(`${entry.name} is missing: only its sidecar is there`);
  }
  return { entries: [...byArchive.values()], withoutSidecar, unreadable: [...unreadable.values()], warnings };
}
