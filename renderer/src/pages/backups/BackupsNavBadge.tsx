import { useApiQuery } from '../../api/hooks.js';
import { useNow } from '../../ui/useNow.js';
import { useBackupEventsSync, useRuns } from './data.js';
import { readRpo } from './rpo.js';

/** The Backups entry's badge: the RPO target is breached, or the last backup run failed. */
export function BackupsNavBadge() {
  useBackupEventsSync();
  const overview = useApiQuery('store.overview', {});
  const runs = useRuns(undefined, 10);
  const now = useNow(30_000);
  const rpo = overview.data?.backup;
  const breached = rpo !== undefined && readRpo(rpo, now).state === 'red';
  const last = runs.data?.find((r) => r.outcome !== 'skipped' && r.outcome !== 'running');
  const failed = last !== undefined && (last.outcome === 'failed' || last.outcome === 'interrupted');
  if (!breached && !failed) return null;
  const reasons = [breached ? 'The RPO target is breached' : null, failed ? `The last backup run ${last.outcome}${last.error === null ? '' : `: ${last.error.message}`}` : null].filter((r) => r !== null);
  return (
    <span className="nav__badge nav__badge--bad" title={reasons.join('\n')} data-testid="nav-badge-backups">
      !
    </span>
  );
}
