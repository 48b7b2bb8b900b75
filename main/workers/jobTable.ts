import type { ArchiveVerification, BackupProgress } from '../../shared/backup.js';
import type { JobProgress } from '../../shared/jobs.js';
import { createBackup, type CreateBackupRequest, type CreateBackupResult } from '../backup/index.js';
import { exportArchives, type ExportArchivesRequest, type ExportArchivesResult } from '../backup/index.js';
import { verifyArchive, type VerifyArchiveRequest } from '../backup/index.js';
import { loadDemo, type LoadDemoInput } from '../demo/index.js';
import type { DrillReport, RecoveryProgress, RecoveryReport, ValidationReport } from '../../shared/recovery.js';
import { runDrill, type DrillRequest } from '../recovery/index.js';
import { runRecovery, type RecoveryRequest } from '../recovery/index.js';
import { validateRecovery, type ValidateRecoveryRequest } from '../recovery/index.js';
import { EventStore, type RecordedHead } from '../store/index.js';
import { verifyLog, type VerifyProgress, type VerifyReport } from '../store/index.js';

/** What a job can see of its runner: progress out, cancellation in. */
export interface JobContext<P> {
  progress(value: P): void;
  isCancelled(): boolean;
}

type JobFn<I, P, O> = (input: I, ctx: JobContext<P>) => O | Promise<O>;

/**
 * Every piece of work that runs off the main thread, by name. Each job opens what it needs itself (a
 * worker cannot share the main thread's SQLite connections) and reports progress at page granularity.
 */
export const jobTable = {
  // The log compared with every head recorded of it (head.json, views.db, and the backup catalog's newest
  // archive, which the caller reads): a loss is a problem until acknowledged, and every recorded loss is listed.
  verifyStore: ((input: { dir: string; recordedHeads?: readonly RecordedHead[] }, ctx) => {
    const store = EventStore.open(input.dir, { readonly: true });
    try {
      store.checkRecordedHeads(input.recordedHeads ?? []);
      const report = verifyLog(store.db, {
        openProblems: store.openProblems,
        onProgress: (p) => ctx.progress(p),
        isCancelled: () => ctx.isCancelled(),
      });
      return { ...report, losses: store.losses() };
    } finally {
      store.close();
    }
  }) satisfies JobFn<{ dir: string; recordedHeads?: readonly RecordedHead[] }, VerifyProgress, VerifyReport>,

  loadDemo: ((input: LoadDemoInput, ctx) => loadDemo(input, ctx)) satisfies JobFn<LoadDemoInput, JobProgress, ReturnType<typeof loadDemo>>,

  // Backups (main/backup): the store and the archives are opened inside the worker; keys arrive in the input.
  backupCreate: ((input: CreateBackupRequest, ctx) =>
    createBackup(input, { onProgress: (p) => ctx.progress(p), isCancelled: () => ctx.isCancelled() })) satisfies JobFn<CreateBackupRequest, BackupProgress, CreateBackupResult>,

  backupVerify: ((input: VerifyArchiveRequest, ctx) =>
    verifyArchive(input, { onProgress: (p) => ctx.progress(p), isCancelled: () => ctx.isCancelled() })) satisfies JobFn<VerifyArchiveRequest, BackupProgress, ArchiveVerification>,

  backupExport: ((input: ExportArchivesRequest, ctx) =>
    exportArchives(input, { onProgress: (p) => ctx.progress(p), isCancelled: () => ctx.isCancelled() })) satisfies JobFn<ExportArchivesRequest, BackupProgress, ExportArchivesResult>,

  // Recovery (main/recovery): validate, dry run, restore (to a folder, or in place: the caller closed the store), drills.
  recoveryValidate: ((input: ValidateRecoveryRequest, ctx) =>
    validateRecovery(input, { onProgress: (p) => ctx.progress(p), isCancelled: () => ctx.isCancelled() })) satisfies JobFn<ValidateRecoveryRequest, RecoveryProgress, ValidationReport>,

  recoveryRun: ((input: RecoveryRequest, ctx) =>
    runRecovery(input, { onProgress: (p) => ctx.progress(p), isCancelled: () => ctx.isCancelled() })) satisfies JobFn<RecoveryRequest, RecoveryProgress, RecoveryReport>,

  recoveryDrill: ((input: DrillRequest, ctx) =>
    runDrill(input, { onProgress: (p) => ctx.progress(p), isCancelled: () => ctx.isCancelled() })) satisfies JobFn<DrillRequest, RecoveryProgress, DrillReport>,
};

export type JobName = keyof typeof jobTable;
export type JobInput<N extends JobName> = Parameters<(typeof jobTable)[N]>[0];
export type WorkerProgress<N extends JobName> = Parameters<(typeof jobTable)[N]>[1] extends JobContext<infer P> ? P : never;
export type JobOutput<N extends JobName> = Awaited<ReturnType<(typeof jobTable)[N]>>;
