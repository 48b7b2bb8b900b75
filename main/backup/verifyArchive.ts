import type { KeyObject } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { ArchiveProblem, ArchiveVerification, BackupManifest, BackupProgress, ContinuityState, SignatureState } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { requireFreeSpace, runSteps, type Step, TOOL_VERSION } from '../platform/index.js';
import { archivePathOf, sidecarPathOf } from './archiveName.js';
import { ArchiveReadError, readArchive, readSmallMember } from './archiveReader.js';
import { checkContinuity, type PreviousLink } from './continuity.js';
import type { DecryptionKeyInput } from './encryption.js';
import { checkEventsDb } from './eventsDbCheck.js';
import { manifestContradictions, manifestDifferences, MAX_SMALL_MEMBER_BYTES, nameContradictions, parseManifest } from './manifest.js';
import { type Add, checkMembers, readSidecar, sameManifest } from './memberChecks.js';
import { consumeMember, type ReadMember } from './memberSink.js';
import { NdjsonChainCheck } from './ndjsonChain.js';
import { parseSha256Sums } from './sha256sums.js';
import { manifestSignatureHolds, parseTrustedKey, type TrustedKeyInput } from './signing.js';
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
  /**
   * The public key archives must be signed with (PEM). With one, an unsigned archive, one signed by another
   * key and one whose manifest.sig does not verify are UNTRUSTED_ARCHIVE problems; without one, a signature
   * is reported as `unchecked`.
   */
  readonly trustedKey?: TrustedKeyInput;
}

export interface VerifyJobContext {
  readonly onProgress?: (progress: BackupProgress) => void;
  readonly isCancelled?: () => boolean;
  readonly clock?: () => number;
}

const CANCELLED = 'the verification was cancelled';

/** One verification as its steps fill it in; each field is set by the step named beside it. */
class VerifyRun {
  readonly started = performance.now();
  readonly archive: string;
  readonly problems: ArchiveProblem[] = [];
  readonly warnings: ArchiveProblem[] = [];
  sidecarManifest?: BackupManifest; // sidecar
  sidecarSha256: string | null = null;
  readonly trusted?: { readonly key: KeyObject; readonly keyId: string };
  scratch?: string; // scratch
  manifest?: BackupManifest; // read
  manifestBytes?: Buffer;
  signatureBytes?: Buffer;
  signature: SignatureState = 'unsigned'; // signature
  sums?: Map<string, string>;
  readonly read = new Map<string, ReadMember>();
  ndjson?: NdjsonChainCheck;
  containerFailed = false;
  decryptionFailed = false;
  archiveBytes = 0;
  eventsChecked = 0; // events.db | events.ndjson
  continuity: ContinuityState = 'not-applicable'; // continuity
  previousArchive: string | null = null;
  result!: ArchiveVerification; // result

  constructor(
    readonly request: VerifyArchiveRequest,
    readonly ctx: VerifyJobContext,
  ) {
    const given = resolve(request.archive);
    this.archive = archivePathOf(given) ?? given;
    if (request.trustedKey !== undefined) {
      const { key, keyId } = parseTrustedKey(request.trustedKey.publicKeyPem);
      this.trusted = { key, keyId };
    }
  }

  readonly add: Add = (code, member, check, message) => {
    if (this.problems.length < 200) this.problems.push({ code, member, check, message });
  };

  /** A finding about the sidecar: reported, never held against the archive. */
  readonly warn: Add = (code, member, check, message) => {
    if (this.warnings.length < 200) this.warnings.push({ code, member, check, message });
  };

  /** The manifest the checks go by: the one inside the archive, else the sidecar's. */
  get m(): BackupManifest | undefined {
    return this.manifest ?? this.sidecarManifest;
  }

  get isCancelled(): () => boolean {
    return this.ctx.isCancelled ?? (() => false);
  }
}

const decrypted = (s: VerifyRun) => !s.decryptionFailed;

/** A wrong key says nothing about the archive: after a failed decryption only continuity is still checked. */
const VERIFY_STEPS: readonly Step<VerifyRun>[] = [
  { name: 'sidecar', run: async (s) => void ({ manifest: s.sidecarManifest, sha256: s.sidecarSha256 } = await readSidecar(s.archive, s.warn)) },
  {
    name: 'scratch',
    run: async (s) => {
      const expectedDb = s.sidecarManifest?.members.find((m) => m.name === 'events.db')?.bytes ?? 0;
      const scratchRoot = resolve(s.request.scratchDir ?? tmpdir());
      if (expectedDb > 0) await requireFreeSpace(scratchRoot, expectedDb + 1024 * 1024, 'the test open of events.db');
      s.scratch = await mkdtemp(join(scratchRoot, 'pconsole-verify-'));
    },
    cleanup: async (s) => {
      if (s.scratch !== undefined) await rm(s.scratch, { recursive: true, force: true });
    },
    cleanupWhen: 'always',
  },
  { name: 'read', run: readMembers },
  {
    name: 'manifest',
    when: decrypted,
    run: (s) => {
      const { manifest, sidecarManifest, m, add } = s;
      if (manifest === undefined && !s.containerFailed && !s.problems.some((p) => p.member === 'manifest.json')) add('ARCHIVE_CORRUPT', 'manifest.json', 'manifest', 'the archive has no manifest.json');
      if (manifest !== undefined && sidecarManifest !== undefined && !sameManifest(manifest, sidecarManifest)) {
        const differences = manifestDifferences(sidecarManifest, manifest);
        s.warn(
          'ARCHIVE_CORRUPT',
          basename(sidecarPathOf(s.archive)),
          'sidecar',
          `the sidecar disagrees with manifest.json inside the archive${differences.length === 0 ? '' : ` (${differences.join('; ')})`}: the manifest inside is what verification and restores go by; replace the sidecar with a copy of it`,
        );
      }
      if (m !== undefined) {
        for (const c of manifestContradictions(m)) add('ARCHIVE_CORRUPT', 'manifest.json', 'manifest', c);
        for (const c of nameContradictions(basename(s.archive), m)) add('ARCHIVE_CORRUPT', null, 'name', c);
      }
    },
  },
  { name: 'signature', when: (s) => decrypted(s) && s.manifest !== undefined, run: checkSignature },
  { name: 'members', when: decrypted, run: (s) => checkMembers({ manifest: s.m, sums: s.sums, read: s.read, containerFailed: s.containerFailed, add: s.add }) },
  {
    name: 'events.db',
    when: (s) => decrypted(s) && s.m !== undefined && s.read.get('events.db') !== undefined && !s.problems.some((p) => p.member === 'events.db'),
    run: (s) => {
      const m = s.m!;
      s.ctx.onProgress?.({ phase: 'verifying', done: 0, total: m.eventCount, unit: 'events' });
      const db = checkEventsDb(join(s.scratch!, 'events.db'), m, (done, total) => s.ctx.onProgress?.({ phase: 'verifying', done, total, unit: 'events' }), s.isCancelled);
      for (const p of db.problems) s.add(p.code, p.member, p.check, p.message);
      s.eventsChecked = db.checked;
    },
  },
  {
    name: 'events.ndjson',
    when: (s) => decrypted(s) && s.m !== undefined && s.ndjson !== undefined && !s.containerFailed,
    run: (s) => {
      const m = s.m!;
      const ndjson = s.ndjson!;
      for (const p of ndjson.problems) s.add(p.code, p.member, p.check, p.message);
      s.eventsChecked = ndjson.checked;
      if (ndjson.checked !== m.eventCount) s.add('INTEGRITY_VIOLATION', 'events.ndjson', 'chain', `events.ndjson holds ${ndjson.checked} events, the manifest says ${m.eventCount}`);
      else if (ndjson.lastPosition !== m.toPosition || ndjson.lastHash !== m.toHash)
        s.add('INTEGRITY_VIOLATION', 'events.ndjson', 'chain', `events.ndjson ends at position ${ndjson.lastPosition}, the manifest says ${m.toPosition} (or the hashes differ)`);
    },
  },
  {
    name: 'continuity',
    when: (s) => s.m?.kind === 'incremental' && s.request.previous !== 'none',
    run: async (s) => {
      const m = s.m!;
      const previous = s.request.previous ?? 'folder';
      if (previous === 'none') return;
      ({ continuity: s.continuity, previousArchive: s.previousArchive } = await checkContinuity(s.archive, m, previous));
      if (s.continuity === 'broken')
        s.add('INTEGRITY_VIOLATION', null, 'continuity', `no archive before it ends at position ${m.fromPosition} with hash ${m.fromHash.slice(0, 12)}…: the link before it comes from another history`);
    },
  },
  // The checks are done: their answer is recorded and returned, a late cancellation no longer throws it away.
  {
    name: 'result',
    cancellable: false,
    run: (s) => {
      s.result = {
        ok: s.problems.length === 0,
        archive: s.archive,
        problems: s.problems,
        verifiedAt: new Date((s.ctx.clock ?? Date.now)()).toISOString(),
        durationMs: Math.round(performance.now() - s.started),
        manifest: s.m ?? null,
        manifestSource: s.manifest !== undefined ? 'archive' : s.sidecarManifest !== undefined ? 'sidecar' : null,
        eventsChecked: s.eventsChecked,
        archiveBytes: s.archiveBytes,
        continuity: s.continuity,
        previousArchive: s.previousArchive,
        toolVersion: TOOL_VERSION,
        warnings: s.warnings,
        signature: s.signature,
        signingKeyId: s.manifest?.signingKeyId ?? null,
        trustedKeyId: s.trusted?.keyId ?? null,
      };
    },
  },
  { name: 'record', cancellable: false, when: (s) => s.request.record !== false && decrypted(s), run: (s) => writeVerificationRecord(s.result, s.sidecarSha256).catch(() => undefined) },
  { name: 'keep', cancellable: false, when: (s) => s.result.ok && s.request.keepMembersIn !== undefined, run: (s) => keepMembers(s.scratch!, s.request.keepMembersIn!, [...s.read.keys()]) },
];

/**
 * Verifies one archive end to end (issue 4 item 4): the name against the manifest inside, decryption, the
 * signature (with a trusted key: made by it), every member against SHA256SUMS and the manifest, a test open
 * of events.db (integrity_check, the hash chain, the head equal to toPosition/toHash), for an incremental the
 * chain inside events.ndjson from fromHash, and its continuity with the archive before it. Every finding is
 * listed with the member it concerns; only a missing file, a missing key or cancellation is thrown. The
 * sidecar is compared with the manifest inside: what is wrong with it is a warning (it is a convenience copy
 * for listing; nothing goes by it once the archive is open). The result is recorded beside the archive
 * unless `record` is false (a wrong key says nothing about the archive and is not recorded).
 */
export async function verifyArchive(request: VerifyArchiveRequest, ctx: VerifyJobContext = {}): Promise<ArchiveVerification> {
  const s = new VerifyRun(request, ctx);
  await runSteps(VERIFY_STEPS, s, { isCancelled: s.isCancelled, cancelledMessage: CANCELLED });
  return s.result;
}

/** Reads the archive once, each member checked as it streams by; damage to the container and a wrong key are findings. */
async function readMembers(s: VerifyRun): Promise<void> {
  const scratch = s.scratch!;
  try {
    ({ archiveBytes: s.archiveBytes } = await readArchive(
      s.archive,
      async (member) => {
        if (member.name === 'manifest.json' || member.name === 'SHA256SUMS' || member.name === 'manifest.sig') {
          const bytes = await readSmallMember(member, MAX_SMALL_MEMBER_BYTES);
          s.read.set(member.name, await consumeMember({ ...member, data: oneChunk(bytes) }));
          if (member.name === 'manifest.sig') {
            s.signatureBytes = bytes;
            return;
          }
          try {
            if (member.name === 'manifest.json') {
              s.manifestBytes = bytes;
              s.manifest = parseManifest(bytes.toString('utf8'), 'manifest.json in the archive');
            } else s.sums = parseSha256Sums(bytes.toString('utf8'));
          } catch (error) {
            if (!(error instanceof ConsoleError)) throw error;
            s.add(error.code === 'UNSUPPORTED_FORMAT' ? 'UNSUPPORTED_FORMAT' : 'ARCHIVE_CORRUPT', member.name, 'manifest', error.message);
          }
        } else if (member.name === 'events.ndjson') {
          const from = s.m;
          const ndjson = from === undefined ? undefined : new NdjsonChainCheck(from.fromPosition, from.fromHash);
          s.ndjson = ndjson;
          const keep = s.request.keepMembersIn === undefined ? undefined : join(scratch, 'events.ndjson');
          s.read.set(member.name, await consumeMember(member, { path: keep, inspect: (piece) => ndjson?.write(piece) }));
          ndjson?.end();
        } else {
          s.read.set(member.name, await consumeMember(member, { path: member.name === 'events.db' ? join(scratch, 'events.db') : undefined }));
        }
      },
      {
        keys: s.request.keys,
        isCancelled: s.isCancelled,
        onBytes: (done, total) => s.ctx.onProgress?.({ phase: 'verifying', done, total, unit: 'bytes' }),
      },
    ));
  } catch (error) {
    if (error instanceof ArchiveReadError) {
      s.containerFailed = true;
      s.add(error.code === 'UNSUPPORTED_FORMAT' ? 'UNSUPPORTED_FORMAT' : 'ARCHIVE_CORRUPT', error.member, error.check, error.message);
    } else if (error instanceof ConsoleError && error.code === 'DECRYPTION_FAILED') {
      s.decryptionFailed = true;
      s.add('DECRYPTION_FAILED', null, 'decryption', error.message);
    } else {
      throw error;
    }
  }
}

/**
 * The signature over manifest.json's exact bytes: consistent (a signingKeyId and a 64-byte manifest.sig, or
 * neither), and with a trusted key, made by that key. Without a trusted key a signature cannot prove
 * anything and is `unchecked`; with one, anything but a valid signature by it is UNTRUSTED_ARCHIVE.
 */
function checkSignature(s: VerifyRun): void {
  const m = s.manifest!;
  const claimed = m.signingKeyId;
  const sig = s.signatureBytes;
  const trusted = s.trusted;
  const untrusted = (state: SignatureState, message: string) => {
    s.signature = state;
    s.add('UNTRUSTED_ARCHIVE', state === 'unsigned' ? null : 'manifest.sig', 'signature', message);
  };
  const inconsistent = (message: string) => {
    s.signature = 'invalid';
    s.add(trusted === undefined ? 'ARCHIVE_CORRUPT' : 'UNTRUSTED_ARCHIVE', 'manifest.sig', 'signature', message);
  };
  if (claimed === undefined && sig === undefined) {
    s.signature = 'unsigned';
    if (trusted !== undefined) untrusted('unsigned', `the archive is not signed, and a trusted key (${short(trusted.keyId)}) is required: anyone able to write archives could have made it`);
    return;
  }
  if (claimed === undefined) return inconsistent('the archive holds manifest.sig but manifest.json names no signing key (signingKeyId)');
  if (sig === undefined) return inconsistent(`manifest.json says it is signed by key ${short(claimed)}, but the archive has no manifest.sig`);
  if (sig.length !== 64) return inconsistent(`manifest.sig is ${sig.length} bytes: an Ed25519 signature is 64`);
  if (trusted === undefined) {
    s.signature = 'unchecked';
    return;
  }
  if (claimed !== trusted.keyId) return untrusted('other-key', `the archive is signed by key ${short(claimed)}, not by the trusted key ${short(trusted.keyId)}`);
  if (!manifestSignatureHolds(s.manifestBytes!, sig, trusted.key))
    return untrusted('invalid', `manifest.sig does not verify over manifest.json with the trusted key ${short(trusted.keyId)}: the manifest was changed after it was signed, or the signature forged`);
  s.signature = 'trusted';
}

const short = (keyId: string) => `${keyId.slice(0, 16)}…`;

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
