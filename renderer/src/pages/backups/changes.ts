import type { BackupEvent } from '../../../../shared/api/backupContract.js';
import type { ChangeSource } from '../../api/freshness.js';

/**
 * What each `backup.events` push says changed: a run the scheduler started is in the history and on its
 * schedule; one that finished did what running a schedule now does; a schedule saved elsewhere changed
 * what saving one changes. Progress changes nothing a query reads.
 */
export const BACKUP_EVENT_CHANGES: Readonly<Record<BackupEvent['type'], ChangeSource>> = {
  'run-started': ['backupRuns', 'schedules'],
  'run-progress': [],
  'run-finished': { as: 'backup.runNow' },
  'schedules-changed': { as: 'backup.saveSchedule' },
};

/**
 * What files written outside the console (the CLI, a cron job, a copy from another machine) may have
 * changed in the backup folders: what "Refresh" on the Backups page reads again.
 */
export const BACKUP_FOLDER_CHANGES: ChangeSource = ['backups', 'backupRuns', 'schedules'];
