import { z } from 'zod';
import type { BackupChain, CatalogEntry } from '../backup.js';
import type { EventRecord } from '../events.js';
import type { JobProgress } from '../jobs.js';
import {
  drillPolicyInputSchema,
  recoveryTargetSchema,
  type DrillPolicy,
  type DrillRecord,
  type DrillReport,
  type DrillStatus,
  type PreRestoreStore,
  type RecoveryPlan,
  type RecoveryReport,
  type ValidationReport,
} from '../recovery.js';
import { decryptionKeysSchema } from './backupContract.js';
import { command, job, query } from './define.js';

const path = z.string().min(1).max(4096);

/**
 * Where the archives come from: absent = the catalog (every backup folder of the open store); else archives,
 * their sidecars or folders of archives the admin names (absolute paths).
 */
const sourcesSchema = z.array(path).min(1).max(10_000).optional();

/** The archives a recovery can draw from, as the wizard's timeline shows them. */
export interface RecoverySources {
  /** The absolute paths the plan reads (the catalog's folders, or the files given). */
  readonly sources: readonly string[];
  /** The open store's id: its chains come first; archives of other stores are listed apart. */
  readonly storeId: string;
  readonly chains: readonly BackupChain[];
  /** Archives of other stores found in the sources (restorable only by naming that store). */
  readonly otherStores: ReadonlyArray<{ readonly storeId: string; readonly archives: number }>;
  /** The open store's archives in the sources, in position order (other stores' are only counted above). */
  readonly entries: readonly CatalogEntry[];
  /** The open store's archives that could be read neither from their sidecar nor from inside (without a key, or damaged). */
  readonly unreadable: ReadonlyArray<{ readonly archive: string; readonly name: string; readonly fromPosition: number; readonly toPosition: number; readonly reason: string; readonly needsKey: boolean }>;
  readonly warnings: readonly string[];
}

/** A drill's report, and its line in the store's drill history (null: the store could not be opened, so it was not recorded). */
export interface DrillRun extends DrillReport {
  readonly drillId: number | null;
}

/** Events of the open store around a target, so the admin can pick "just before the bad event". */
export interface EventsAround {
  /** The position the target resolves to in the open store (the last event at or before a time), null before the first event. */
  readonly position: number | null;
  readonly headPosition: number;
  readonly events: readonly EventRecord[];
}

/** A recovery run of the wizard: the plain request (keys travel in `keys` and are never stored or echoed). */
const runInput = z
  .object({
    sources: sourcesSchema,
    target: recoveryTargetSchema,
    keys: decryptionKeysSchema.default({}),
    /** When the failure happened, for the data-loss window (default: the newest event of the store being replaced). */
    failedAt: z.iso.datetime({ offset: true }).optional(),
    /** Every archive must be signed by the public key in this file (default: the store's trusted key, if it has one). */
    trustKeyFile: path.optional(),
  })
  .strict();

/** Recovery (issue 5, DESIGN §6–§7): plan, validate, dry run, restore in place, pre-restore stores, drills. */
export const recoveryContract = {
  'recovery.sources': query(z.object({ sources: sourcesSchema }).strict(), 'viewer', 'The archives and chains a recovery of the open store can use', ['backups']).returns<RecoverySources>(),
  'recovery.plan': query(z.object({ sources: sourcesSchema, target: recoveryTargetSchema }).strict(), 'viewer', 'The shortest chain that reaches a target, every link checked; refuses a gap', ['backups']).returns<RecoveryPlan>(),
  'recovery.eventsAround': query(
    z
      .object({
        target: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('position'), position: z.number().int().min(1) }).strict(),
          z.object({ kind: z.literal('time'), at: z.iso.datetime({ offset: true }) }).strict(),
        ]),
        before: z.number().int().min(0).max(200).default(10),
        after: z.number().int().min(0).max(200).default(10),
      })
      .strict(),
    'viewer',
    'Events of the open store around a position or a time',
    ['log'],
  ).returns<EventsAround>(),
  'recovery.validate': job(runInput, 'operator', 'Verify every archive of the plan before anything is written', ['backups']).returns<ValidationReport, JobProgress>(),
  'recovery.dryRun': job(runInput, 'operator', 'Restore into a scratch folder, verify, and report what would be kept and lost', ['backups']).returns<RecoveryReport, JobProgress>(),
  'recovery.restore': job(
    runInput.extend({
      /** The open store's folder name, typed by the admin: the restore replaces that store. */
      confirmStoreName: z.string().min(1).max(1024),
    }),
    'admin',
    'Restore the open store in place: build, verify, swap in; the store as it was is kept beside it',
    'everything',
  ).returns<RecoveryReport, JobProgress>(),
  'recovery.restoreTo': job(
    z
      .object({
        /** Archives, their sidecars or folders of archives (absolute paths). */
        sources: z.array(path).min(1).max(100_000),
        target: recoveryTargetSchema,
        /** The new store's folder: absent or empty. */
        to: path,
        keys: decryptionKeysSchema.default({}),
        /** Build, verify and report, then delete what was built: nothing is kept. */
        dryRun: z.boolean().default(false),
        /** The store being replaced, for the report of what the target leaves out of it. */
        current: path.optional(),
        /** Where the store is built before it is renamed into place (default: beside `to`). */
        scratch: path.optional(),
        /** Every archive must be signed by the public key in this file. */
        trustKeyFile: path.optional(),
      })
      .strict(),
    'operator',
    'Restore the shortest archive chain that reaches the target into a new store folder (or only build and check it)',
    [],
  ).returns<RecoveryReport, JobProgress>(),
  'recovery.preRestoreStores': query(z.object({}).strict(), 'viewer', 'Stores set aside by in-place restores, until discarded', ['preRestore']).returns<PreRestoreStore[]>(),
  'recovery.discardPreRestore': command(z.object({ path }).strict(), 'admin', 'Delete a store set aside by a restore', ['preRestore']).returns<{ discarded: string; bytes: number }>(),

  'recovery.drillStatus': query(z.object({}).strict(), 'viewer', 'The drill policy, the next and last drills, and the warning Overview shows', ['drills']).returns<DrillStatus>(),
  'recovery.drills': query(z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(), 'viewer', 'Drill history, newest first', ['drills']).returns<DrillRecord[]>(),
  'recovery.saveDrillPolicy': command(z.object({ policy: drillPolicyInputSchema }).strict(), 'admin', 'Set the drill policy (schedule, archives, key file, targets)', ['drills']).returns<DrillPolicy>(),
  'recovery.runDrill': job(
    z
      .object({
        /** manual (default) or cli; a due drill dispatched by the schedules says which occurrence it is. */
        trigger: z.enum(['manual', 'cli', 'schedule', 'catch-up']).default('manual'),
        dueAt: z.number().int().min(0).optional(),
        /** Instead of the policy's: the folder to drill from, its key, the scratch folder. */
        backupsDir: path.optional(),
        keys: decryptionKeysSchema.optional(),
        scratchDir: path.optional(),
        /** Every archive must be signed by the public key in this file (default: the store's trusted key, if it has one). */
        trustKeyFile: path.optional(),
      })
      .strict(),
    'operator', 'Run a drill now: restore the newest chain into a scratch folder and verify it', ['drills', 'backups']).returns<DrillRun, JobProgress>(),
};
