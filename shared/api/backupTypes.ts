import type { ArchiveVerification, BackupChain, BackupRun, BackupSchedule, Catalog, CronRun } from '../backup.js';

/** The RPO indicator: age of the newest verified backup against the tightest schedule target. */
export interface RpoIndicator {
  readonly newestVerifiedAt: string | null;
  readonly newestVerifiedArchive: string | null;
  readonly newestAt: string | null;
  /** The tightest RPO target of the store's schedules, in minutes; null when none is set. */
  readonly targetMinutes: number | null;
  /** green: within target; amber: past 80% of it; red: breached or no verified backup; none: no target. */
  readonly state: 'green' | 'amber' | 'red' | 'none';
}

export interface BackupFolder extends Catalog {
  readonly chains: readonly BackupChain[];
  /** The folder does not exist (yet): e.g. a schedule's destination before its first run. */
  readonly missing: boolean;
}

export interface BackupCatalog {
  readonly storeId: string;
  readonly folders: readonly BackupFolder[];
  readonly rpo: RpoIndicator;
}

export interface ScheduleView extends BackupSchedule {
  readonly nextRuns: readonly CronRun[];
  readonly lastRun: BackupRun | null;
}

export interface BackupSchedules {
  readonly schedules: readonly ScheduleView[];
  readonly running: { readonly runId: number; readonly scheduleId: string | null } | null;
  readonly timezone: string;
}

export interface DownloadLink {
  /** A path on the serve-mode server, valid once and for a few minutes. */
  readonly url: string;
  readonly fileName: string;
  readonly bytes: number;
}

export type { ArchiveVerification };
