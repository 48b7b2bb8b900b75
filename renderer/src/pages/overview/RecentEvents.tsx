import { UNCHANGED_BY_APPENDS } from '../../api/freshness.js';
import { useApiQuery } from '../../api/hooks.js';
import { eventHref, streamsHref } from '../../app/routes.js';
import { formatCount } from '../../format/numbers.js';
import { ErrorPanel } from '../../ui/ErrorPanel.js';
import { Panel } from '../../ui/Panel.js';
import { Skeleton } from '../../ui/Skeleton.js';
import { TimeStamp } from '../../ui/TimeStamp.js';

const SHOWN = 8;

/** The newest events of the log (as of the last overview refresh), each opening its detail. */
export function RecentEvents({ headPosition }: { readonly headPosition: number }) {
  // The events up to a given head: appends do not change them (a new head from the overview is a new query).
  const recent = useApiQuery('events.page', { from: headPosition, limit: SHOWN, direction: 'backwards' }, { enabled: headPosition > 0, staleTime: Infinity, meta: UNCHANGED_BY_APPENDS });
  return (
    <Panel
      title="Newest events"
      testId="recent-events"
      actions={
        <a className="button button--small button--quiet" href={streamsHref({ tab: 'live' })}>
          Live tail
        </a>
      }
    >
      {recent.error !== null && <ErrorPanel error={recent.error} onRetry={() => void recent.refetch()} />}
      {recent.isPending && headPosition > 0 && (
        <div className="recent">
          {Array.from({ length: SHOWN }, (_, i) => (
            <Skeleton key={i} />
          ))}
        </div>
      )}
      {recent.data !== undefined && (
        <ul className="recent">
          {recent.data.events.map((e) => (
            <li key={e.globalPosition}>
              <a className="recent__row" href={eventHref(e.globalPosition)}>
                <span className="mono recent__pos">#{formatCount(e.globalPosition)}</span>
                <span className="recent__type">{e.type}</span>
                <span className="mono recent__stream">{e.streamId}</span>
                <TimeStamp at={e.recordedAt} mode="relative" />
              </a>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
