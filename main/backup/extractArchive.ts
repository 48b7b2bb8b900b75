import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ArchiveMemberName, BackupManifest, BackupProgress } from '../../shared/backup.js';
import { ArchiveReadError, readArchive, readSmallMember } from './archiveReader.js';
import type { DecryptionKeyInput } from './encryption.js';
import { MAX_SMALL_MEMBER_BYTES, manifestContradictions, parseManifest } from './manifest.js';
import { consumeMember, type ReadMember } from './memberSink.js';
import { parseSha256Sums } from './sha256sums.js';

export interface ExtractedMember {
  readonly name: ArchiveMemberName;
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface ExtractArchiveResult {
  readonly manifest: BackupManifest;
  readonly members: readonly ExtractedMember[];
}

function corrupt(member: string | null, message: string): ArchiveReadError {
  return new ArchiveReadError('ARCHIVE_CORRUPT', message, member, 'checksum');
}

/**
 * Extracts an archive's members into `dir` (for a restore), checking each against SHA256SUMS and the
 * manifest as it goes: ARCHIVE_CORRUPT naming the member at the first mismatch, DECRYPTION_FAILED for a
 * wrong key. `only` limits which data members are written (manifest.json and SHA256SUMS always are, they
 * are small). On failure the members written so far are removed. This checks checksums only; the
 * chain and integrity checks are verifyArchive's (or the restore's own, on the restored store).
 */
export async function extractArchive(
  archive: string,
  dir: string,
  options: {
    readonly keys?: DecryptionKeyInput;
    readonly only?: readonly ArchiveMemberName[];
    readonly onProgress?: (p: BackupProgress) => void;
    readonly isCancelled?: () => boolean;
  } = {},
): Promise<ExtractArchiveResult> {
  const target = resolve(dir);
  await mkdir(target, { recursive: true });
  let manifest: BackupManifest | undefined;
  let sums: Map<string, string> | undefined;
  const members: ExtractedMember[] = [];
  /** Every file this extraction created, complete or not: removed if it fails. */
  const created: string[] = [];
  const check = (read: ReadMember) => {
    if (read.bytes !== read.declared) throw corrupt(read.name, `${read.name} is cut short: ${read.bytes} of ${read.declared} bytes`);
    if (read.name === 'SHA256SUMS') return;
    if (sums === undefined) throw corrupt('SHA256SUMS', `${read.name} comes before SHA256SUMS: not an archive of this format`);
    if (sums.get(read.name) !== read.sha256) throw corrupt(read.name, `${read.name} does not match its SHA-256 in SHA256SUMS`);
    if (read.name !== 'manifest.json' && read.name !== 'manifest.sig') {
      const entry = manifest?.members.find((m) => m.name === read.name);
      if (entry === undefined || entry.sha256 !== read.sha256 || entry.bytes !== read.bytes) throw corrupt(read.name, `${read.name} does not match the manifest`);
    }
  };
  try {
    await readArchive(
      archive,
      async (member) => {
        const path = join(target, member.name);
        created.push(path);
        if (member.name === 'manifest.json' || member.name === 'SHA256SUMS' || member.name === 'manifest.sig') {
          const bytes = await readSmallMember(member, MAX_SMALL_MEMBER_BYTES);
          const text = bytes.toString('utf8');
          if (member.name === 'manifest.json') {
            manifest = parseManifest(text, 'manifest.json in the archive');
            const contradictions = manifestContradictions(manifest);
            if (contradictions.length > 0) throw corrupt('manifest.json', contradictions.join('; '));
          } else if (member.name === 'SHA256SUMS') {
            sums = parseSha256Sums(text);
          }
          const read = await consumeMember({ ...member, data: chunks(bytes) }, { path });
          members.push({ name: member.name, path, bytes: read.bytes, sha256: read.sha256 });
          if (member.name === 'SHA256SUMS') {
            // manifest.json (and manifest.sig) came first (this format's order) and are checked now that their checksums are known.
            const manifestRead = members.find((m) => m.name === 'manifest.json');
            if (manifestRead === undefined) throw corrupt('manifest.json', 'SHA256SUMS comes before manifest.json: not an archive of this format');
            for (const early of members.filter((m) => m.name === 'manifest.json' || m.name === 'manifest.sig'))
              check({ name: early.name, declared: early.bytes, bytes: early.bytes, sha256: early.sha256 });
          }
          return;
        }
        const write = options.only === undefined || options.only.includes(member.name);
        const read = await consumeMember(member, write ? { path } : {});
        check(read);
        if (write) members.push({ name: member.name, path, bytes: read.bytes, sha256: read.sha256 });
      },
      { keys: options.keys, isCancelled: options.isCancelled, onBytes: (done, total) => options.onProgress?.({ phase: 'verifying', done, total, unit: 'bytes' }) },
    );
    if (manifest === undefined) throw corrupt('manifest.json', 'the archive has no manifest.json');
    for (const entry of manifest.members) if (!members.some((m) => m.name === entry.name) && (options.only === undefined || options.only.includes(entry.name)))
      throw corrupt(entry.name, `${entry.name} is listed in the manifest but missing from the archive`);
    return { manifest, members };
  } catch (error) {
    for (const path of created) await rm(path, { force: true });
    throw error;
  }
}

async function* chunks(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}
