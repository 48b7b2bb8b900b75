import { useApiQuery } from '../../api/hooks.js';
import { eventHref } from '../../app/routes.js';
import { formatCount } from '../../format/numbers.js';
import { ErrorPanel } from '../../ui/ErrorPanel.js';
import { Panel } from '../../ui/Panel.js';
import { Skeleton } from '../../ui/Skeleton.js';

const SHOWN = 8;

/** The most frequent event types with their share of the log, each linked to its newest event. */
export function EventTypesPanel({ totalEvents }: { readonly totalEvents: number }) {
  const types = useApiQuery('events.types', {});
  const list = types.data ?? [];
  return (
    <Panel title="Event types" actions={types.data !== undefined && <span className="muted">{formatCount(list.length)} types</span>} testId="event-types">
      {types.error !== null && <ErrorPanel error={types.error} onRetry={() => void types.refetch()} />}
      {types.isPending && (
        <div className="type-bars">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} />
          ))}
        </div>
      )}
      {types.data !== undefined && list.length === 0 && <p className="muted">No events yet.</p>}
      {list.length > 0 && (
        <ul className="type-bars">
          {list.slice(0, SHOWN).map((t) => (
            <li key={t.type} className="type-bar">
              <span className="type-bar__name" title={t.type}>
                {t.type}
              </span>
              <span className="type-bar__count">{formatCount(t.events)}</span>
              <a className="type-bar__last mono" href={eventHref(t.lastPosition)} title={`Newest ${t.type}: position ${formatCount(t.lastPosition)}`}>
                #{formatCount(t.lastPosition)}
              </a>
              <span className="type-bar__track">
                <span className="type-bar__fill" style={{ width: `${totalEvents === 0 ? 0 : Math.max(0.5, (t.events / totalEvents) * 100)}%` }} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {list.length > SHOWN && <p className="muted type-bars__more">and {formatCount(list.length - SHOWN)} more types</p>}
    </Panel>
  );
}
