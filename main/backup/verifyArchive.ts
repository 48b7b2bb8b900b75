import { copyFile, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { ArchiveProblem, ArchiveVerification, BackupManifest, BackupProgress, ContinuityState } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { TOOL_VERSION } from '../platform/index.js';
import { archivePathOf, sidecarPathOf } from './archiveName.js';
import { ArchiveReadError, readArchive, readSmallMember } from './archiveReader.js';
import { checkContinuity, type PreviousLink } from './continuity.js';
import type { DecryptionKeyInput } from './encryption.js';
import { checkEventsDb } from './eventsDbCheck.js';
import { requireFreeSpace } from '../platform/index.js';
import { manifestContradictions, MAX_SMALL_MEMBER_BYTES, nameContradictions, parseManifest } from './manifest.js';
import { consumeMember, type ReadMember } from './memberSink.js';
import { NdjsonChainCheck } from './ndjsonChain.js';
import { parseSha256Sums } from './sha256sums.js';
import { writeVerificationRecord } from './verificationRecord.js';

export interface VerifyArchiveRequest {
  /** The archive, its sidecar or its verification record. */
  readonly archive: string;
  readonly keys?: DecryptionKeyInput;
  /** Where events.db is extracted for its test open (default: the system's temporary folder). */
  readonly scratchDir?: string;
  /**
   * The link before an incremental: `folder` (default) looks for it among the archives beside it,
   * `none` skips the check, or the caller names it (a chain assembled from several folders).
   */
  readonly previous?: 'folder' | 'none' | PreviousLink;
  /** Write `<archive>.verification.json` (default true) so the catalog shows the result. */
  readonly record?: boolean;
  /**
   * When the archive verifies, leave its events.db / events.ndjson (exactly the bytes that were checked) in
   * this folder instead of deleting them: a restore uses them without reading the archive a second time.
   * It should be on the same file system as `scratchDir` (the files are renamed into it).
   */
  readonly keepMembersIn?: string;
}

export interface VerifyJobContext {
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly isCancelled?: () => boolean;
  readonly clock?: () => number;
}

type Add = (code: ArchiveProblem['code'], member: string | null, check: ArchiveProblem['check'], message: string) => void;

async function readSidecar(archive: string, add: Add): Promise<BackupManifest | undefined> {
  const sidecar = sidecarPathOf(archive);
  let text: string;
  try {
    text = await readFile(sidecar, 'utf8');
  } catch {
    add('ARCHIVE_CORRUPT', basename(sidecar), 'sidecar', `the sidecar ${basename(sidecar)} is missing: the catalog cannot list this archive without opening it`);
    return undefined;
  }
  try {
    return parseManifest(text, `the sidecar ${basename(sidecar)}`);
  } catch (error) {
    if (!(error instanceof ConsoleError)) throw error;
    add(error.code === 'UNSUPPORTED_FORMAT' ? 'UNSUPPORTED_FORMAT' : 'ARCHIVE_CORRUPT', basename(sidecar), 'sidecar', error.message);
    return undefined;
  }
}

function sameManifest(a: BackupManifest, b: BackupManifest): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Verifies one archive end to end (issue 4 item 4): the sidecar and the name against the manifest inside,
 * decryption, every member against SHA256SUMS and the manifest, a test open of events.db (integrity_check,
 * the hash chain, the head equal to toPosition/toHash), for an incremental the chain inside events.ndjson
 * from fromHash, and its continuity with the archive before it. Every finding is listed with the member it
 * concerns; only a missing file, a missing key or cancellation is thrown. The result is recorded beside
 * the archive unless `record` is false (a wrong key says nothing about the archive and is not recorded).
 */
export async function verifyArchive(request: VerifyArchiveRequest, ctx: VerifyJobContext = {}): Promise<ArchiveVerification> {
  const clock = ctx.clock ?? Date.now;
  const started = performance.now();
  const isCancelled = ctx.isCancelled ?? (() => false);
  const given = resolve(request.archive);
  const archive = archivePathOf(given) ?? given;
  const problems: ArchiveProblem[] = [];
  const add: Add = (code, member, check, message) => {
    if (problems.length < 200) problems.push({ code, member, check, message });
  };

  const sidecarManifest = await readSidecar(archive, add);
  const expectedDb = sidecarManifest?.members.find((m) => m.name === 'events.db')?.bytes ?? 0;
  const scratchRoot = resolve(request.scratchDir ?? tmpdir());
  if (expectedDb > 0) await requireFreeSpace(scratchRoot, expectedDb + 1024 * 1024, 'the test open of events.db');
  const scratch = await mkdtemp(join(scratchRoot, 'pconsole-verify-'));

  let manifest: BackupManifest | undefined;
  let sums: Map<string, string> | undefined;
  const read = new Map<string, ReadMember>();
  let ndjson: NdjsonChainCheck | undefined;
  let containerFailed = false;
  let decryptionFailed = false;
  let archiveBytes = 0;
  let eventsChecked = 0;
  try {
    try {
      ({ archiveBytes } = await readArchive(
        archive,
        async (member) => {
          if (member.name === 'manifest.json' || member.name === 'SHA256SUMS') {
            const bytes = await readSmallMember(member, MAX_SMALL_MEMBER_BYTES);
            read.set(member.name, await consumeMember({ ...member, data: oneChunk(bytes) }));
            try {
              if (member.name === 'manifest.json') manifest = parseManifest(bytes.toString('utf8'), 'manifest.json in the archive');
              else sums = parseSha256Sums(bytes.toString('utf8'));
            } catch (error) {
              if (!(error instanceof ConsoleError)) throw error;
              add(error.code === 'UNSUPPORTED_FORMAT' ? 'UNSUPPORTED_FORMAT' : 'ARCHIVE_CORRUPT', member.name, 'manifest', error.message);
            }
          } else if (member.name === 'events.ndjson') {
            const from = manifest ?? sidecarManifest;
            ndjson = from === undefined ? undefined : new NdjsonChainCheck(from.fromPosition, from.fromHash);
            const keep = request.keepMembersIn === undefined ? undefined : join(scratch, 'events.ndjson');
            read.set(member.name, await consumeMember(member, { path: keep, inspect: (piece) => ndjson?.write(piece) }));
            ndjson?.end();
          } else {
            read.set(member.name, await consumeMember(member, { path: member.name === 'events.db' ? join(scratch, 'events.db') : undefined }));
          }
        },
        {
          keys: request.keys,
          isCancelled,
          onBytes: (done, total) => ctx.onProgress?.({ phase: 'verifying', done, total, unit: 'bytes' }),
        },
      ));
    } catch (error) {
      if (error instanceof ArchiveReadError) {
        containerFailed = true;
        add(error.code === 'UNSUPPORTED_FORMAT' ? 'UNSUPPORTED_FORMAT' : 'ARCHIVE_CORRUPT', error.member, error.check, error.message);
      } else if (error instanceof ConsoleError && error.code === 'DECRYPTION_FAILED') {
        decryptionFailed = true;
        add('DECRYPTION_FAILED', null, 'decryption', error.message);
      } else {
        throw error;
      }
    }

    const m = manifest ?? sidecarManifest;
    if (!decryptionFailed) {
      if (manifest === undefined && !containerFailed && !problems.some((p) => p.member === 'manifest.json'))
        add('ARCHIVE_CORRUPT', 'manifest.json', 'manifest', 'the archive has no manifest.json');
      if (manifest !== undefined && sidecarManifest !== undefined && !sameManifest(manifest, sidecarManifest))
        add('ARCHIVE_CORRUPT', basename(sidecarPathOf(archive)), 'sidecar', 'the sidecar does not match manifest.json inside the archive');
      if (m !== undefined) {
        for (const c of manifestContradictions(m)) add('ARCHIVE_CORRUPT', 'manifest.json', 'manifest', c);
        for (const c of nameContradictions(basename(archive), m)) add('ARCHIVE_CORRUPT', null, 'name', c);
      }
      checkMembers({ manifest: m, sums, read, containerFailed, add });
      if (m !== undefined && read.get('events.db') !== undefined && !problems.some((p) => p.member === 'events.db')) {
        ctx.onProgress?.({ phase: 'verifying', done: 0, total: m.eventCount, unit: 'events' });
        const db = checkEventsDb(join(scratch, 'events.db'), m, (done, total) => ctx.onProgress?.({ phase: 'verifying', done, total, unit: 'events' }), isCancelled);
        for (const p of db.problems) add(p.code, p.member, p.check, p.message);
        eventsChecked = db.checked;
      }
      if (m !== undefined && ndjson !== undefined && !containerFailed) {
        for (const p of ndjson.problems) add(p.code, p.member, p.check, p.message);
        eventsChecked = ndjson.checked;
        if (ndjson.checked !== m.eventCount) add('INTEGRITY_VIOLATION', 'events.ndjson', 'chain', `events.ndjson holds ${ndjson.checked} events, the manifest says ${m.eventCount}`);
        else if (ndjson.lastPosition !== m.toPosition || ndjson.lastHash !== m.toHash)
          add('INTEGRITY_VIOLATION', 'events.ndjson', 'chain', `events.ndjson ends at position ${ndjson.lastPosition}, the manifest says ${m.toPosition} (or the hashes differ)`);
      }
    }

    let continuity: ContinuityState = 'not-applicable';
    let previousArchive: string | null = null;
    if (m !== undefined && m.kind === 'incremental' && request.previous !== 'none') {
      ({ continuity, previousArchive } = await checkContinuity(archive, m, request.previous === undefined || request.previous === 'folder' ? 'folder' : request.previous));
      if (continuity === 'broken')
        add('INTEGRITY_VIOLATION', null, 'continuity', `no archive before it ends at position ${m.fromPosition} with hash ${m.fromHash.slice(0, 12)}…: the link before it comes from another history`);
    }

    const result: ArchiveVerification = {
      ok: problems.length === 0,
      archive,
      problems,
      verifiedAt: new Date(clock()).toISOString(),
      durationMs: Math.round(performance.now() - started),
      manifest: m ?? null,
      eventsChecked,
      archiveBytes,
      continuity,
      previousArchive,
      toolVersion: TOOL_VERSION,
    };
    if (request.record !== false && !decryptionFailed) await writeVerificationRecord(result).catch(() => undefined);
    if (result.ok && request.keepMembersIn !== undefined) await keepMembers(scratch, request.keepMembersIn, [...read.keys()]);
    return result;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Moves the verified data members out of the scratch folder before it is deleted. */
async function keepMembers(scratch: string, into: string, names: readonly string[]): Promise<void> {
  await mkdir(into, { recursive: true });
  for (const name of names) {
    if (name !== 'events.db' && name !== 'events.ndjson') continue;
    try {
      await rename(join(scratch, name), join(into, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFile(join(scratch, name), join(into, name));
    }
  }
}

async function* oneChunk(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

/** Each member read against SHA256SUMS and the manifest, and the other way round. */
function checkMembers(input: {
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
    if (member.name === 'manifest.json' || manifest === undefined) continue;
    const entry = manifest.members.find((x) => x.name === member.name);
    if (entry === undefined) add('ARCHIVE_CORRUPT', member.name, 'manifest', `${member.name} is not listed in the manifest`);
    else if (entry.bytes !== member.bytes || entry.sha256 !== member.sha256)
      add('ARCHIVE_CORRUPT', member.name, 'checksum', `${member.name} (${member.bytes} bytes) does not match the manifest (${entry.bytes} bytes, its SHA-256)`);
  }
  if (containerFailed) return;
  for (const name of sums?.keys() ?? []) if (!read.has(name)) add('ARCHIVE_CORRUPT', name, 'checksum', `${name} is listed in SHA256SUMS but missing from the archive`);
  for (const entry of manifest?.members ?? []) if (!read.has(entry.name)) add('ARCHIVE_CORRUPT', entry.name, 'manifest', `${entry.name} is listed in the manifest but missing from the archive`);
}
