import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { EventDetail, EventLink } from '../../../../shared/api/types.js';
import { useApiQuery } from '../../api/hooks.js';
import { recoveryHref } from '../../app/routes.js';
import { formatCount } from '../../format/numbers.js';
import { CopyId } from '../../ui/CopyId.js';
import { ErrorPanel } from '../../ui/ErrorPanel.js';
import { JsonView } from '../../ui/JsonView.js';
import { Skeleton } from '../../ui/Skeleton.js';
import { TimeStamp } from '../../ui/TimeStamp.js';

interface Props {
  readonly position: number;
  readonly onClose: () => void;
  /** Where a link to a related event (or to a stream) goes from here. */
  readonly eventHref: (link: { readonly globalPosition: number; readonly streamId: string }) => string;
  readonly streamHref: (streamId: string) => string;
}

/** One event in full: its fields, data and metadata as foldable JSON, and the events it is linked with. */
export function EventDetailPanel({ position, onClose, eventHref, streamHref }: Props) {
  const detail = useApiQuery('events.get', { position }, { staleTime: 10_000 });
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  useEffect(() => {
    panel.current?.scrollTo({ top: 0 });
  }, [position]);

  return (
    <aside className="event-detail" ref={panel} aria-label={`Event at position ${position}`} data-testid="event-detail">
      <header className="event-detail__head">
        <div>
          <div className="event-detail__kicker">Event #{formatCount(position)}</div>
          <h2 className="event-detail__type">{detail.data?.event.type ?? <Skeleton width="12em" />}</h2>
        </div>
        <div className="event-detail__actions">
          <RecoverBeforeAction position={position} />
          <button type="button" className="button button--small button--quiet" onClick={onClose} aria-label="Close event detail">
            Close <kbd>Esc</kbd>
          </button>
        </div>
      </header>
      {detail.error !== null && <ErrorPanel error={detail.error} title={`Event ${formatCount(position)} could not be loaded`} onRetry={() => void detail.refetch()} />}
      {detail.isPending && <DetailSkeleton />}
      {detail.data !== undefined && <DetailBody detail={detail.data} eventHref={eventHref} streamHref={streamHref} />}
    </aside>
  );
}

/**
 * The event's recovery action: open the recovery wizard with the target just before it (a bad event and
 * everything after it left out). The first event has nothing before it to restore to.
 */
function RecoverBeforeAction({ position }: { readonly position: number }) {
  if (position <= 1)
    return (
      <button type="button" className="button button--small" disabled title="This is the first event: a restore keeps at least one event, so there is no point before it to restore to" data-testid="recover-before">
        Recover to just before this event
      </button>
    );
  return (
    <a className="button button--small" href={recoveryHref({ position: position - 1 })} title={`Open the recovery wizard with the target #${formatCount(position - 1)}: this event and every event after it are left out`} data-testid="recover-before">
      Recover to just before this event
    </a>
  );
}

function DetailBody({ detail, eventHref, streamHref }: { readonly detail: EventDetail; readonly eventHref: Props['eventHref']; readonly streamHref: Props['streamHref'] }) {
  const { event } = detail;
  const correlationId = typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : null;
  return (
    <div className="event-detail__body">
      <dl className="facts event-detail__facts">
        <dt>Position</dt>
        <dd className="mono" data-testid="detail-position">
          {formatCount(event.globalPosition)}
        </dd>
        <dt>Stream</dt>
        <dd>
          <a className="mono" href={streamHref(event.streamId)} data-testid="detail-stream">
            {event.streamId}
          </a>{' '}
          <span className="muted">version {formatCount(event.streamVersion)}</span>
        </dd>
        <dt>Event id</dt>
        <dd>
          <CopyId value={event.eventId} full label="event id" />
        </dd>
        <dt>Recorded</dt>
        <dd>
          <TimeStamp at={event.recordedAt} />
        </dd>
        <dt>Hash</dt>
        <dd data-testid="detail-hash">
          <CopyId value={event.hash} head={16} tail={8} label="hash" />
        </dd>
      </dl>

      <h3 className="event-detail__section">Data</h3>
      <JsonView key={`data-${event.globalPosition}`} value={event.data} label="data" />
      <h3 className="event-detail__section">Metadata</h3>
      <JsonView key={`meta-${event.globalPosition}`} value={event.metadata} label="metadata" />

      <h3 className="event-detail__section">Related events</h3>
      <div className="related" data-testid="related-events">
        <RelatedGroup title="Caused by" links={detail.causedBy === null ? [] : [detail.causedBy]} empty="No causation id, or its event is not in this store." eventHref={eventHref} />
        <RelatedGroup title="Caused" links={detail.caused} empty="No event names this one as its cause." eventHref={eventHref} />
        <RelatedGroup
          title={
            correlationId === null ? (
              'Same correlation'
            ) : (
              <>
                Same correlation <CopyId value={correlationId} label="correlation id" />
                {detail.correlatedTotal > detail.correlated.length && <span className="muted"> · first {detail.correlated.length} of {formatCount(detail.correlatedTotal)}</span>}
              </>
            )
          }
          links={detail.correlated}
          empty={correlationId === null ? 'This event has no correlation id.' : 'No other event shares its correlation id.'}
          eventHref={eventHref}
          testId="correlated-events"
        />
      </div>
    </div>
  );
}

/** Related events shown before "Show all": enough to follow a flow without a wall of links. */
const FIRST_LINKS = 8;

function RelatedGroup({ title, links, empty, eventHref, testId }: { readonly title: ReactNode; readonly links: readonly EventLink[]; readonly empty: string; readonly eventHref: Props['eventHref']; readonly testId?: string }) {
  const [all, setAll] = useState(false);
  const shown = all ? links : links.slice(0, FIRST_LINKS);
  return (
    <div className="related__group" data-testid={testId}>
      <div className="related__title">{title}</div>
      {links.length === 0 ? (
        <div className="related__empty">{empty}</div>
      ) : (
        <ul className="related__list">
          {shown.map((link) => (
            <li key={link.globalPosition}>
              <a className="related__link" href={eventHref(link)} data-position={link.globalPosition}>
                <span className="mono related__pos">#{formatCount(link.globalPosition)}</span>
                <span className="related__type">{link.type}</span>
                <span className="mono related__stream">{link.streamId}</span>
                <TimeStamp at={link.recordedAt} mode="relative" />
              </a>
            </li>
          ))}
          {links.length > shown.length && (
            <li>
              <button type="button" className="related__more" onClick={() => setAll(true)}>
                Show all {links.length}
              </button>
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

function DetailSkeleton() {
  return (
    <div className="event-detail__body" aria-busy="true">
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="skeleton-line">
          <Skeleton width="6em" /> <Skeleton width={`${12 + i * 3}em`} />
        </div>
      ))}
      <Skeleton height="8em" />
    </div>
  );
}
