import type { LeftOut } from '../../../../../shared/recovery.js';
import { formatCount } from '../../../format/numbers.js';
import { DataTable, type Column } from '../../../ui/DataTable.js';
import { TimeStamp } from '../../../ui/TimeStamp.js';
import { CountBarChart, type CountRow } from './CountBarChart.js';

function countColumns(nameLabel: string, total: number): Column<CountRow>[] {
  return [
    { id: 'name', label: nameLabel, header: nameLabel, mono: true, sortValue: (r) => r.name, cell: (r) => r.name, title: (r) => r.name },
    { id: 'events', label: 'Events', header: 'Events', width: 90, align: 'right', sortValue: (r) => r.events, cell: (r) => formatCount(r.events) },
    { id: 'share', label: 'Share', header: 'Share', width: 70, align: 'right', sortValue: (r) => r.events, cell: (r) => (total > 0 ? `${((r.events / total) * 100).toFixed(1)}%` : '—') },
  ];
}

/**
 * What the target leaves out of the current store: the events after it, by stream and by type (a chart of
 * the largest and the whole table), the positions and times they span, and how the histories compare.
 */
export function LeftOutView({ leftOut }: { readonly leftOut: LeftOut }) {
  if (!leftOut.available)
    return (
      <div className="left-out left-out--unavailable" data-testid="left-out" data-events="" data-available="false">
        <p className="left-out__summary">
          <strong>What will be lost cannot be computed:</strong> the current store could not be read, so the events it held after the target are not known.
        </p>
        {leftOut.reason !== null && (
          <p className="muted left-out__reason" data-testid="left-out-reason">
            Why: {leftOut.reason}
          </p>
        )}
        <p className="muted">Nothing of it is deleted: an in-place restore keeps it, as it is, in the store set aside beside the restored one.</p>
      </div>
    );
  const byStream = leftOut.byStream.map((s) => ({ name: s.streamId, events: s.events }));
  const byType = leftOut.byType.map((t) => ({ name: t.type, events: t.events }));
  return (
    <div className="left-out" data-testid="left-out" data-events={leftOut.events}>
      {leftOut.historyDiverged && (
        <p className="tone-bad left-out__note">
          The current store holds another event at the restored head position: its history differs from the archives’. Every event of the current store after their common part is replaced.
        </p>
      )}
      {leftOut.regained > 0 && (
        <p className="tone-ok left-out__note">
          The restored store holds {formatCount(leftOut.regained)} events the current store lacks (it lost its tail): they come back.
        </p>
      )}
      {leftOut.events === 0 ? (
        <p className="left-out__none" data-testid="left-out-none">
          Nothing is lost: the current store holds no event after the target{leftOut.currentHeadPosition === null ? '' : ` (its head is #${formatCount(leftOut.currentHeadPosition)})`}.
        </p>
      ) : (
        <>
          <p className="left-out__summary">
            <strong className="tone-bad">{formatCount(leftOut.events)} events</strong> of {formatCount(leftOut.streams)} {leftOut.streams === 1 ? 'stream' : 'streams'}
            {leftOut.fromPosition !== null && leftOut.toPosition !== null && (
              <>
                , positions #{formatCount(leftOut.fromPosition)} – #{formatCount(leftOut.toPosition)}
              </>
            )}
            {leftOut.firstRecordedAt !== null && leftOut.lastRecordedAt !== null && (
              <>
                , recorded <TimeStamp at={leftOut.firstRecordedAt} mode="absolute" /> – <TimeStamp at={leftOut.lastRecordedAt} mode="absolute" />
              </>
            )}
            .
          </p>
          <div className="left-out__grid">
            <figure className="left-out__part" data-testid="left-out-by-stream">
              <figcaption className="backup-chart__title">By stream{leftOut.streams > byStream.length && ` (the ${formatCount(byStream.length)} with the most of ${formatCount(leftOut.streams)})`}</figcaption>
              <CountBarChart rows={byStream} total={leftOut.events} label="Left-out events by stream" tone="bad" />
              <div className="left-out__table">
                <DataTable rows={byStream} columns={countColumns('Stream', leftOut.events)} rowKey={(r) => r.name} label="Left-out events by stream" initialSort={{ id: 'events', dir: 'desc' }} rowData={(r) => ({ 'data-name': r.name, 'data-events': String(r.events) })} />
              </div>
            </figure>
            <figure className="left-out__part" data-testid="left-out-by-type">
              <figcaption className="backup-chart__title">By event type</figcaption>
              <CountBarChart rows={byType} total={leftOut.events} label="Left-out events by type" tone="bad" />
              <div className="left-out__table">
                <DataTable rows={byType} columns={countColumns('Type', leftOut.events)} rowKey={(r) => r.name} label="Left-out events by type" initialSort={{ id: 'events', dir: 'desc' }} rowData={(r) => ({ 'data-name': r.name, 'data-events': String(r.events) })} />
              </div>
            </figure>
          </div>
        </>
      )}
    </div>
  );
}
