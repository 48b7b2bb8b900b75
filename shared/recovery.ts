// The recovery domain's shared vocabulary in one file (targets, plans, validation, reports, drills, stores set
// aside): types and schemas for main, the CLI and the renderer, kept whole; it holds no logic.

import { z } from 'zod';
import type { ChainGap, EncryptionKind, BackupKind, SignatureState } from './backup.js';
import type { ErrorInfo } from './errors.js';
import type { JobProgress } from './jobs.js';

/**
 * Recovery (issue 5, DESIGN §6 and §7): restore plans, dry runs, restores, drills and their reports. Shared by
 * main, the API and the renderer: zod schemas and types only. The report is the `restore --json` and
 * `drill --json` contract: fields may be added, never removed or renamed.
 */

const position = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const absolutePath = z.string().min(1).max(4096);

/**
 * Where a restore stops.
 * - `latest`: the end of the newest archive of the store (refused when a gap lies before it).
 * - `position`: exactly that many events, positions 1..n.
 * - `time`: the last event recorded at or before `at`. Precisely: the restore keeps the longest prefix of
 *   the log in which no event was recorded after `at`, i.e. it stops just before the first event whose
 *   recordedAt is later than `at`. Times are the events' own recordedAt (milliseconds, UTC); an event
 *   recorded exactly at `at` is kept. When recordedAt is not monotonic (imported events keep their original
 *   times), events after that first later one are not restored even if they carry earlier times.
 */
export const recoveryTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latest') }).strict(),
  z.object({ kind: z.literal('position'), position }).strict(),
  z.object({ kind: z.literal('time'), at: z.iso.datetime({ offset: true }) }).strict(),
]);
export type RecoveryTarget = z.infer<typeof recoveryTargetSchema>;

/**
 * What a run does with the restored store:
 * - `dry-run`: builds it in a scratch folder, verifies and reports, then deletes it: nothing else is written.
 * - `to-folder`: builds it beside `destination` and renames it to `destination` (which must not exist or be empty).
 * - `in-place`: builds it beside `storeDir`, then swaps it in; the store as it was is kept as
 *   `<store>.pre-restore-<UTC time>`. The caller must have closed the store.
 */
export const recoveryModeSchema = z.enum(['dry-run', 'to-folder', 'in-place']);
export type RecoveryMode = z.infer<typeof recoveryModeSchema>;

/** The plain (secret-free) part of a recovery request, as it crosses the API. Keys travel beside it. */
export const recoveryRequestSchema = z
  .object({
    /** Archives, their sidecars or verification records, or folders of archives (DESIGN §6). */
    sources: z.array(absolutePath).min(1).max(10_000),
    target: recoveryTargetSchema,
    mode: recoveryModeSchema,
    /** to-folder: the new store's folder. */
    destination: absolutePath.optional(),
    /** in-place: the store to replace; dry-run: the store whose events after the target are reported as left out. */
    storeDir: absolutePath.optional(),
    /** Restore the archives of this store when the sources hold several (default: the store's own id, or the only one). */
    storeId: z.string().min(1).max(128).optional(),
    /** Where the dry run builds its scratch store (default: the system's temporary folder). */
    scratchDir: absolutePath.optional(),
    /** When the failure happened: the data-loss window is measured to it (default: the damaged store's newest event, else the run's start). */
    failedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.mode === 'to-folder' && r.destination === undefined) ctx.addIssue({ code: 'custom', path: ['destination'], message: 'a to-folder restore needs a destination' });
    if (r.mode === 'in-place' && r.storeDir === undefined) ctx.addIssue({ code: 'custom', path: ['storeDir'], message: 'an in-place restore needs the store folder' });
  });
export type RecoveryRequestInput = z.input<typeof recoveryRequestSchema>;

export type RecoveryPhase =
  | 'planning'
  | 'validating'
  | 'preparing'
  | 'cutting'
  | 'applying'
  | 'verifying'
  | 'views'
  | 'finishing'
  | 'publishing'
  | 'summarising'
  | 'comparing';

/** Progress of a recovery job: the phase, counts within it, and which archive it is on. */
export interface RecoveryProgress extends JobProgress {
  readonly phase: RecoveryPhase;
  /** The archive being validated or applied, when there is one. */
  readonly archive?: string;
}

/** One archive of a plan and how much of it the restore uses. */
export interface PlannedLink {
  readonly archive: string;
  readonly name: string;
  readonly kind: BackupKind;
  readonly fromPosition: number;
  readonly toPosition: number;
  readonly fromHash: string;
  readonly toHash: string;
  readonly createdAt: string;
  readonly encryption: EncryptionKind;
  readonly archiveBytes: number;
  /** Bytes of its data member (events.db or events.ndjson) once extracted. */
  readonly dataBytes: number;
  /** The last position the restore takes from this archive (less than toPosition when cut back). */
  readonly usedTo: number;
  /** The manifest came from inside the archive because its sidecar was missing. */
  readonly sidecarMissing: boolean;
  /**
   * Where the facts above were read: the sidecar (fast, no key; confirmed against manifest.json inside when
   * the archive is validated), or manifest.json inside, because the sidecar was missing, unreadable or disagreed.
   */
  readonly manifestFrom: 'sidecar' | 'archive';
  /** What is wrong with the sidecar, when something is known to be (what it said against the manifest inside). */
  readonly sidecarProblem: string | null;
}

/**
 * The archives a restore will use, chosen from the sources before any key is needed: the shortest chain
 * that reaches the target, every link checked (contiguous positions, fromHash = the previous toHash).
 */
export interface RecoveryPlan {
  readonly storeId: string;
  readonly target: RecoveryTarget;
  /** The position the restore stops at; for a time target, null until the archives are read. */
  readonly position: number | null;
  /** The hash at `position` when the sidecars tell it (a link ends there), else null. */
  readonly expectedHash: string | null;
  readonly links: readonly PlannedLink[];
  /**
   * Time targets only: the links that continue the chain after `links`, used only when no event after the
   * time is found in `links` (possible only with imported events carrying later times).
   */
  readonly continuation: readonly PlannedLink[];
  /** A gap after the usable part of the chain: a time target that runs into it is refused. */
  readonly blockingGap: ChainGap | null;
  /** The newest archive of the store among the sources. */
  readonly newestArchive: { readonly archive: string; readonly toPosition: number; readonly createdAt: string } | null;
  /** Chains of this store found in the sources that cannot be restored past a gap, and other remarks. */
  readonly warnings: readonly string[];
}

/** The verification of one archive of a plan. */
export interface LinkValidation {
  readonly archive: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly eventsChecked: number;
  readonly problems: ReadonlyArray<{ readonly code: string; readonly member: string | null; readonly message: string }>;
  /** What is wrong with its sidecar (never held against the archive: the manifest inside is what counts). */
  readonly warnings: readonly string[];
  /** Its signature, as far as it could be checked (with a trusted key: `trusted` or a problem). */
  readonly signature: SignatureState;
}

export interface ValidationReport {
  readonly ok: boolean;
  readonly plan: RecoveryPlan;
  readonly archives: readonly LinkValidation[];
  readonly durationMs: number;
}

export interface RecoveryStep {
  readonly name: string;
  readonly ms: number;
}

/** What the target leaves out of the current store (events after the target), when it can be read. */
export interface LeftOut {
  readonly available: boolean;
  /** Why the current store could not be compared (unreadable, none given). */
  readonly reason: string | null;
  readonly currentHeadPosition: number | null;
  readonly currentHeadHash: string | null;
  readonly currentHeadRecordedAt: string | null;
  /** Events of the current store after the restored head. */
  readonly events: number;
  readonly fromPosition: number | null;
  readonly toPosition: number | null;
  readonly firstRecordedAt: string | null;
  readonly lastRecordedAt: string | null;
  /** Up to 100 streams with the most left-out events. */
  readonly byStream: ReadonlyArray<{ readonly streamId: string; readonly events: number }>;
  readonly streams: number;
  readonly byType: ReadonlyArray<{ readonly type: string; readonly events: number }>;
  /** The current store has another event at the restored head position: its history differs from the archives'. */
  readonly historyDiverged: boolean;
  /** The restored store has events the current store lacks (it lost its tail, e.g. a damaged WAL). */
  readonly regained: number;
}

/** The data-loss window: the newest restored event against the failure (or the damaged store's newest event). */
export interface DataLossWindow {
  readonly newestRestoredAt: string | null;
  readonly referenceAt: string;
  /** `failure`: the time given for the failure; `current-store`: the newest event of the store being replaced (the damaged one); `run-start`: neither was known. */
  readonly reference: 'failure' | 'current-store' | 'run-start';
  readonly windowMs: number;
}

export interface ArchiveUse {
  readonly archive: string;
  readonly kind: BackupKind;
  readonly fromPosition: number;
  readonly toPosition: number;
  readonly usedTo: number;
  readonly verifyMs: number;
  /** Its signature as the validation found it (`trusted`: signed by the trusted key given); absent in reports of older builds. */
  readonly signature?: SignatureState;
}

/** What an in-place restore kept of the store it replaced: schedules, settings, audit log, drills (not events). */
export interface CarriedOver {
  /** Tables copied from the store being replaced, with their row counts. */
  readonly tables: ReadonlyArray<{ readonly table: string; readonly rows: number }>;
  /** Why the archive's administrative state was kept instead (the store being replaced could not be read). */
  readonly notCarried: string | null;
}

/** The report of every recovery run: the `restore --json` shape of DESIGN §6 plus these fields. */
export interface RecoveryReport {
  readonly ok: true;
  readonly mode: RecoveryMode;
  readonly dryRun: boolean;
  readonly storeId: string;
  readonly target: {
    readonly kind: RecoveryTarget['kind'];
    readonly requestedPosition: number | null;
    readonly requestedTime: string | null;
    /** Where the restore stopped. */
    readonly position: number;
    /** For a time target: how it was resolved (the event at the position and the first one after the time). */
    readonly note: string | null;
  };
  readonly headPosition: number;
  readonly headHash: string;
  readonly headRecordedAt: string | null;
  readonly events: number;
  readonly streams: number;
  readonly eventTypes: ReadonlyArray<{ readonly type: string; readonly events: number }>;
  readonly steps: readonly RecoveryStep[];
  /** Start of the run to the verified restored store in place (dry run: verified in its scratch folder). */
  readonly rtoMs: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The restored store (absolute); for a dry run the scratch folder it was built in, since deleted. */
  readonly destination: string;
  /** in-place: where the store as it was before the restore is kept. */
  readonly previousStore: string | null;
  readonly archives: readonly ArchiveUse[];
  /** The full archive held more than the target: events after it were cut off. */
  readonly cutBack: { readonly from: number; readonly to: number } | null;
  readonly verification: { readonly ok: true; readonly checkedEvents: number; readonly integrityCheck: 'ok' };
  readonly leftOut: LeftOut;
  readonly dataLoss: DataLossWindow;
  /** in-place: the administrative state kept from the store being replaced; null for other modes. */
  readonly carriedOver: CarriedOver | null;
  /** The key every archive had to be signed by (each one's signature is in `archives`), or null: none was required. Absent in reports of older builds. */
  readonly trustedKeyId?: string | null;
  readonly warnings: readonly string[];
}

/** A drill's report: the restore report plus the recovery point achieved. */
export interface DrillReport extends RecoveryReport {
  /** Age of the newest restored event when the drill finished. */
  readonly rpoMs: number;
  readonly rtoTargetMs: number | null;
  readonly rpoTargetMs: number | null;
  readonly rtoMet: boolean | null;
  readonly rpoMet: boolean | null;
}

/** Where a drill finds the key of encrypted archives: a file the admin names, never the secret itself. */
export const drillKeySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('passphrase-file'), path: absolutePath }).strict(),
  z.object({ kind: z.literal('identity-file'), path: absolutePath }).strict(),
]);
export type DrillKeySource = z.infer<typeof drillKeySourceSchema>;

/** The drill policy of a store, kept in its settings table. */
export const drillPolicyInputSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** 5 fields (minute hour day month weekday) or 6 with seconds first. */
    cron: z.string().min(1).max(200),
    /** IANA time zone of the cron expression; the host's zone when absent. */
    timezone: z.string().min(1).max(64).optional(),
    /** The folder of archives the drill restores from (absolute). */
    backupsDir: absolutePath,
    key: drillKeySourceSchema.default({ kind: 'none' }),
    /** Overview warns when the last successful drill is older than this. */
    maxAgeHours: z.number().int().min(1).max(24 * 366),
    /** Targets the charts draw and the reports are judged against. */
    rtoTargetMinutes: z.number().int().min(1).max(525_600).nullable().default(null),
    rpoTargetMinutes: z.number().int().min(1).max(525_600).nullable().default(null),
    /** Where drills build their scratch store (default: the system's temporary folder). */
    scratchDir: absolutePath.nullable().default(null),
  })
  .strict();
export type DrillPolicyInput = z.input<typeof drillPolicyInputSchema>;
export interface DrillPolicy extends z.output<typeof drillPolicyInputSchema> {
  readonly updatedAt: string;
}

export type DrillTrigger = 'schedule' | 'catch-up' | 'manual' | 'cli';
export type DrillOutcome = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** One line of the drill history (events.db, table recovery_drills). */
export interface DrillRecord {
  readonly id: number;
  readonly trigger: DrillTrigger;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly outcome: DrillOutcome;
  readonly headPosition: number | null;
  readonly headHash: string | null;
  readonly events: number | null;
  readonly archives: number | null;
  readonly rtoMs: number | null;
  readonly rpoMs: number | null;
  readonly rtoTargetMs: number | null;
  readonly rpoTargetMs: number | null;
  readonly error: ErrorInfo | null;
  /** The full report of a successful drill. */
  readonly report: DrillReport | null;
}

/** What Overview shows about drills: a warning when the last one failed, is too old, or none has run. */
export interface DrillWarning {
  readonly code: 'NEVER_RUN' | 'LAST_DRILL_FAILED' | 'DRILL_OVERDUE' | 'TARGET_MISSED';
  readonly severity: 'warning' | 'error';
  readonly message: string;
}

export interface DrillStatus {
  readonly policy: DrillPolicy | null;
  readonly started: boolean;
  readonly running: { readonly startedAt: string; readonly progress: RecoveryProgress | null } | null;
  readonly next: { readonly at: string; readonly trigger: DrillTrigger } | null;
  readonly last: DrillRecord | null;
  readonly lastSuccess: DrillRecord | null;
  readonly warning: DrillWarning | null;
}

/** A store kept aside by an in-place restore, until the admin discards it. */
export interface PreRestoreStore {
  readonly path: string;
  /** When it was set aside (from its name). */
  readonly setAsideAt: string;
  readonly bytes: number;
}

/** Data of a time target's resolution, for messages. */
export type { ChainGap };
