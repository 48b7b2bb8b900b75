import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { BackupRun } from '../../../shared/backup.js';
import type { StoreWarning } from '../../../shared/store.js';
import { ConsoleError, toErrorInfo } from '../../../shared/errors.js';
import {
  buildChains,
  clearTrustedKey,
  describeCron,
  listCatalog,
  parseTrustedKey,
  pruneBackups,
  readPassphraseFile,
  readSigningKeyFile,
  readTrustedKey,
  readTrustedKeyFile,
  trustedKeyInput,
  writeSigningKeyPair,
  writeTrustedKey,
  type EncryptionSpec,
  type TrustedKeyInput,
} from '../../backup/index.js';
import type { ConsoleHost } from '../../host/index.js';
import type { Due } from '../../platform/index.js';
import { runJob } from '../../workers/index.js';
import { underPath } from '../../../shared/validation.js';
import type { HandlersFor } from '../handler.js';
import { backupCatalog } from './backupCatalog.js';
import { absolutePath, decryptionKeysFrom } from './handlerInputs.js';

/**
 * The key archives must be signed by for one call: the public key in the file named, else the open store's
 * trusted key, else none. Exported for the recovery handlers, which fall back the same way.
 */
export function trustedKeyFor(host: ConsoleHost, file: string | undefined): TrustedKeyInput | undefined {
  if (file !== undefined) return { publicKeyPem: readTrustedKeyFile(absolutePath(file, 'the trusted key file')).publicKeyPem };
  return host.hasStore ? trustedKeyInput(host.store.db) : undefined;
}

/** A public key file's text (checked as a key when it is set). */
function readKeyFileText(path: string): string {
  return readTrustedKeyFile(path).publicKeyPem;
}

/** What a backup that found nothing new to archive answers. */
const NOTHING_WRITTEN = {
  created: false,
  archive: null,
  archiveBytes: null,
  kind: null,
  fellBackToFull: false,
  durationMs: 0,
  verified: null,
  problems: [],
  manifest: null,
  sidecar: null,
  continues: null,
  steps: [],
} as const;

/**
 * Follows the scheduler's events for a run of a schedule as job progress: one asked for now (`manual`), or a
 * due run the schedules dispatched through the pipeline.
 */
function runScheduleAsJob(
  host: ConsoleHost,
  scheduleId: string,
  due: Due | undefined,
  signal: AbortSignal,
  progress: (p: { phase: string; done: number; total: number | null; unit: string }) => void,
): Promise<BackupRun> {
  let runId: number | undefined;
  const stop = host.scheduler.onEvent((event) => {
    if (event.type === 'run-started' && event.run.scheduleId === scheduleId && runId === undefined) runId = event.run.id;
    else if (event.type === 'run-progress' && event.runId === runId) progress(event.progress);
  });
  const onAbort = () => host.scheduler.cancelRunning();
  signal.addEventListener('abort', onAbort, { once: true });
  return (due === undefined ? host.scheduler.runNow(scheduleId) : host.scheduler.runScheduled(scheduleId, due)).then(
    (run) => {
      stop();
      signal.removeEventListener('abort', onAbort);
      if (run.outcome === 'failed' && run.error !== null) throw new ConsoleError(run.error.code, run.error.message);
      if (run.outcome === 'cancelled') throw new ConsoleError('CANCELLED', 'the backup was cancelled; nothing was left under a final name');
      return run;
    },
    (error: unknown) => {
      stop();
      signal.removeEventListener('abort', onAbort);
      throw error;
    },
  );
}

export const backupHandlers: HandlersFor<
  | 'backup.trustedKey'
  | 'backup.setTrustedKey'
  | 'backup.generateSigningKey'
  | 'backup.catalog'
  | 'backup.addFolder'
  | 'backup.create'
  | 'backup.verify'
  | 'backup.export'
  | 'backup.downloadLink'
  | 'backup.schedules'
  | 'backup.saveSchedule'
  | 'backup.deleteSchedule'
  | 'backup.runNow'
  | 'backup.runs'
  | 'backup.describeCron'
  | 'backup.prune'
  | 'backup.list'
  | 'backup.events'
> = {
  'backup.catalog': (_input, { host }) => backupCatalog(host),

  'backup.addFolder': async ({ dir }, { host }) => {
    const folder = absolutePath(dir, 'the folder');
    await listCatalog(folder); // refuses a folder that cannot be read before it is remembered
    host.addBackupFolder(folder);
    return backupCatalog(host);
  },

  'backup.create': ({ destination, kind, encryption, includeViews, compressionLevel, fullWhenNoChain, verify, signKeyFile }, { host }) => {
    const dest = absolutePath(destination, 'the destination');
    // Read now, so a wrong file is said before the job starts; the key lives only in this job's input.
    const signing = signKeyFile === undefined ? undefined : readSigningKeyFile(absolutePath(signKeyFile, 'the signing key file'));
    const trustedKey = trustedKeyFor(host, undefined) ?? (signing === undefined ? undefined : { publicKeyPem: parseTrustedKey(signing.privateKeyPem).publicKeyPem });
    const spec: EncryptionSpec =
      encryption.kind === 'none'
        ? { kind: 'none' }
        : encryption.kind === 'age-recipient'
          ? { kind: 'age-recipient', recipients: [encryption.recipient, ...(encryption.additionalRecipients ?? [])] }
          : { kind: 'age-passphrase', passphrase: encryption.passphrase ?? readPassphraseFile(absolutePath(encryption.passphraseFile!, 'the passphrase file')) };
    const store = host.store;
    return {
      label: `${kind === 'full' ? 'Full' : 'Incremental'} backup to ${dest}`,
      target: dest,
      async run({ signal, progress }) {
        const { runId, finish } = host.scheduler.recordManualRun(kind);
        const warnings: StoreWarning[] = [];
        // Once the archive is published, what follows is bookkeeping in the store: a failure there (a full
        // disk) is said, and never turns a complete archive into a failed backup that a retry takes again.
        const record = <T>(what: string, write: () => T): T | undefined => {
          try {
            return write();
          } catch (error) {
            warnings.push({ code: 'NOT_RECORDED', message: `the archive is complete, but ${what} could not be recorded: ${toErrorInfo(error).message}` });
            return undefined;
          }
        };
        try {
          const result = await runJob(
            'backupCreate',
            { storeDir: store.dir, destination: dest, kind, encryption: spec, includeViews, fullWhenNoChain, compressionLevel, signing },
            { signal, nativeBinding: host.nativeBinding, onProgress: progress },
          );
          record('its folder in the catalog', () => host.addBackupFolder(dest));
          host.forgetCatalog(dest);
          if (!result.created) {
            finish({ endedAt: host.clock(), outcome: 'skipped', note: result.message });
            return { ...NOTHING_WRITTEN, message: result.message, toPosition: result.headPosition, previous: result.previous, runId, warnings };
          }
          // A new archive is verified straight away: an unverified backup does not count for the RPO. Without
          // the identity (recipient encryption) it cannot be opened here, which the result says.
          const verification =
            !verify || spec.kind === 'age-recipient'
              ? null
              : await runJob('backupVerify', { archive: result.archive, keys: spec.kind === 'age-passphrase' ? { passphrases: [spec.passphrase] } : {}, trustedKey }, {
                  signal,
                  nativeBinding: host.nativeBinding,
                  onProgress: progress,
                });
          record('the run in the backup history', () =>
            finish({
              endedAt: host.clock(),
              outcome: verification?.ok === false ? 'failed' : 'succeeded',
              kind: result.manifest.kind,
              archive: result.archive,
              archiveBytes: result.archiveBytes,
              events: result.manifest.eventCount,
              durationMs: result.durationMs,
              verified: verification === null ? null : verification.ok,
              note: result.fellBackToFull ? 'no chain to continue in the folder: a full archive was taken' : null,
            }),
          );
          return {
            created: true,
            archive: result.archive,
            message: `${basename(result.archive)}: positions ${result.manifest.fromPosition + 1}–${result.manifest.toPosition}`,
            archiveBytes: result.archiveBytes,
            toPosition: result.manifest.toPosition,
            kind: result.manifest.kind,
            fellBackToFull: result.fellBackToFull,
            durationMs: result.durationMs,
            verified: verification === null ? null : verification.ok,
            problems: verification?.problems ?? [],
            runId,
            manifest: result.manifest,
            sidecar: result.sidecar,
            continues: result.continues,
            previous: null,
            steps: result.steps,
            warnings,
          };
        } catch (error) {
          const info = toErrorInfo(error);
          record('the failed run', () => finish({ endedAt: host.clock(), outcome: info.code === 'CANCELLED' ? 'cancelled' : 'failed', error: info }));
          throw error;
        }
      },
    };
  },

  'backup.verify': ({ archive, keys, scratchDir, trustKeyFile }, { host }) => {
    const path = absolutePath(archive, 'the archive');
    const keyInput = decryptionKeysFrom(keys);
    const scratch = scratchDir === undefined ? undefined : absolutePath(scratchDir, 'the scratch folder');
    const trustedKey = trustedKeyFor(host, trustKeyFile);
    return {
      label: `Verify ${basename(path)}`,
      target: path,
      run: ({ signal, progress }) =>
        runJob('backupVerify', { archive: path, keys: keyInput, scratchDir: scratch, trustedKey }, { signal, nativeBinding: host.nativeBinding, onProgress: progress }).finally(() =>
          host.forgetCatalog(resolve(path, '..')),
        ),
    };
  },

  'backup.export': ({ archives, to }, { host }) => {
    const sources = archives.map((a) => absolutePath(a, 'an archive'));
    return {
      label: `Export ${sources.length} archive${sources.length === 1 ? '' : 's'}`,
      target: to ?? '',
      async run({ signal, progress }) {
        let folder = to === undefined ? undefined : absolutePath(to, 'the export folder');
        if (folder === undefined) {
          if (host.desktop === undefined) throw new ConsoleError('INVALID_INPUT', 'give the folder to export to, or download the archives through their links');
          folder = await host.desktop.chooseFolder('export');
          if (folder === undefined) throw new ConsoleError('CANCELLED', 'no folder was chosen');
        }
        const result = await runJob('backupExport', { archives: sources, to: folder }, { signal, nativeBinding: host.nativeBinding, onProgress: progress });
        return { to: folder, files: result.files.length, bytes: result.bytes };
      },
    };
  },

  'backup.downloadLink': ({ archive }, { host }) => {
    const path = absolutePath(archive, 'the archive');
    // Only archives the catalog knows can be downloaded: the link is not a way to read any file.
    const known = host.backupFolders().some((dir) => resolve(dir) === resolve(path, '..'));
    if (!known || !/\.tar\.gz(\.age)?$/.test(path)) throw new ConsoleError('FORBIDDEN', `${path} is not an archive of this store's backup folders`);
    let bytes: number;
    try {
      bytes = statSync(path).size;
    } catch {
      throw new ConsoleError('NOT_FOUND', `no archive at ${path}`);
    }
    return { url: host.downloads.create(path, basename(path)), fileName: basename(path), bytes };
  },

  'backup.schedules': (_input, { host }) => {
    const status = host.scheduler.status();
    return {
      schedules: host.scheduler.listSchedules().map((s) => ({
        ...s,
        nextRuns: s.enabled ? host.scheduler.nextRuns(s.id, 5) : [],
        lastRun: host.scheduler.runs({ scheduleId: s.id, limit: 1 })[0] ?? null,
      })),
      running: status.running === null ? null : { runId: status.running.runId, scheduleId: status.running.scheduleId },
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
  },

  // The scheduler checks the schedule it is given; its issues are placed under `schedule`, where the form has them.
  'backup.saveSchedule': ({ id, schedule }, { host }) => {
    try {
      return host.scheduler.saveSchedule(schedule, id);
    } catch (error) {
      throw underPath(error, ['schedule']);
    }
  },

  'backup.deleteSchedule': ({ id }, { host }) => ({ deleted: host.scheduler.deleteSchedule(id) }),

  'backup.runNow': ({ scheduleId, trigger, dueAt }, { host }) => {
    const schedule = host.scheduler.listSchedules().find((s) => s.id === scheduleId);
    if (schedule === undefined) throw new ConsoleError('NOT_FOUND', `no schedule ${scheduleId}`);
    const due = trigger === 'manual' ? undefined : { trigger, at: dueAt ?? host.clock() };
    return {
      label: due === undefined ? `Run "${schedule.name}" now` : `Scheduled backup "${schedule.name}"`,
      target: schedule.destination,
      run: ({ signal, progress }) => runScheduleAsJob(host, scheduleId, due, signal, progress),
    };
  },

  'backup.list': async ({ dir }) => {
    const catalog = await listCatalog(absolutePath(dir, 'the folder'));
    return { ...catalog, chains: buildChains(catalog.entries) };
  },

  'backup.runs': ({ scheduleId, limit }, { host }) => host.scheduler.runs({ scheduleId, limit }),

  'backup.trustedKey': (_input, { host }) => ({ trustedKey: readTrustedKey(host.store.db) }),

  // Who changed the trust, from which key to which, is in the audit log beside the pipeline's own record.
  'backup.setTrustedKey': ({ publicKey, publicKeyFile, clear }, { host, principal }) => {
    const db = host.store.writerDb();
    const before = readTrustedKey(host.store.db);
    const after =
      clear === true
        ? (clearTrustedKey(db), null)
        : writeTrustedKey(db, publicKey ?? readKeyFileText(absolutePath(publicKeyFile!, 'the public key file')), host.clock());
    host.audit({
      actor: principal.name,
      transport: principal.transport,
      action: 'backup.trustedKey',
      target: after?.keyId ?? 'none',
      outcome: 'ok',
      details: { keyId: after?.keyId ?? null, previousKeyId: before?.keyId ?? null },
    });
    host.forgetCatalog();
    return { trustedKey: after };
  },

  'backup.generateSigningKey': ({ dir }) => writeSigningKeyPair(absolutePath(dir, 'the key folder')),

  'backup.describeCron': ({ cron, timezone }, { host }) => describeCron(cron, { timezone: timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, now: host.clock(), count: 5 }),

  'backup.prune': async ({ dir, policy, dryRun, storeId }, { host }) => {
    const result = await pruneBackups({ dir: absolutePath(dir, 'the folder'), policy, storeId: storeId ?? (host.hasStore ? host.store.storeId : undefined), dryRun });
    host.forgetCatalog(result.dir);
    const plans = result.plans.map((p) => p.plan);
    return {
      kept: plans.flatMap((p) => p.keep),
      pruned: dryRun ? plans.flatMap((p) => p.prune) : [...result.removed],
      decisions: plans.flatMap((p) => p.decisions),
      bytesFreed: result.bytesFreed,
      dryRun,
    };
  },

  'backup.events': (_input, { host }, push) =>
    // Bound through followStore: after a restore the schedules are the restored store's, so say they changed.
    host.followStore((replaced) => {
      if (replaced) push({ type: 'schedules-changed' });
      return host.scheduler.onEvent((event) => {
        if (event.type === 'run-progress') push({ type: event.type, runId: event.runId, progress: event.progress });
        else if (event.type === 'schedules-changed') push({ type: event.type });
        else {
          host.forgetCatalog(event.run.archive === null ? undefined : resolve(event.run.archive, '..'));
          push({ type: event.type, runId: event.run.id });
        }
      });
    }),
};
