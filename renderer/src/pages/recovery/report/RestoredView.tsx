import type { DataLossWindow, RecoveryReport } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { formatDuration } from '../../../format/time.js';
import { CopyId } from '../../../ui/CopyId.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { LOSS_REFERENCE_LABELS } from '../labels.js';

/** The restored store's facts: events, streams, head position and hash, newest event, and its event types. */
export function RestoredView({ report }: { readonly report: RecoveryReport }) {
  const types = [...report.eventTypes].sort((a, b) => b.events - a.events);
  const most = Math.max(1, ...types.map((t) => t.events));
  return (
    <div className="restored" data-testid="restored" data-events={report.events} data-head={report.headPosition}>
      <dl className="facts restored__facts">
        <dt>Events</dt>
        <dd data-testid="restored-events">{formatCount(report.events)}</dd>
        <dt>Streams</dt>
        <dd>{formatCount(report.streams)}</dd>
        <dt>Head position</dt>
        <dd className="mono" data-testid="restored-head">
          {formatCount(report.headPosition)}
        </dd>
        <dt>Head hash</dt>
        <dd>
          <CopyId value={report.headHash} head={12} tail={6} label="head hash" />
        </dd>
        <dt>Newest event</dt>
        <dd>{report.headRecordedAt === null ? '—' : <TimeStamp at={report.headRecordedAt} />}</dd>
      </dl>
      <h4 className="restored__subtitle">Event types ({formatCount(types.length)})</h4>
      <ul className="type-bars">
        {types.slice(0, 8).map((t) => (
          <li key={t.type} className="type-bar">
            <span className="type-bar__name" title={t.type}>
              {t.type}
            </span>
            <span className="type-bar__count">{formatCount(t.events)}</span>
            <span />
            <span className="type-bar__track">
              <span className="type-bar__fill" style={{ width: `${(t.events / most) * 100}%` }} />
            </span>
          </li>
        ))}
      </ul>
      {types.length > 8 && <p className="type-bars__more muted">and {formatCount(types.length - 8)} more types</p>}
    </div>
  );
}

/** The data-loss window: the newest restored event against the failure (or the damaged store's newest event). */
export function DataLossView({ window }: { readonly window: DataLossWindow }) {
  return (
    <p className="data-loss" data-testid="data-loss" data-window-ms={window.windowMs}>
      <strong>Data-loss window: {formatDuration(window.windowMs)}</strong>
      <span className="muted">
        {' '}
        — from the newest restored event ({window.newestRestoredAt === null ? 'none' : <TimeStamp at={window.newestRestoredAt} mode="absolute" />}) to {LOSS_REFERENCE_LABELS[window.reference]} (
        <TimeStamp at={window.referenceAt} mode="absolute" />)
      </span>
    </p>
  );
}
