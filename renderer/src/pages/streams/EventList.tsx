import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { EventRecord } from '../../../../shared/events.js';
import { formatCount } from '../../format/numbers.js';
import { ErrorPanel } from '../../ui/ErrorPanel.js';
import { moveInList } from '../../ui/listKeys.js';
import { Skeleton } from '../../ui/Skeleton.js';
import { useEventPages, type EventSource } from './eventPages.js';
import { EventListHead, EventRowCells } from './EventRowCells.js';

export const ROW_HEIGHT = 26;
/**
 * Browsers cap an element's height (Chromium near 33.5 million px): at most this many rows share one
 * scrollbar. Bigger logs show a window of this many rows, moved by "Go to position".
 */
const MAX_ROWS = 1_250_000;

export type Order = 'oldest' | 'newest';

export interface ScrollTarget {
  readonly ordinal: number;
  /** Changes for every request, so asking twice for the same row scrolls twice. */
  readonly nonce: number;
}

interface Props {
  readonly source: EventSource;
  readonly order: Order;
  readonly selectedPosition: number | null;
  readonly scrollTarget: ScrollTarget | null;
  readonly onOpen: (event: EventRecord) => void;
}

/**
 * The whole log (or one stream) as one virtualized list: row i is position i+1 (or version i), so the
 * scrollbar stands for the whole result; only the blocks on screen are fetched.
 */
export function EventList({ source, order, selectedPosition, scrollTarget, onOpen }: Props) {
  const { total } = source;
  const [base, setBase] = useState(0);
  const windowBase = Math.max(0, Math.min(base, total - MAX_ROWS));
  const count = Math.min(total, MAX_ROWS);
  const ordinalOf = (index: number) => (order === 'oldest' ? windowBase + index : total - 1 - (windowBase + index));

  const scroller = useRef<HTMLDivElement>(null);
  // TanStack Virtual returns fresh functions each render, so the React Compiler leaves this component alone; that is intended.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? -1;
  const ordinals = lastIndex < 0 ? [] : [ordinalOf(firstIndex), ordinalOf(lastIndex)];
  const pages = useEventPages(source, Math.min(...ordinals), Math.max(...ordinals));

  const [active, setActive] = useState<number | null>(null);

  const handled = useRef<number | null>(null);
  useEffect(() => {
    if (scrollTarget === null || handled.current === scrollTarget.nonce || total === 0) return;
    const ordinal = Math.max(0, Math.min(total - 1, scrollTarget.ordinal));
    let index = order === 'oldest' ? ordinal - windowBase : total - 1 - ordinal - windowBase;
    if (index < 0 || index >= count) {
      const newBase = Math.max(0, Math.min(total - MAX_ROWS, (order === 'oldest' ? ordinal : total - 1 - ordinal) - Math.floor(MAX_ROWS / 2)));
      setBase(newBase);
      if (newBase !== windowBase) return; // scrolls on the next run, with the new window
      index = Math.max(0, Math.min(count - 1, index));
    }
    handled.current = scrollTarget.nonce;
    // A row opened by a click is already on screen: it stays where it is.
    const visible = virtualizer.range;
    if (visible === null || index <= visible.startIndex || index >= visible.endIndex) virtualizer.scrollToIndex(index, { align: 'center' });
    setActive(index);
  }, [scrollTarget, total, order, windowBase, count, virtualizer]);

  const activeIndex = active !== null && active < count ? active : null;
  const pick = useCallback(
    (index: number, event: EventRecord) => {
      setActive(index);
      onOpen(event);
    },
    [onOpen],
  );
  const openIndex = (index: number) => {
    const event = pages.eventAt(ordinalOf(index));
    if (event !== undefined) onOpen(event);
  };

  return (
    <div className={`event-list${source.streamId === null ? '' : ' event-list--in-stream'}`}>
      <EventListHead />
      {total > MAX_ROWS && (
        <div className="event-list__window">
          Showing {formatCount(count)} of {formatCount(total)} rows around {order === 'oldest' ? 'the start' : 'the end'}
          {windowBase > 0 ? ` (from row ${formatCount(windowBase + 1)})` : ''}: use Go to position to reach the others.
        </div>
      )}
      <div
        className="event-list__scroller"
        ref={scroller}
        tabIndex={0}
        role="grid"
        aria-label={source.streamId === null ? 'Events of the whole log' : `Events of stream ${source.streamId}`}
        aria-rowcount={total}
        data-testid="event-list"
        onKeyDown={(e) => {
          const current = activeIndex ?? firstIndex;
          if (e.key === 'Enter') {
            e.preventDefault();
            openIndex(current);
            return;
          }
          const next = moveInList(e.key, activeIndex === null ? current - 1 : current, count, Math.max(1, items.length - 4));
          if (next === undefined) return;
          e.preventDefault();
          setActive(next);
          virtualizer.scrollToIndex(next, { align: 'auto' });
        }}
      >
        <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
          {/* One translated block of rows in normal flow: scrolling moves one layer, not one per row. */}
          <div className="virtual-rows" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
            {items.map((item) => {
              const ordinal = ordinalOf(item.index);
              const event = pages.eventAt(ordinal);
              return (
                <EventRow
                  key={item.key}
                  index={item.index}
                  ordinal={ordinal}
                  event={event}
                  inStream={source.streamId !== null}
                  selected={event !== undefined && event.globalPosition === selectedPosition}
                  active={item.index === activeIndex}
                  onPick={pick}
                />
              );
            })}
          </div>
        </div>
        {total === 0 && <div className="event-list__empty">{source.streamId === null ? 'The log is empty: no events have been appended yet.' : 'This stream has no events.'}</div>}
      </div>
      {pages.error !== null && <ErrorPanel error={pages.error} title="Events could not be loaded" onRetry={pages.retry} />}
    </div>
  );
}

interface RowProps {
  readonly index: number;
  readonly ordinal: number;
  /** Undefined while its page is loading. */
  readonly event: EventRecord | undefined;
  readonly inStream: boolean;
  readonly selected: boolean;
  readonly active: boolean;
  readonly onPick: (index: number, event: EventRecord) => void;
}

/**
 * One row. Memoised: while the list scrolls only the rows that come into view render, the others keep
 * their props (the same event object from the page cache) and are skipped.
 */
const EventRow = memo(function EventRow({ index, ordinal, event, inStream, selected, active, onPick }: RowProps) {
  const className = `event-row${selected ? ' event-row--selected' : ''}${active ? ' event-row--active' : ''}`;
  if (event === undefined)
    return (
      <div className={`${className} event-row--loading`} role="row" aria-rowindex={ordinal + 1}>
        <span className="num mono">{inStream ? <Skeleton width="5em" still /> : formatCount(ordinal + 1)}</span>
        <Skeleton width="11em" still />
        <span className="event-row__stream">
          <Skeleton width="8em" still />
        </span>
        <span className="num mono">{inStream ? formatCount(ordinal) : <Skeleton width="2em" still />}</span>
        <Skeleton width="9em" still />
        <Skeleton width="7em" still />
      </div>
    );
  return (
    <div className={className} role="row" aria-rowindex={ordinal + 1} data-position={event.globalPosition} onClick={() => onPick(index, event)}>
      <EventRowCells event={event} />
    </div>
  );
});
