import { useCallback, useMemo, useState } from 'react';
import type { EventRecord } from '../../../../shared/events.js';
import { useApiQuery } from '../../api/hooks.js';
import { streamsHref, type Route } from '../../app/routes.js';
import { navigate } from '../../app/useRoute.js';
import { formatCount } from '../../format/numbers.js';
import { useHead } from '../../live/HeadProvider.js';
import { CopyId } from '../../ui/CopyId.js';
import { ErrorPanel } from '../../ui/ErrorPanel.js';
import { PageHead } from '../../ui/Panel.js';
import { Skeleton } from '../../ui/Skeleton.js';
import { TimeStamp } from '../../ui/TimeStamp.js';
import { EventDetailPanel } from './EventDetailPanel.js';
import { EventList, type Order, type ScrollTarget } from './EventList.js';
import { LiveTail } from './LiveTail.js';
import { StreamList } from './StreamList.js';

type StreamsRoute = Extract<Route, { page: 'streams' }>;

export function StreamsPage({ route }: { readonly route: StreamsRoute }) {
  const { streamId, event, tab } = route;
  const [order, setOrder] = useState<Order>('oldest');
  const [manual, setManual] = useState<(ScrollTarget & { readonly forEvent: number | null }) | null>(null);

  const overview = useApiQuery('store.overview', {});
  const head = useHead();
  const stream = useApiQuery('streams.get', { streamId: streamId ?? '' }, { enabled: streamId !== null });
  // In a stream the row of an event is its version: known once the event is loaded (the detail panel shares this query).
  const opened = useApiQuery('events.get', { position: event ?? 1 }, { enabled: event !== null && streamId !== null, staleTime: 10_000 });

  const logTotal = Math.max(head?.headPosition ?? 0, overview.data?.stats.headPosition ?? 0);
  const total = streamId === null ? logTotal : (stream.data?.events ?? 0);
  const ready = streamId === null ? head !== undefined || overview.data !== undefined : stream.data !== undefined;

  const derived = useMemo((): ScrollTarget | null => {
    if (event === null) return null;
    if (streamId === null) return { ordinal: event - 1, nonce: event };
    const e = opened.data?.event;
    return e !== undefined && e.globalPosition === event && e.streamId === streamId ? { ordinal: e.streamVersion, nonce: event } : null;
  }, [event, streamId, opened.data]);
  const target = manual !== null && manual.forEvent === event ? manual : derived;

  const openEvent = useCallback((e: EventRecord) => navigate(streamsHref({ streamId, tab, event: e.globalPosition })), [streamId, tab]);
  const closeEvent = useCallback(() => navigate(streamsHref({ streamId, tab })), [streamId, tab]);
  const eventHref = useCallback(
    (link: { readonly globalPosition: number; readonly streamId: string }) =>
      streamsHref({ streamId: streamId !== null && link.streamId === streamId ? streamId : null, tab, event: link.globalPosition }),
    [streamId, tab],
  );
  const streamHref = useCallback((id: string) => streamsHref({ streamId: id }), []);

  const integrity = overview.data?.integrity;
  return (
    <div className="page page--full" data-testid="page-streams">
      <PageHead title="Streams">
        {integrity != null && (
          <a href="#/overview" className={`status-pill status-pill--${integrity.ok ? 'ok' : 'bad'}`} title="Last integrity check (Overview)">
            {integrity.ok ? 'Integrity verified' : 'Integrity check failed'}
          </a>
        )}
        {integrity === null && <span className="status-pill status-pill--neutral">Integrity not verified</span>}
        {(overview.data?.problems.length ?? 0) > 0 && <span className="status-pill status-pill--bad">Open problems: see Overview</span>}
      </PageHead>
      <div className="streams">
        <StreamList selected={streamId} />
        <section className="streams__main">
          <div className="streams__title">
            {tab === 'live' ? (
              <div className="stream-head">
                <h2 className="stream-head__name">Live tail</h2>
                <span className="muted">events of every stream as any process appends them{head === undefined ? '' : ` · head ${formatCount(head.headPosition)}`}</span>
              </div>
            ) : streamId === null ? (
              <div className="stream-head">
                <h2 className="stream-head__name">All events</h2>
                <span className="muted">{ready ? `${formatCount(total)} events, positions 1 – ${formatCount(total)}` : <Skeleton width="12em" />}</span>
              </div>
            ) : (
              <div className="stream-head" data-testid="stream-head">
                <h2 className="stream-head__name mono">{streamId}</h2>
                {stream.data !== undefined && (
                  <span className="muted">
                    {formatCount(stream.data.events)} events · version {formatCount(stream.data.version)} · positions {formatCount(stream.data.firstPosition)} – {formatCount(stream.data.lastPosition)} ·
                    updated <TimeStamp at={stream.data.updatedAt} mode="relative" /> · created <TimeStamp at={stream.data.createdAt} mode="absolute" />
                  </span>
                )}
                {stream.isPending && <Skeleton width="24em" />}
                <CopyId value={streamId} label="stream id" head={0} tail={0} />
              </div>
            )}
          </div>
          <div className="tabs" role="tablist">
            <a role="tab" className={`tabs__tab${tab === 'events' ? ' tabs__tab--on' : ''}`} aria-selected={tab === 'events'} href={streamsHref({ streamId })} data-testid="tab-events">
              Events
            </a>
            <a role="tab" className={`tabs__tab${tab === 'live' ? ' tabs__tab--on' : ''}`} aria-selected={tab === 'live'} href={streamsHref({ streamId: null, tab: 'live' })} data-testid="tab-live">
              Live tail
            </a>
            {tab === 'events' && (
              <div className="tabs__tools">
                <GoTo
                  label={streamId === null ? 'Go to position' : 'Go to version'}
                  max={streamId === null ? total : Math.max(0, total - 1)}
                  min={streamId === null ? 1 : 0}
                  onGo={(n) => {
                    if (streamId === null) navigate(streamsHref({ event: n }));
                    else setManual({ ordinal: n, nonce: -Date.now(), forEvent: event });
                  }}
                />
                <div className="segmented" role="group" aria-label="Order">
                  <button type="button" className={`segmented__item${order === 'oldest' ? ' segmented__item--on' : ''}`} aria-pressed={order === 'oldest'} onClick={() => setOrder('oldest')}>
                    Oldest first
                  </button>
                  <button type="button" className={`segmented__item${order === 'newest' ? ' segmented__item--on' : ''}`} aria-pressed={order === 'newest'} onClick={() => setOrder('newest')}>
                    Newest first
                  </button>
                </div>
              </div>
            )}
          </div>
          <div className="streams__content">
            {streamId !== null && stream.error !== null ? (
              <ErrorPanel error={stream.error} title={`Stream “${streamId}” could not be opened`} onRetry={() => void stream.refetch()} />
            ) : tab === 'live' ? (
              <LiveTail selectedPosition={event} onOpen={openEvent} />
            ) : ready ? (
              <EventList key={streamId ?? ''} source={{ streamId, total }} order={order} selectedPosition={event} scrollTarget={target} onOpen={openEvent} />
            ) : (
              <div className="event-list event-list--pending">
                {Array.from({ length: 12 }, (_, i) => (
                  <Skeleton key={i} />
                ))}
              </div>
            )}
            {event !== null && <EventDetailPanel position={event} onClose={closeEvent} eventHref={eventHref} streamHref={streamHref} />}
          </div>
        </section>
      </div>
    </div>
  );
}

function GoTo({ label, min, max, onGo }: { readonly label: string; readonly min: number; readonly max: number; readonly onGo: (n: number) => void }) {
  const [text, setText] = useState('');
  const value = Number(text.replaceAll(',', ''));
  const valid = text !== '' && Number.isInteger(value) && value >= min && value <= max;
  return (
    <form
      className="goto"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onGo(value);
      }}
    >
      <input
        className={`input input--small goto__input${text !== '' && !valid ? ' input--invalid' : ''}`}
        inputMode="numeric"
        placeholder={label}
        aria-label={label}
        title={`${label}: ${formatCount(min)} – ${formatCount(max)}`}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="button button--small" disabled={!valid}>
        Go
      </button>
    </form>
  );
}
