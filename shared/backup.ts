// The backup domain's shared vocabulary in one file (archives, manifests, catalog, verification, schedules,
// runs, retention): every side (main, the CLI, the renderer) reads it, so it is kept whole rather than split
// across files that would import one another; it holds types and schemas, no logic.

import { z } from 'zod';
import type { ErrorInfo } from './errors.js';
import type { JobProgress } from './jobs.js';

/**
 * Backup archives, their catalog, verification results, schedules and retention (DESIGN §7). Shared by
 * main, the API and the renderer: zod schemas and types only. The manifest schema is the contract of an
 * archive on disk: fields may be added, never removed or renamed.
 */

/** The manifest format this build writes; it reads this version and older ones. */
export const BACKUP_FORMAT_VERSION = 1;

export const backupKindSchema = z.enum(['full', 'incremental']);
export type BackupKind = z.infer<typeof backupKindSchema>;

export const encryptionKindSchema = z.enum(['none', 'age-passphrase', 'age-recipient']);
export type EncryptionKind = z.infer<typeof encryptionKindSchema>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters');
const position = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * The members an archive may hold, in the order this build writes them. `manifest.sig` (only in a signed
 * archive) is the Ed25519 signature over the exact bytes of manifest.json: 64 raw bytes, as
 * `openssl pkeyutl -verify -rawin -sigfile` reads it.
 */
export const ARCHIVE_MEMBER_NAMES = ['manifest.json', 'manifest.sig', 'SHA256SUMS', 'events.db', 'views.db', 'events.ndjson'] as const;
export type ArchiveMemberName = (typeof ARCHIVE_MEMBER_NAMES)[number];

export const manifestMemberSchema = z.object({
  name: z.enum(['events.db', 'views.db', 'events.ndjson']),
  bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  sha256: sha256Hex,
});
export type ManifestMember = z.infer<typeof manifestMemberSchema>;

/** manifest.json inside an archive, and the unencrypted sidecar `<archive>.manifest.json` beside it. */
export const backupManifestSchema = z.object({
  formatVersion: z.number().int().min(1),
  storeId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[0-9A-Za-z][0-9A-Za-z-]*$/, 'letters, digits and dashes only'),
  kind: backupKindSchema,
  /** Exclusive: the archive holds the events after this position. 0 for a full archive. */
  fromPosition: position,
  /** Inclusive: the position of the last event in the archive. */
  toPosition: position,
  /** The hash of the event at fromPosition (64 zeros for a full archive). */
  fromHash: sha256Hex,
  toHash: sha256Hex,
  eventCount: position,
  createdAt: z.iso.datetime(),
  toolVersion: z.string().min(1).max(64),
  encryption: encryptionKindSchema,
  members: z.array(manifestMemberSchema).min(1).max(8),
  /**
   * A signed archive (added after format 1's first fields; absent in unsigned and older archives): the id of
   * the Ed25519 key whose signature over this manifest's bytes is the member manifest.sig — the SHA-256,
   * in hex, of the public key's DER SubjectPublicKeyInfo (`openssl pkey -pubin -outform DER | sha256sum`).
   */
  signingKeyId: sha256Hex.optional(),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

/** The id of a signing key: SHA-256 (hex) of its public key's DER SubjectPublicKeyInfo. */
export const signingKeyIdSchema = sha256Hex;

/**
 * What a verification found out about an archive's signature:
 * - `unsigned`: no manifest.sig (and no signingKeyId);
 * - `unchecked`: signed, but no trusted key was given, so the signature proves nothing yet;
 * - `trusted`: signed by the trusted key, and the signature holds over manifest.json;
 * - `other-key`: signed by another key than the trusted one;
 * - `invalid`: manifest.sig does not verify with the key the manifest names, or one of the two is missing.
 */
export type SignatureState = 'unsigned' | 'unchecked' | 'trusted' | 'other-key' | 'invalid';

/** Which check of a verification found a problem. */
export type ArchiveCheck =
  | 'file'
  | 'name'
  | 'sidecar'
  | 'decryption'
  | 'container'
  | 'checksum'
  | 'manifest'
  | 'sqlite'
  | 'chain'
  | 'continuity'
  | 'signature';

export type ArchiveProblemCode = 'ARCHIVE_CORRUPT' | 'DECRYPTION_FAILED' | 'INTEGRITY_VIOLATION' | 'UNSUPPORTED_FORMAT' | 'UNTRUSTED_ARCHIVE';

/** One finding of `backup verify` (the `--json` shape of DESIGN §6 plus `check`). */
export interface ArchiveProblem {
  readonly code: ArchiveProblemCode;
  /** The archive member concerned (`events.db`, `manifest.json`, …), or null for the archive as a whole. */
  readonly member: string | null;
  readonly check: ArchiveCheck;
  readonly message: string;
}

/** How an incremental archive joins the archive before it in the same folder. */
export type ContinuityState =
  /** A full archive: it starts at the genesis. */
  | 'not-applicable'
  /** An archive in the folder ends exactly where this one starts, with the same hash. */
  | 'ok'
  /** No archive in the folder ends where this one starts. */
  | 'unknown'
  /** An archive ends at this one's fromPosition with a different hash: the histories differ. */
  | 'broken';

export interface ArchiveVerification {
  readonly ok: boolean;
  /** Absolute path of the archive. */
  readonly archive: string;
  readonly problems: readonly ArchiveProblem[];
  readonly verifiedAt: string;
  readonly durationMs: number;
  /** The manifest that was checked (from inside the archive, else the sidecar), null when none was readable. */
  readonly manifest: BackupManifest | null;
  /** Where `manifest` came from: inside the archive (the authority), or only the sidecar (the archive could not be read). */
  readonly manifestSource: 'archive' | 'sidecar' | null;
  readonly eventsChecked: number;
  /** Bytes of the archive file read. */
  readonly archiveBytes: number;
  readonly continuity: ContinuityState;
  /** The archive this one continues, when continuity is ok. */
  readonly previousArchive: string | null;
  readonly toolVersion: string;
  /**
   * Findings that say nothing against the archive itself: its sidecar (a convenience copy for listing) is
   * missing, unreadable or disagrees with manifest.json inside, which is what verification and restores go by.
   */
  readonly warnings: readonly ArchiveProblem[];
  /** The signature, as far as it could be checked (see SignatureState). */
  readonly signature: SignatureState;
  /** The key the archive says it is signed with (from manifest.json inside), or null. */
  readonly signingKeyId: string | null;
  /** The trusted key it was checked against, or null when none was given. */
  readonly trustedKeyId: string | null;
}

const recordedProblemSchema = z.object({
  code: z.enum(['ARCHIVE_CORRUPT', 'DECRYPTION_FAILED', 'INTEGRITY_VIOLATION', 'UNSUPPORTED_FORMAT', 'UNTRUSTED_ARCHIVE']),
  member: z.string().nullable(),
  check: z.string(),
  message: z.string(),
});

/** What `<archive>.verification.json` holds: the last verification and the file it was made on. */
export const verificationRecordSchema = z.object({
  formatVersion: z.literal(1),
  archive: z.string(),
  ok: z.boolean(),
  verifiedAt: z.iso.datetime(),
  durationMs: z.number().min(0),
  archiveBytes: z.number().int().min(0),
  /** The archive's modification time when it was verified: a later change makes the record stale. */
  archiveMtimeMs: z.number(),
  eventsChecked: z.number().int().min(0),
  continuity: z.enum(['not-applicable', 'ok', 'unknown', 'broken']),
  problems: z.array(recordedProblemSchema).max(1000),
  toolVersion: z.string(),
  /** Added later (absent in older records): the sidecar findings, and the sidecar's SHA-256 when it was checked. */
  warnings: z.array(recordedProblemSchema).max(1000).optional(),
  sidecarSha256: sha256Hex.nullable().optional(),
  signature: z.enum(['unsigned', 'unchecked', 'trusted', 'other-key', 'invalid']).optional(),
  signingKeyId: sha256Hex.nullable().optional(),
  trustedKeyId: sha256Hex.nullable().optional(),
});
export type VerificationRecord = z.infer<typeof verificationRecordSchema>;

/** The verified state of an archive as the catalog shows it. */
export interface VerificationState {
  readonly ok: boolean;
  readonly verifiedAt: string;
  readonly problems: number;
  /** The archive changed (size or modification time) after it was verified: the result no longer holds. */
  readonly stale: boolean;
  /** The signature as that verification found it (records of older builds: null). */
  readonly signature: SignatureState | null;
  /** The trusted key that verification checked against, or null. */
  readonly trustedKeyId: string | null;
}

/** One archive of a folder, read from its sidecar (no keys needed). */
export interface CatalogEntry {
  /** Absolute path of the archive file (it may be missing: see `archiveBytes`). */
  readonly archive: string;
  /** The archive's file name, `<storeId>-<full|incr>-<from>-<to>-<time>.tar.gz[.age]`. */
  readonly name: string;
  readonly sidecar: string;
  readonly manifest: BackupManifest;
  /** Size of the archive file, null when the sidecar is there but the archive is not. */
  readonly archiveBytes: number | null;
  readonly verification: VerificationState | null;
  /** True when the last verification succeeded and the archive has not changed since. */
  readonly verified: boolean;
  /**
   * Where `manifest` was read: from the sidecar (the catalog's way: no key, no archive opened), or from
   * manifest.json inside the archive, because the sidecar was missing, unreadable or disagreed with it.
   * Absent: the sidecar.
   */
  readonly manifestFrom?: 'sidecar' | 'archive';
  /**
   * What is wrong with the sidecar, when something is known to be: it is missing or unreadable (the manifest
   * was then read from inside), it disagrees with manifest.json inside (found by a verification or a
   * restore: what each says), or it changed after the archive was last verified. Null or absent: nothing known.
   */
  readonly sidecarProblem?: string | null;
}

/** A file in a backup folder that could not be listed as an archive, and why. */
export interface CatalogProblem {
  readonly path: string;
  readonly code: 'ARCHIVE_CORRUPT' | 'UNSUPPORTED_FORMAT';
  readonly message: string;
}

export interface Catalog {
  readonly dir: string;
  /** Oldest first (by toPosition, then creation time). */
  readonly entries: readonly CatalogEntry[];
  readonly problems: readonly CatalogProblem[];
}

/** Events missing between two archives of a chain: positions (afterPosition, untilPosition]. */
export interface ChainGap {
  readonly afterPosition: number;
  readonly untilPosition: number;
  /** `missing`: no archive covers the range; `diverged`: an archive ends there but with another hash. */
  readonly kind: 'missing' | 'diverged';
  readonly message: string;
}

/**
 * A restore chain: a full archive plus the incrementals that continue it, in order. A chain whose full
 * archive is missing, or with a gap, is listed too so the catalog can show what is wrong.
 */
export interface BackupChain {
  readonly storeId: string;
  /** Archive paths in restore order. */
  readonly links: readonly CatalogEntry[];
  /** Restorable without a gap from the genesis: a full archive first and no gap. */
  readonly complete: boolean;
  readonly gaps: readonly ChainGap[];
  /** The highest position a restore can reach through this chain without crossing a gap (0 for none). */
  readonly restorableTo: number;
  /** The last position any link of the chain reaches. */
  readonly toPosition: number;
}

/** The public key a store trusts to have signed its archives (a store setting, changed by an admin, audited). */
export interface TrustedKeyInfo {
  readonly keyId: string;
  /** The public key, PEM (SPKI): what `pconsole backup keygen` wrote to signing.pub. */
  readonly publicKeyPem: string;
  readonly updatedAt: string;
}

/** Retention: keep the newest N archives and/or the newest archive of each of the last D days, W weeks, M months. */
export const retentionPolicySchema = z
  .object({
    keepLast: z.number().int().min(1).max(100_000).optional(),
    daily: z.number().int().min(1).max(10_000).optional(),
    weekly: z.number().int().min(1).max(10_000).optional(),
    monthly: z.number().int().min(1).max(10_000).optional(),
  })
  .refine((p) => p.keepLast !== undefined || p.daily !== undefined || p.weekly !== undefined || p.monthly !== undefined, {
    message: 'a retention policy needs keepLast, daily, weekly or monthly',
  });
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

export type RetentionReason = 'last' | 'daily' | 'weekly' | 'monthly' | 'needed-by-chain' | 'newest';

export interface RetentionDecision {
  readonly archive: string;
  readonly keep: boolean;
  readonly reasons: readonly RetentionReason[];
}

export interface RetentionPlan {
  readonly keep: readonly string[];
  readonly prune: readonly string[];
  readonly decisions: readonly RetentionDecision[];
}

/** Where an encrypted scheduled backup gets its key: never the secret itself. */
export const scheduleEncryptionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('age-passphrase'), passphraseFile: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('age-recipient'),
    recipient: z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, 'an X25519 age recipient (age1…, 62 characters)'),
  }),
]);
export type ScheduleEncryption = z.infer<typeof scheduleEncryptionSchema>;

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');

/** Backups may only start between `start` and `end` (local time of the schedule; may cross midnight). */
export const backupWindowSchema = z.object({ start: clockTime, end: clockTime }).refine((w) => w.start !== w.end, {
  message: 'a window needs different start and end times',
});
export type BackupWindow = z.infer<typeof backupWindowSchema>;

/** What an admin edits: everything about a schedule except its id and bookkeeping. */
export const backupScheduleInputSchema = z.object({
  name: z.string().min(1).max(100),
  /** 5 fields (minute hour day month weekday) or 6 with seconds first. */
  cron: z.string().min(1).max(200),
  /** IANA time zone for the cron expression and the window; the host's zone when absent. */
  timezone: z.string().min(1).max(64).optional(),
  kind: backupKindSchema,
  /** Absolute path of the destination folder. */
  destination: z.string().min(1).max(4096),
  encryption: scheduleEncryptionSchema,
  /**
   * Sign each archive with the Ed25519 private key in this file (absolute path; PEM, as `pconsole backup
   * keygen` writes it). The file is read at each run; the key itself is never stored. Null: unsigned.
   */
  signKeyFile: z.string().min(1).max(4096).nullable().default(null),
  window: backupWindowSchema.nullable().default(null),
  retention: retentionPolicySchema.nullable().default(null),
  /** The RPO target: a run missed while the app was closed runs at start when waiting would exceed it. */
  rpoMinutes: z.number().int().min(1).max(525_600).nullable().default(null),
  verifyAfterBackup: z.boolean().default(true),
  includeViews: z.boolean().default(false),
  /** An incremental schedule takes a full backup when the destination has no chain to continue. */
  fullWhenNoChain: z.boolean().default(true),
  enabled: z.boolean().default(true),
});
export type BackupScheduleInput = z.input<typeof backupScheduleInputSchema>;

export interface BackupSchedule extends z.output<typeof backupScheduleInputSchema> {
  readonly id: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type BackupRunTrigger = 'schedule' | 'catch-up' | 'manual';
export type BackupRunOutcome = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped' | 'missed' | 'interrupted';

/** One line of the run history: every scheduled or manual run, whatever its outcome. */
export interface BackupRun {
  readonly id: number;
  readonly scheduleId: string | null;
  readonly trigger: BackupRunTrigger;
  readonly kind: BackupKind;
  /** When the run was due (schedule) or asked for (manual). */
  readonly dueAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly outcome: BackupRunOutcome;
  /** Why a run was skipped or missed, or what it did ("nothing new since …"). */
  readonly note: string | null;
  readonly archive: string | null;
  readonly archiveBytes: number | null;
  readonly events: number | null;
  readonly durationMs: number | null;
  readonly verified: boolean | null;
  readonly pruned: number | null;
  readonly error: ErrorInfo | null;
}

export type BackupPhase = 'preparing' | 'snapshot' | 'events' | 'checksums' | 'archiving' | 'syncing' | 'verifying' | 'exporting';

/** Progress of a backup, verify or export job (the JobProgress shape the UI and CLI draw). */
export interface BackupProgress extends JobProgress {
  readonly phase: BackupPhase;
}

/** A next run of a cron expression for the schedule editor. */
export interface CronRun {
  readonly at: string;
  /** e.g. "Wed 26 Nov 2025, 02:00 (in 7 hours)" */
  readonly words: string;
}

export interface CronDescription {
  readonly valid: boolean;
  readonly error: string | null;
  /** e.g. "every day at 02:00" */
  readonly summary: string | null;
  readonly nextRuns: readonly CronRun[];
}
