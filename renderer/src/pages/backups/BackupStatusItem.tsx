import { useApiQuery } from '../../api/hooks.js';
import { useStoreState } from '../../app/storeState.js';
import { formatIsoUtc } from '../../format/time.js';
import { useNow } from '../../ui/useNow.js';
import { formatMinutes, readRpo, RPO_TONES } from './rpo.js';

/** The status bar's backup item: time since the newest verified backup against the RPO target. */
export function BackupStatusItem() {
  const overview = useApiQuery('store.overview', {}, { enabled: useStoreState().kind !== 'unavailable' });
  const now = useNow();
  const rpo = overview.data?.backup;
  if (rpo === undefined)
    return (
      <div className="status-item">
        <span className="status-item__label">Verified backup</span>
        <span className="status-item__value">…</span>
      </div>
    );
  const reading = readRpo(rpo, now);
  const tone = RPO_TONES[reading.state];
  const title = [
    reading.sentence,
    rpo.newestVerifiedAt === null ? null : `Newest verified: ${formatIsoUtc(rpo.newestVerifiedAt)}`,
    rpo.targetMinutes === null ? 'Set an RPO target on a schedule (Backups → Schedules).' : `RPO target: ${formatMinutes(rpo.targetMinutes)} (${reading.label.toLowerCase()})`,
  ]
    .filter((l) => l !== null)
    .join('\n');
  return (
    <div className="status-item" title={title}>
      <span className="status-item__label">Verified backup</span>
      <span className="status-item__value" data-testid="status-backup" data-state={reading.state}>
        <span className={`dot dot--${tone}`} />
        <span className={tone === 'bad' ? 'tone-bad' : tone === 'warn' ? 'tone-warn' : ''}>{reading.short}</span>
        {rpo.targetMinutes !== null && <span className="muted">/ {formatMinutes(rpo.targetMinutes)}</span>}
      </span>
    </div>
  );
}
