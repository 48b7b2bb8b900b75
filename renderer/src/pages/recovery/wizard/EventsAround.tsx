import { keepPreviousData } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import type { InputOf } from '../../../../../shared/api/contract.js';
import { useApiQuery } from '../../../api/hooks.js';
import { eventHref } from '../../../app/routes.js';
import { formatCount } from '../../../format/numbers.js';
import { ErrorPanel } from '../../../ui/ErrorPanel.js';
import { Skeleton } from '../../../ui/Skeleton.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';

type AroundTarget = InputOf<'recovery.eventsAround'>['target'];

/** Rows on each side at first and added by "Earlier" / "Later", and the API's most on each side. */
const STEP = 6;
const MOST = 200;

/**
 * The open store's events around the target: the last one kept, the line the restore stops at, and the
 * first ones left out, so the admin can pick "just before the bad event" from what the store holds.
 */
export function EventsAround({ target, onJustBefore }: { readonly target: AroundTarget | null; readonly onJustBefore: (position: number) => void }) {
  const [before, setBefore] = useState(STEP);
  const [after, setAfter] = useState(STEP);
  const around = useApiQuery('recovery.eventsAround', { target: target ?? { kind: 'position', position: 1 }, before, after }, { enabled: target !== null, placeholderData: keepPreviousData });
  const data = target === null ? undefined : around.data;
  const kept = data?.position ?? null;
  const first = data?.events[0]?.globalPosition;
  const last = data?.events[data.events.length - 1]?.globalPosition;

  return (
    <section className="events-around" aria-label="Events around the target" data-testid="events-around" data-position={kept ?? ''}>
      <header className="events-around__head">
        <h3 className="events-around__title">Events of this store around the target</h3>
        {data !== undefined && (
          <span className="muted">
            {kept === null ? 'the target is before the first event' : `keeps #1 – #${formatCount(kept)}`} · head #{formatCount(data.headPosition)}
            {data.headPosition > (kept ?? 0) && ` · ${formatCount(data.headPosition - (kept ?? 0))} events after the target are left out`}
          </span>
        )}
        <span className="toolbar-spacer" />
        <button type="button" className="button button--small" disabled={data === undefined || first === undefined || first <= 1 || before >= MOST} onClick={() => setBefore((b) => Math.min(MOST, b + STEP))}>
          Earlier
        </button>
        <button type="button" className="button button--small" disabled={data === undefined || last === undefined || last >= data.headPosition || after >= MOST} onClick={() => setAfter((a) => Math.min(MOST, a + STEP))}>
          Later
        </button>
      </header>
      {target === null ? (
        <p className="muted events-around__note">The position of the latest archive is known once the plan is read.</p>
      ) : around.error !== null ? (
        <ErrorPanel error={around.error} title="The events around the target could not be read" onRetry={() => void around.refetch()} />
      ) : data === undefined ? (
        <div className="events-around__loading" aria-busy="true">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} />
          ))}
        </div>
      ) : data.events.length === 0 ? (
        <p className="muted events-around__note">This store holds no events near the target{data.headPosition === 0 ? ' (it is empty)' : ''}: nothing of it is left out.</p>
      ) : (
        <table className={`events-around__table${around.isPlaceholderData ? ' events-around__table--stale' : ''}`}>
          <thead>
            <tr>
              <th scope="col" className="num">
                Position
              </th>
              <th scope="col">Recorded</th>
              <th scope="col">Stream</th>
              <th scope="col">Type</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.events.map((e) => {
              const state = kept === null || e.globalPosition > kept ? 'lost' : e.globalPosition === kept ? 'target' : 'kept';
              return (
                <Fragment key={e.globalPosition}>
                  {kept === null && e === data.events[0] && <StopLine />}
                  <tr className={`events-around__row events-around__row--${state}`} data-testid="around-event" data-position={e.globalPosition} data-state={state}>
                    <td className="num mono">
                      <a href={eventHref(e.globalPosition)} title="Open this event on the Streams page">
                        #{formatCount(e.globalPosition)}
                      </a>
                    </td>
                    <td>
                      <TimeStamp at={e.recordedAt} mode="absolute" />
                    </td>
                    <td className="mono events-around__stream" title={e.streamId}>
                      {e.streamId}
                    </td>
                    <td className="events-around__type">{e.type}</td>
                    <td className="events-around__action">
                      {state === 'target' ? (
                        <span className="status-pill status-pill--accent">last event kept</span>
                      ) : (
                        <button
                          type="button"
                          className="button button--small events-around__pick"
                          disabled={e.globalPosition <= 1}
                          title={e.globalPosition <= 1 ? 'This is the first event: a restore keeps at least one event' : `Restore positions 1 – ${formatCount(e.globalPosition - 1)}: this event and everything after it are left out`}
                          onClick={() => onJustBefore(e.globalPosition - 1)}
                          aria-label={`Restore to just before event #${e.globalPosition}`}
                          data-testid="just-before"
                        >
                          Restore to just before
                        </button>
                      )}
                    </td>
                  </tr>
                  {e.globalPosition === kept && e !== data.events[data.events.length - 1] && <StopLine />}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function StopLine() {
  return (
    <tr className="events-around__stop">
      <td colSpan={5}>The restore stops here — the events below are left out</td>
    </tr>
  );
}
