/** The checks of an archive's sidecar, manifests and members that verifyArchive makes around reading it. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ArchiveProblem, BackupManifest } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { sidecarPathOf } from './archiveName.js';
import { parseManifest } from './manifest.js';
import type { ReadMember } from './memberSink.js';

/** Adds a finding to the verification's list. */
export type Add = (code: ArchiveProblem['code'], member: string | null, check: ArchiveProblem['check'], message: string) => void;

/**
 * The sidecar's manifest and the SHA-256 of its bytes, or a finding when it is missing or unreadable (it is a
 * convenience copy: never trusted over the one inside).
 */
export async function readSidecar(archive: string, add: Add): Promise<{ manifest: BackupManifest | undefined; sha256: string | null }> {
  const sidecar = sidecarPathOf(archive);
  let bytes: Buffer;
  try {
    bytes = await readFile(sidecar);
  } catch {
    add('ARCHIVE_CORRUPT', basename(sidecar), 'sidecar', `the sidecar ${basename(sidecar)} is missing: the catalog cannot list this archive without opening it`);
    return { manifest: undefined, sha256: null };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    return { manifest: parseManifest(bytes.toString('utf8'), `the sidecar ${basename(sidecar)}`), sha256 };
  } catch (error) {
    if (!(error instanceof ConsoleError)) throw error;
    add(error.code === 'UNSUPPORTED_FORMAT' ? 'UNSUPPORTED_FORMAT' : 'ARCHIVE_CORRUPT', basename(sidecar), 'sidecar', error.message);
    return { manifest: undefined, sha256 };
  }
}

export function sameManifest(a: BackupManifest, b: BackupManifest): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Each member read against SHA256SUMS and the manifest, and the other way round. */
export function checkMembers(input: {
  manifest: BackupManifest | undefined;
  sums: Map<string, string> | undefined;
  read: Map<string, ReadMember>;
  containerFailed: boolean;
  add: Add;
}): void {
  const { manifest, sums, read, containerFailed, add } = input;
  if (sums === undefined && !containerFailed && read.has('SHA256SUMS') === false) add('ARCHIVE_CORRUPT', 'SHA256SUMS', 'checksum', 'the archive has no SHA256SUMS');
  for (const member of read.values()) {
    // A member cut short by damage to the container is already reported with that damage.
    if (member.bytes !== member.declared) {
      if (!containerFailed) add('ARCHIVE_CORRUPT', member.name, 'container', `${member.name} is ${member.bytes} bytes, its tar header says ${member.declared}`);
      continue;
    }
    if (member.name === 'SHA256SUMS') continue;
    const listed = sums?.get(member.name);
    if (sums !== undefined && listed === undefined) add('ARCHIVE_CORRUPT', member.name, 'checksum', `${member.name} is not listed in SHA256SUMS`);
    else if (listed !== undefined && listed !== member.sha256) add('ARCHIVE_CORRUPT', member.name, 'checksum', `${member.name} does not match its SHA-256 in SHA256SUMS: its content was changed or damaged`);
    // manifest.json and its signature cannot be listed in the manifest itself: SHA256SUMS covers them.
    if (member.name === 'manifest.json' || member.name === 'manifest.sig' || manifest === undefined) continue;
    const entry = manifest.members.find((x) => x.name === member.name);
    if (entry === undefined) add('ARCHIVE_CORRUPT', member.name, 'manifest', `${member.name} is not listed in the manifest`);
    else if (entry.bytes !== member.bytes || entry.sha256 !== member.sha256)
      add('ARCHIVE_CORRUPT', member.name, 'checksum', `${member.name} (${member.bytes} bytes) does not match the manifest (${entry.bytes} bytes, its SHA-256)`);
  }
  if (containerFailed) return;
  for (const name of sums?.keys() ?? []) if (!read.has(name)) add('ARCHIVE_CORRUPT', name, 'checksum', `${name} is listed in SHA256SUMS but missing from the archive`);
  for (const entry of manifest?.members ?? []) if (!read.has(entry.name)) add('ARCHIVE_CORRUPT', entry.name, 'manifest', `${entry.name} is listed in the manifest but missing from the archive`);
}
