import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { EventRecord } from '../../../../shared/events.js';
import { useApiQuery } from '../../api/hooks.js';
import { formatCount, formatRate } from '../../format/numbers.js';
import { useHead } from '../../live/HeadProvider.js';
import { MAX_TAIL_ROWS, useLiveTail, type LiveTailFilter } from '../../live/useLiveTail.js';
import { ErrorPanel } from '../../ui/ErrorPanel.js';
import { moveInList } from '../../ui/listKeys.js';
import { useDebounced } from '../../ui/useDebounced.js';
import { ROW_HEIGHT } from './EventList.js';
import { EventListHead, EventRowCells } from './EventRowCells.js';

interface Props {
  readonly selectedPosition: number | null;
  readonly onOpen: (event: EventRecord) => void;
}

/** Events as any process appends them, newest on top, with pause/resume and filters by type and stream prefix. */
export const LiveTail = memo(function LiveTail({ selectedPosition, onOpen }: Props) {
  const [types, setTypes] = useState<readonly string[]>([]);
  const [prefixText, setPrefixText] = useState('');
  const streamPrefix = useDebounced(prefixText.trim(), 300);
  const [paused, setPaused] = useState(false);
  const filter: LiveTailFilter = { types, streamPrefix };
  return (
    <div className="live-tail" data-testid="live-tail">
      <div className="toolbar">
        <button type="button" className={`button button--small${paused ? ' button--primary' : ''}`} onClick={() => setPaused((p) => !p)} aria-pressed={paused} data-testid="live-pause">
          {paused ? 'Resume' : 'Pause'}
        </button>
        <TypeFilter selected={types} onChange={setTypes} />
        <input
          className="input input--small live-tail__prefix"
          type="search"
          placeholder="Stream prefix, e.g. order-"
          aria-label="Only streams starting with"
          value={prefixText}
          onChange={(e) => setPrefixText(e.target.value)}
        />
      </div>
      {/* A new filter is a new subscription and a fresh tail. */}
      <TailRows key={JSON.stringify(filter)} filter={filter} paused={paused} selectedPosition={selectedPosition} onOpen={onOpen} />
    </div>
  );
});

function TailRows({ filter, paused, selectedPosition, onOpen }: Props & { readonly filter: LiveTailFilter; readonly paused: boolean }) {
  const head = useHead();
  // Where this tail starts: fixed when it mounts (a new filter mounts a new tail).
  const [fromPosition] = useState(() => head?.headPosition);
  const tail = useLiveTail(filter, paused, fromPosition);
  const scroller = useRef<HTMLDivElement>(null);
  // Rows are keyed by slot, not by event: while events pour in, each slot's row element stays and only
  // its text changes, instead of every visible row being torn down and built again on each redraw.
  // TanStack Virtual returns fresh functions each render, so the React Compiler leaves this component alone; that is intended.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: tail.rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const [active, setActive] = useState<number | null>(null);
  const pick = useCallback(
    (index: number, event: EventRecord) => {
      setActive(index);
      onOpen(event);
    },
    [onOpen],
  );
  const filtered = filter.types.length > 0 || filter.streamPrefix !== '';
  return (
    <>
      <div className="live-tail__status" data-testid="live-status">
        <span className={`dot ${paused ? 'dot--warn' : 'dot--ok dot--pulse'}`} />
        <span>{paused ? 'Paused' : 'Following'}</span>
        <span className="muted">
          {formatCount(tail.received)} received{filtered ? ' (filtered)' : ''} · {formatRate(tail.perSecond, 'events')}
          {tail.headPosition !== null && ` · head ${formatCount(tail.headPosition)}`}
        </span>
        {paused && tail.waiting > 0 && (
          <span className="live-tail__waiting" data-testid="live-waiting">
            {formatCount(tail.waiting)} new while paused{tail.waiting > MAX_TAIL_ROWS ? ` (the newest ${formatCount(MAX_TAIL_ROWS)} will show)` : ''}
          </span>
        )}
        <span className="muted live-tail__limit">keeps the newest {formatCount(MAX_TAIL_ROWS)}</span>
      </div>
      <div className="event-list">
        <EventListHead />
        <div
          className="event-list__scroller"
          ref={scroller}
          tabIndex={0}
          role="grid"
          aria-label="Live tail"
          aria-rowcount={tail.rows.length}
          data-testid="live-rows"
          onKeyDown={(e) => {
            const current = active ?? -1;
            if (e.key === 'Enter' && active !== null) {
              const event = tail.rows[active];
              if (event !== undefined) onOpen(event);
              return;
            }
            const next = moveInList(e.key, current, tail.rows.length, 15);
            if (next === undefined) return;
            e.preventDefault();
            setActive(next);
            virtualizer.scrollToIndex(next);
          }}
        >
          <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            <div className="virtual-rows" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
              {items.map((item) => {
                const event = tail.rows[item.index];
                return event === undefined ? null : (
                  <TailRow key={item.key} index={item.index} event={event} selected={event.globalPosition === selectedPosition} active={item.index === active} onPick={pick} />
                );
              })}
            </div>
          </div>
          {tail.rows.length === 0 && (
            <div className="event-list__empty">
              {paused ? 'Paused.' : 'Waiting for new events…'} Events appended by any process (this console, <code>pconsole append</code>, an application) appear here within a second
              {filtered ? ', if they match the filter' : ''}.
            </div>
          )}
        </div>
      </div>
    </>
  );
}

interface TailRowProps {
  readonly index: number;
  readonly event: EventRecord;
  readonly selected: boolean;
  readonly active: boolean;
  readonly onPick: (index: number, event: EventRecord) => void;
}

const TailRow = memo(function TailRow({ index, event, selected, active, onPick }: TailRowProps) {
  return (
    <div
      className={`event-row${selected ? ' event-row--selected' : ''}${active ? ' event-row--active' : ''}`}
      role="row"
      data-position={event.globalPosition}
      onClick={() => onPick(index, event)}
    >
      <EventRowCells event={event} />
    </div>
  );
});

function TypeFilter({ selected, onChange }: { readonly selected: readonly string[]; readonly onChange: (types: readonly string[]) => void }) {
  const types = useApiQuery('events.types', {}, { staleTime: 10_000 });
  const label = selected.length === 0 ? 'All types' : selected.length === 1 ? selected[0] : `${selected.length} types`;
  const details = useRef<HTMLDetailsElement>(null);
  // Like any menu: a click elsewhere or Esc closes it.
  useEffect(() => {
    const close = (e: Event) => {
      const el = details.current;
      if (el === null || !el.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !el.contains(e.target as Node)) {
        el.open = false;
        if (e instanceof KeyboardEvent) e.preventDefault();
      }
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close, true);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close, true);
    };
  }, []);
  return (
    <details className="dropdown" ref={details}>
      <summary className="button button--small">Type: {label}</summary>
      <div className="dropdown__menu" role="group" aria-label="Event types">
        {types.error !== null && <ErrorPanel error={types.error} title="Event types could not be loaded" />}
        {types.data?.length === 0 && <div className="muted dropdown__empty">No event types yet.</div>}
        {selected.length > 0 && (
          <button type="button" className="button button--small button--quiet" onClick={() => onChange([])}>
            Show all types
          </button>
        )}
        {types.data?.map((t) => (
          <label key={t.type} className="dropdown__option">
            <input
              type="checkbox"
              checked={selected.includes(t.type)}
              onChange={(e) => onChange(e.target.checked ? [...selected, t.type] : selected.filter((s) => s !== t.type))}
            />
            <span className="dropdown__name">{t.type}</span>
            <span className="muted num">{formatCount(t.events)}</span>
          </label>
        ))}
      </div>
    </details>
  );
}
