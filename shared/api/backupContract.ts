import { z } from 'zod';
import type {
  ArchiveProblem,
  ArchiveVerification,
  BackupChain,
  BackupKind,
  BackupManifest,
  BackupProgress,
  BackupRun,
  BackupSchedule,
  Catalog,
  CronDescription,
  RetentionDecision,
  TrustedKeyInfo,
} from '../backup.js';
import { backupScheduleInputSchema, retentionPolicySchema } from '../backup.js';
import type { JobProgress } from '../jobs.js';
import type { StoreWarning } from '../store.js';
import type { BackupCatalog, BackupSchedules, DownloadLink } from './backupTypes.js';
import { command, job, query, subscription } from './define.js';

const path = z.string().min(1).max(4096);

/** Keys given for one call: they stay in memory for that job only and are never stored. */
export const decryptionKeysSchema = z
  .object({
    passphrase: z.string().min(1).max(1024).optional(),
    passphraseFile: path.optional(),
    /** An `AGE-SECRET-KEY-1…` line. */
    identity: z.string().regex(/^AGE-SECRET-KEY-1[0-9A-Z]+$/, 'an age identity (AGE-SECRET-KEY-1…)').optional(),
    identityFile: path.optional(),
  })
  .strict();
export type DecryptionKeys = z.infer<typeof decryptionKeysSchema>;

const ageRecipient = z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, 'an X25519 age recipient (age1…)');

const encryptionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({ kind: z.literal('age-passphrase'), passphrase: z.string().min(8, 'use a passphrase of at least 8 characters').max(1024).optional(), passphraseFile: path.optional() })
    .strict()
    .refine((e) => (e.passphrase === undefined) !== (e.passphraseFile === undefined), 'give a passphrase or a passphrase file'),
  z
    .object({
      kind: z.literal('age-recipient'),
      recipient: ageRecipient,
      /** More recipients, each of whom can decrypt the archive on their own. */
      additionalRecipients: z.array(ageRecipient).max(20).optional(),
    })
    .strict(),
]);

/** The trusted key, set from PEM text or a file (a public key, or a private key whose public half is meant), or cleared. */
const trustedKeyInput = z
  .object({
    publicKey: z.string().min(1).max(8192).optional(),
    publicKeyFile: path.optional(),
    clear: z.literal(true).optional(),
  })
  .strict()
  .refine((i) => [i.publicKey, i.publicKeyFile, i.clear].filter((v) => v !== undefined).length === 1, 'give the public key, its file, or clear: true');

/** What an on-demand backup did, as the Backups page and the jobs list show it. */
export interface BackupCreated {
  readonly created: boolean;
  readonly archive: string | null;
  readonly message: string;
  readonly archiveBytes: number | null;
  readonly toPosition: number;
  /** What was written: an incremental request writes a full archive when the folder has no chain to continue. */
  readonly kind: BackupKind | null;
  readonly fellBackToFull: boolean;
  readonly durationMs: number;
  /** The verification right after the backup; null when it could not run (a recipient-encrypted archive: no identity here). */
  readonly verified: boolean | null;
  readonly problems: readonly ArchiveProblem[];
  /** The run history entry of this backup. */
  readonly runId: number;
  /** The archive's manifest (DESIGN §7); null when nothing new was written. */
  readonly manifest: BackupManifest | null;
  readonly sidecar: string | null;
  /** The archive an incremental continues. */
  readonly continues: string | null;
  /** When nothing new was written: the newest archive of the chain, which already ends at the head. */
  readonly previous: string | null;
  readonly steps: ReadonlyArray<{ readonly name: string; readonly ms: number }>;
  /**
   * What could not be recorded once the archive was complete (the run history, the catalog's folder list:
   * a full disk under the store): the archive stands, and the backup is not to be taken again for it.
   */
  readonly warnings: readonly StoreWarning[];
}

/** One folder's archives, read from their sidecars (no key needed), with their chains and gaps. */
export interface FolderListing extends Catalog {
  readonly chains: readonly BackupChain[];
}

export type BackupEvent =
  | { readonly type: 'run-started' | 'run-finished'; readonly runId: number }
  | { readonly type: 'run-progress'; readonly runId: number; readonly progress: BackupProgress }
  | { readonly type: 'schedules-changed' };

/** Backups (DESIGN §7, issue 4): catalog, on-demand runs, verification, export, schedules, retention. */
export const backupContract = {
  'backup.catalog': query(z.object({}).strict(), 'viewer', "The archives of the store's backup folders, their chains and the RPO indicator", ['backups']).returns<BackupCatalog>(),
  'backup.addFolder': command(z.object({ dir: path }).strict(), 'operator', 'Add a folder of archives to the catalog', ['backups']).returns<BackupCatalog>(),
  'backup.create': job(
    z
      .object({
        destination: path,
        kind: z.enum(['full', 'incremental']),
        encryption: encryptionSchema,
        includeViews: z.boolean().default(false),
        compressionLevel: z.number().int().min(1).max(9).optional(),
        /** An incremental with no chain to continue takes a full archive (false: NOT_FOUND instead). */
        fullWhenNoChain: z.boolean().default(true),
        /** Verify the new archive straight away (an unverified backup does not count for the RPO). */
        verify: z.boolean().default(true),
        /** Sign the manifest with the Ed25519 private key in this file (read for this backup only, never stored). */
        signKeyFile: path.optional(),
      })
      .strict(),
    'operator',
    'Take a full or incremental backup now',
    ['backups', 'backupRuns'],
  ).returns<BackupCreated, JobProgress>(),
  'backup.verify': job(
    z
      .object({
        archive: path,
        keys: decryptionKeysSchema.default({}),
        scratchDir: path.optional(),
        /** The archive must be signed by the public key in this file (default: the open store's trusted key, if it has one). */
        trustKeyFile: path.optional(),
      })
      .strict(),
    'auditor',
    'Verify an archive: checksums, decryption, signature, manifest, integrity, chain, continuity',
    ['backups'],
  ).returns<
    ArchiveVerification,
    JobProgress
  >(),
  'backup.export': job(z.object({ archives: z.array(path).min(1).max(1000), to: path.optional() }).strict(), 'operator', 'Copy archives (e.g. a whole chain) to a folder (desktop: a folder dialog)', ['backups']).returns<
    { to: string; files: number; bytes: number },
    JobProgress
  >(),
  'backup.downloadLink': command(z.object({ archive: path }).strict(), 'operator', 'A one-time download link for an archive (serve mode)', []).returns<DownloadLink>(),
  'backup.schedules': query(z.object({}).strict(), 'viewer', 'Backup schedules with their next runs', ['schedules']).returns<BackupSchedules>(),
  'backup.saveSchedule': command(z.object({ id: z.string().max(64).optional(), schedule: backupScheduleInputSchema }).strict(), 'admin', 'Create or change a backup schedule', ['schedules', 'backups']).returns<BackupSchedule>(),
  'backup.deleteSchedule': command(z.object({ id: z.string().min(1).max(64) }).strict(), 'admin', 'Delete a backup schedule', ['schedules', 'backups']).returns<{ deleted: boolean }>(),
  'backup.list': query(z.object({ dir: path }).strict(), 'viewer', "One folder's archives from their sidecars, with chains, gaps and what was verified", ['backups']).returns<FolderListing>(),
  'backup.runNow': job(
    z
      .object({
        scheduleId: z.string().min(1).max(64),
        /** manual (default); a due run dispatched by the schedules says which occurrence it is. */
        trigger: z.enum(['manual', 'schedule', 'catch-up']).default('manual'),
        dueAt: z.number().int().min(0).optional(),
      })
      .strict(),
    'operator', 'Run a schedule now, whatever its cron and window say', ['backups', 'backupRuns', 'schedules']).returns<BackupRun, JobProgress>(),
  'backup.runs': query(z.object({ scheduleId: z.string().max(64).optional(), limit: z.number().int().min(1).max(500).default(50) }).strict(), 'viewer', 'Run history', ['backupRuns']).returns<BackupRun[]>(),
  'backup.describeCron': query(z.object({ cron: z.string().min(1).max(200), timezone: z.string().min(1).max(64).optional() }).strict(), 'viewer', 'A cron expression in words with its next runs', []).returns<CronDescription>(),
  'backup.prune': command(
    z
      .object({
        dir: path,
        policy: retentionPolicySchema,
        dryRun: z.boolean().default(true),
        /** Whose archives: absent, the open store's (with no store open, every store's in the folder). */
        storeId: z.string().min(1).max(64).optional(),
      })
      .strict(), 'admin', 'Apply a retention policy to a folder (dry run by default)', ['backups']).returns<{
    kept: string[];
    pruned: string[];
    decisions: RetentionDecision[];
    bytesFreed: number;
    dryRun: boolean;
  }>(),
  'backup.trustedKey': query(z.object({}).strict(), 'viewer', 'The public key the store trusts to have signed its archives (null: none)', ['backups']).returns<{ trustedKey: TrustedKeyInfo | null }>(),
  'backup.setTrustedKey': command(trustedKeyInput, 'admin', 'Set (or clear) the public key archives must be signed by', ['backups']).returns<{ trustedKey: TrustedKeyInfo | null }>(),
  'backup.generateSigningKey': command(
    z.object({ dir: path }).strict(),
    'admin',
    'Write a new Ed25519 key pair into a folder: signing.key (private, 0600) and signing.pub',
    [],
  ).returns<{ privateKeyFile: string; publicKeyFile: string; keyId: string }>(),
  'backup.events': subscription(z.object({}).strict(), 'viewer', 'Backup runs starting, progressing and finishing; schedules changing').returns<BackupEvent>(),
};
