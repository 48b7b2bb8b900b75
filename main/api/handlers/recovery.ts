import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import type { DrillRun, RecoverySources } from '../../../shared/api/recoveryContract.js';
import type { CatalogEntry } from '../../../shared/backup.js';
import { ConsoleError } from '../../../shared/errors.js';
import type { JobProgress } from '../../../shared/jobs.js';
import type { RecoveryTarget } from '../../../shared/recovery.js';
import { buildChains, trustedKeyInput, type TrustedKeyInput } from '../../backup/index.js';
import type { ConsoleHost } from '../../host/index.js';
import {
  discardPreRestoreStore,
  listPreRestoreStores,
  openForInspection,
  planRecovery,
  resolveSources,
  storeToRestore,
  validationError,
  type DrillOverrides,
  type DrillScheduler,
} from '../../recovery/index.js';
import type { Due } from '../../platform/index.js';
import { toEventRecord } from '../../store/index.js';
import { firstEventRecordedAfter } from '../../store/index.js';
import { runJob } from '../../workers/index.js';
import { underPath } from '../../../shared/validation.js';
import type { HandlersFor } from '../handler.js';
import { trustedKeyFor } from './backup.js';
import { absolutePath, decryptionKeysFrom } from './handlerInputs.js';

/**
 * The archives a recovery reads: the paths given, else the store's backup folders that exist (while the
 * store cannot be opened, those its events.db still names, if it can be read at all).
 */
function sourcesOf(host: ConsoleHost, given: readonly string[] | undefined): string[] {
  if (given !== undefined) return given.map((path) => absolutePath(path, 'an archive or folder of archives'));
  // A schedule's destination before its first run does not exist yet: nothing to read there.
  return host.backupFolders().filter((dir) => existsSync(dir));
}

/** What to say when no archives are named and the store's backup folders give none. */
function noSourcesMessage(host: ConsoleHost): string {
  return host.storeProblem === undefined
    ? 'this store has no backup folders yet: take a backup, or name the archives, or the folders of archives, to restore from'
    : 'the store cannot be opened and no backup folder of it could be read: name the archives, or the folders of archives, to restore from';
}

function requireSources(host: ConsoleHost, given: readonly string[] | undefined): string[] {
  const sources = sourcesOf(host, given);
  if (sources.length === 0) throw new ConsoleError('NOT_FOUND', noSourcesMessage(host));
  return sources;
}

function describeTarget(target: RecoveryTarget): string {
  if (target.kind === 'latest') return 'the newest archive';
  if (target.kind === 'position') return `position ${target.position.toLocaleString('en-US')}`;
  return target.at;
}

const byPosition = (a: CatalogEntry, b: CatalogEntry) =>
  a.manifest.fromPosition - b.manifest.fromPosition || a.manifest.toPosition - b.manifest.toPosition || a.manifest.createdAt.localeCompare(b.manifest.createdAt);

/**
 * The key every archive of a recovery must be signed by: the file named, else the store's trusted key —
 * read from the store as it lies on disk when it cannot be opened (a damaged store must not lose its trust).
 */
function trustedKeyOfStore(host: ConsoleHost, file: string | undefined): TrustedKeyInput | undefined {
  if (file !== undefined || host.hasStore) return trustedKeyFor(host, file);
  let db;
  try {
    db = openForInspection(host.recoveryTarget().dir);
    return trustedKeyInput(db);
  } catch {
    return undefined; // no settings to read: no key was set that could be honoured
  } finally {
    db?.close();
  }
}

/**
 * A drill through the store's drill scheduler (recorded in its history, never beside another drill), as job
 * progress: one asked for now, or a due one the schedules dispatched through the pipeline.
 */
async function runDrillAsJob(
  drills: DrillScheduler,
  what: { readonly kind: 'now'; readonly overrides: DrillOverrides } | { readonly kind: 'due'; readonly due: Due },
  signal: AbortSignal,
  progress: (p: JobProgress) => void,
): Promise<DrillRun> {
  if (signal.aborted) throw new ConsoleError('CANCELLED', 'the drill was cancelled before it started');
  let drillId: number | undefined;
  const stopListening = drills.onEvent((event) => {
    if (event.type === 'drill-started' && drillId === undefined) drillId = event.drill.id;
    else if (event.type === 'drill-progress' && event.drillId === drillId) progress(event.progress);
  });
  // A drill never runs beside another, so the drill that starts now is this one.
  const onAbort = () => drills.cancelRunning();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const drill = what.kind === 'now' ? await drills.runNow(what.overrides) : await drills.runScheduled(what.due);
    if (drill === null) throw new ConsoleError('BUSY', 'a drill was already running (or the policy is gone): the due drill did not start');
    if (drill.outcome === 'succeeded' && drill.report !== null) return { ...drill.report, drillId: drill.id };
    if (drill.outcome === 'cancelled') throw new ConsoleError('CANCELLED', 'the drill was cancelled; its scratch folder was removed');
    const error = drill.error ?? { code: 'INTERNAL' as const, message: `the drill ended ${drill.outcome}` };
    throw new ConsoleError(error.code, error.message, { ...error.details, drillId: drill.id });
  } finally {
    stopListening();
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Recovery (issue 5): the wizard's steps and the drills. Reading steps (sources, plan, events around a
 * target) run here on sidecars and point reads; verifying and restoring run in worker threads as jobs.
 * A restore in place goes through host.replaceStore: validated while the store is still open, then the
 * store is closed, swapped and reopened, and subscriptions carry on against the restored log (their next
 * push says `storeReplaced`).
 * While the store cannot be opened (host.storeProblem), sources, plan, validation, dry run, restore and
 * the stores set aside still work on its folder (host.recoveryTarget); events around a target and drills,
 * which read the store, answer STORE_UNAVAILABLE like every other call that needs it.
 */
export const recoveryHandlers: HandlersFor<
  | 'recovery.sources'
  | 'recovery.plan'
  | 'recovery.eventsAround'
  | 'recovery.validate'
  | 'recovery.dryRun'
  | 'recovery.restore'
  | 'recovery.preRestoreStores'
  | 'recovery.discardPreRestore'
  | 'recovery.drillStatus'
  | 'recovery.drills'
  | 'recovery.saveDrillPolicy'
  | 'recovery.runDrill'
  | 'recovery.restoreTo'
> = {
  'recovery.sources': async ({ sources }, { host }): Promise<RecoverySources> => {
    const known = host.recoveryTarget().storeId;
    const paths = sourcesOf(host, sources);
    if (paths.length === 0) {
      // Without the store's id there is no answer to give (whose chains?): the admin names archives first.
      if (known === undefined) throw new ConsoleError('NOT_FOUND', noSourcesMessage(host));
      return { sources: [], storeId: known, chains: [], otherStores: [], entries: [], unreadable: [], warnings: [noSourcesMessage(host)] };
    }
    const resolved = await resolveSources(paths, undefined);
    // An unreadable store's id comes from the archives, as the plan and the restore will take it.
    const storeId = known ?? storeToRestore({ sources: paths }, resolved);
    const warnings =
      known === undefined ? [...resolved.warnings, `the store's id cannot be read from it: these are the archives of store ${storeId}, the only store in the sources`] : resolved.warnings;
    const own = resolved.entries.filter((e) => e.manifest.storeId === storeId).sort(byPosition);
    const others = new Map<string, number>();
    for (const e of resolved.entries) if (e.manifest.storeId !== storeId) others.set(e.manifest.storeId, (others.get(e.manifest.storeId) ?? 0) + 1);
    return {
      sources: paths,
      storeId,
      chains: buildChains(own),
      otherStores: [...others].sort(([a], [b]) => a.localeCompare(b)).map(([id, archives]) => ({ storeId: id, archives })),
      entries: own,
      unreadable: resolved.unreadable
        .filter((u) => u.storeId === storeId)
        .map((u) => ({ archive: u.archive, name: u.name, fromPosition: u.fromPosition, toPosition: u.toPosition, reason: u.reason, needsKey: u.needsKey })),
      warnings,
    };
  },

  // A preview, before any key is asked for: what only the key can tell is a warning here, checked when validating.
  'recovery.plan': ({ sources, target }, { host }) => planRecovery({ sources: requireSources(host, sources), target, currentStoreId: host.recoveryTarget().storeId, preview: true }),

  'recovery.eventsAround': async ({ target, before, after }, { host }) => {
    let position: number | null;
    if (target.kind === 'position') position = target.position;
    else {
      const firstAfter = await firstEventRecordedAfter(host.store.reader, Date.parse(target.at), host.views.timesInOrderTo());
      const last = firstAfter === undefined ? host.store.head().position : firstAfter.position - 1;
      position = last === 0 ? null : last;
    }
    // Read after the search (the store may have been replaced meanwhile: then this answers BUSY).
    const reader = host.store.reader;
    const headPosition = reader.readHead().position;
    const centre = position ?? 0;
    const from = Math.max(1, centre - before);
    const to = Math.min(headPosition, centre + after);
    return { position, headPosition, events: to < from ? [] : reader.readAll(from, to - from + 1).map(toEventRecord) };
  },

  'recovery.validate': ({ sources, target, keys, trustKeyFile }, { host }) => {
    const storeDir = host.recoveryTarget().dir;
    const paths = requireSources(host, sources);
    const keyInput = decryptionKeysFrom(keys);
    const trustedKey = trustedKeyOfStore(host, trustKeyFile);
    return {
      label: `Validate the archives to restore ${basename(storeDir)} to ${describeTarget(target)}`,
      target: storeDir,
      // Verification records are written beside the archives: the catalog is read again afterwards.
      run: ({ signal, progress }) =>
        runJob('recoveryValidate', { sources: paths, target, storeDir, keys: keyInput, trustedKey, scratchDir: tmpdir() }, { signal, nativeBinding: host.nativeBinding, onProgress: progress }).finally(
          () => host.forgetCatalog(),
        ),
    };
  },

  'recovery.dryRun': ({ sources, target, keys, failedAt, trustKeyFile }, { host }) => {
    const storeDir = host.recoveryTarget().dir;
    const paths = requireSources(host, sources);
    const keyInput = decryptionKeysFrom(keys);
    const trustedKey = trustedKeyOfStore(host, trustKeyFile);
    return {
      label: `Dry run: restore ${basename(storeDir)} to ${describeTarget(target)}`,
      target: storeDir,
      // storeDir names the store, so the report says what the target would leave out of it (when it can be read).
      run: ({ signal, progress }) =>
        runJob(
          'recoveryRun',
          { sources: paths, target, mode: 'dry-run', storeDir, scratchDir: tmpdir(), failedAt, keys: keyInput, trustedKey },
          { signal, nativeBinding: host.nativeBinding, onProgress: progress },
        ),
    };
  },

  'recovery.restore': ({ sources, target, keys, failedAt, confirmStoreName, trustKeyFile }, { host, principal }) => {
    // Also a store that cannot be opened: the in-place restore sets its remains aside like any store.
    const storeDir = host.recoveryTarget().dir;
    const name = basename(storeDir);
    if (confirmStoreName !== name)
      throw new ConsoleError('INVALID_INPUT', `to confirm the restore, type the name of the store it replaces, "${name}" (got "${confirmStoreName}"); nothing was changed`, {
        expected: name,
      });
    const paths = requireSources(host, sources);
    const keyInput = decryptionKeysFrom(keys);
    const trustedKey = trustedKeyOfStore(host, trustKeyFile);
    const workerOptions = (signal: AbortSignal, progress: (p: JobProgress) => void) => ({ signal, nativeBinding: host.nativeBinding, onProgress: progress });
    return {
      label: `Restore ${name} to ${describeTarget(target)}`,
      target: storeDir,
      async run({ jobId, signal, progress }) {
        // Every archive verified while the store stays open: a wrong key or a damaged archive is refused
        // here, before the store is closed or anything is written.
        const validation = await runJob('recoveryValidate', { sources: paths, target, storeDir, keys: keyInput, trustedKey, scratchDir: tmpdir() }, workerOptions(signal, progress));
        host.forgetCatalog();
        const failed = validation.archives.find((a) => !a.ok);
        if (failed !== undefined) throw validationError(failed);
        if (signal.aborted) throw new ConsoleError('CANCELLED', 'the restore was cancelled; the store was not changed');
        const report = await host.replaceStore(
          (dir) => runJob('recoveryRun', { sources: paths, target, mode: 'in-place', storeDir: dir, failedAt, keys: keyInput, trustedKey }, workerOptions(signal, progress)),
          { exceptJobId: jobId },
        );
        // In the restored store's audit log (the set-aside store's log holds the start): what replaced what.
        host.audit({
          actor: principal.name,
          transport: principal.transport,
          action: 'recovery.swap',
          target: storeDir,
          outcome: 'ok',
          details: {
            jobId,
            headPosition: report.headPosition,
            headHash: report.headHash,
            previousStore: report.previousStore,
            archives: report.archives.map((a) => basename(a.archive)),
          },
        });
        return report;
      },
    };
  },

  'recovery.preRestoreStores': (_input, { host }) => listPreRestoreStores(host.recoveryTarget().dir),

  'recovery.discardPreRestore': ({ path }, { host }) => discardPreRestoreStore(host.recoveryTarget().dir, absolutePath(path, 'the store set aside')),

  'recovery.drillStatus': (_input, { host }) => host.drills.status(),

  'recovery.drills': ({ limit }, { host }) => host.drills.history(limit),

  // The scheduler re-arms its timer with the new policy as it saves it.
  'recovery.saveDrillPolicy': ({ policy }, { host }) => {
    try {
      return host.drills.savePolicy(policy);
    } catch (error) {
      throw underPath(error, ['policy']);
    }
  },

  'recovery.restoreTo': ({ sources, target, to, keys, dryRun, current, scratch, trustKeyFile }, { host }) => {
    const paths = sources.map((p) => absolutePath(p, 'an archive or folder of archives'));
    const destination = absolutePath(to, 'the new store folder');
    const keyInput = decryptionKeysFrom(keys);
    const trustedKey = trustedKeyFor(host, trustKeyFile);
    return {
      label: `${dryRun ? 'Dry run: restore' : 'Restore'} ${describeTarget(target)} into ${destination}`,
      target: destination,
      run: ({ signal, progress }) =>
        runJob(
          'recoveryRun',
          {
            sources: paths,
            target,
            mode: dryRun ? 'dry-run' : 'to-folder',
            destination,
            storeDir: current === undefined ? undefined : absolutePath(current, 'the current store'),
            scratchDir: scratch === undefined ? undefined : absolutePath(scratch, 'the scratch folder'),
            keys: keyInput,
            trustedKey,
          },
          { signal, nativeBinding: host.nativeBinding, onProgress: progress },
        ),
    };
  },

  'recovery.runDrill': ({ trigger, dueAt, backupsDir, keys, scratchDir, trustKeyFile }, { host }) => {
    const overrides = {
      backupsDir: backupsDir === undefined ? undefined : absolutePath(backupsDir, 'the backups folder'),
      keys: keys === undefined ? undefined : decryptionKeysFrom(keys),
      scratchDir: scratchDir === undefined ? undefined : absolutePath(scratchDir, 'the scratch folder'),
      // Without a file named, the drill scheduler takes the store's trusted key itself.
      trustedKey: trustKeyFile === undefined ? undefined : trustedKeyFor(host, trustKeyFile),
    };
    // A store that cannot be opened can still be drilled from its archives; the drill just cannot be recorded in it.
    if (host.storeProblem !== undefined) {
      if (overrides.backupsDir === undefined) throw new ConsoleError('STORE_UNAVAILABLE', `the store cannot be opened (${host.storeProblem.message}): name the backups folder to drill from`);
      const request = { storeDir: host.storePath, backupsDir: overrides.backupsDir, keys: overrides.keys, scratchDir: overrides.scratchDir, trustedKey: overrides.trustedKey ?? trustedKeyOfStore(host, undefined) };
      return {
        label: `Recovery drill from ${request.backupsDir} (not recorded: the store cannot be opened)`,
        target: request.backupsDir,
        run: async ({ signal, progress }) => ({ ...(await runJob('recoveryDrill', request, { signal, nativeBinding: host.nativeBinding, onProgress: progress })), drillId: null }),
      };
    }
    const drills = host.drills;
    const policy = drills.policy();
    const from = overrides.backupsDir ?? policy?.backupsDir;
    if (from === undefined) throw new ConsoleError('NOT_FOUND', 'this store has no drill policy: set one (backups folder, key, schedule) first');
    const due = trigger === 'schedule' || trigger === 'catch-up' ? { trigger, at: dueAt ?? host.clock() } : undefined;
    return {
      label: `Recovery drill from ${from}`,
      target: from,
      run: ({ signal, progress }) =>
        runDrillAsJob(drills, due === undefined ? { kind: 'now', overrides: { ...overrides, trigger: trigger === 'cli' ? 'cli' : 'manual' } } : { kind: 'due', due }, signal, progress),
    };
  },
};
