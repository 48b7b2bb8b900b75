import type { RpoIndicator } from '../../../../shared/api/backupTypes.js';
import { pageHref } from '../../app/routes.js';
import { Panel } from '../../ui/Panel.js';
import { TimeStamp } from '../../ui/TimeStamp.js';
import { useNow } from '../../ui/useNow.js';
import { formatMinutes, readRpo, RPO_TONES } from './rpo.js';

/** Overview's backup card: the newest verified backup against the RPO target. */
export function OverviewBackupCard({ rpo }: { readonly rpo: RpoIndicator }) {
  const now = useNow();
  const reading = readRpo(rpo, now);
  const tone = RPO_TONES[reading.state];
  return (
    <Panel
      title="Backups"
      testId="overview-backup-card"
      actions={
        <a className="button button--small" href={pageHref('backups')}>
          Open Backups
        </a>
      }
    >
      <div className={`integrity__status ${tone === 'bad' ? 'tone-bad' : tone === 'warn' ? 'tone-warn' : ''}`} data-testid="overview-rpo" data-state={reading.state}>
        <span className={`dot dot--${tone}`} />
        {rpo.targetMinutes !== null
          ? `RPO ${reading.label.toLowerCase()}`
          : rpo.newestAt === null
            ? 'No backups yet'
            : rpo.newestVerifiedAt === null
              ? 'No verified backup'
              : `Verified backup ${reading.short}`}
      </div>
      <p className="muted">{reading.sentence}</p>
      <dl className="facts">
        <dt>Newest verified</dt>
        <dd>{rpo.newestVerifiedAt === null ? '—' : <TimeStamp at={rpo.newestVerifiedAt} />}</dd>
        <dt>Newest archive</dt>
        <dd>{rpo.newestAt === null ? '—' : <TimeStamp at={rpo.newestAt} />}</dd>
        <dt>RPO target</dt>
        <dd>{rpo.targetMinutes === null ? 'none set' : formatMinutes(rpo.targetMinutes)}</dd>
      </dl>
    </Panel>
  );
}
