import { useQueryClient } from '@tanstack/react-query';
import { refreshAfter } from '../../api/freshness.js';
import { useApiQuery, useSubscription } from '../../api/hooks.js';
import { BACKUP_EVENT_CHANGES } from './changes.js';

export const useCatalog = () => useApiQuery('backup.catalog', {});
export const useSchedules = () => useApiQuery('backup.schedules', {});
export const useRuns = (scheduleId: string | undefined, limit: number) => useApiQuery('backup.runs', scheduleId === undefined ? { limit } : { scheduleId, limit });

/**
 * Keeps the backup queries current while the console is open: runs started by the scheduler (or by
 * another client) are announced on `backup.events`. Jobs started here are refreshed on their end by the
 * jobs list (JobsProvider). Mounted once, by the navigation's Backups badge, which is on screen while the
 * store is open (a store that cannot be opened runs no backups; the badge comes back with the store).
 */
export function useBackupEventsSync(): void {
  const queryClient = useQueryClient();
  useSubscription('backup.events', {}, (event) => void refreshAfter(queryClient, BACKUP_EVENT_CHANGES[event.type]));
}
