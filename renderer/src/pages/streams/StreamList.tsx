import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState } from 'react';
import type { StreamPage } from '../../../../shared/api/contract.js';
import { api } from '../../api/client.js';
import { navigate } from '../../app/useRoute.js';
import { streamsHref } from '../../app/routes.js';
import { formatCount } from '../../format/numbers.js';
import { formatIsoUtc } from '../../format/time.js';
import { ErrorPanel } from '../../ui/ErrorPanel.js';
import { moveInList } from '../../ui/listKeys.js';
import { Skeleton } from '../../ui/Skeleton.js';
import { useDebounced } from '../../ui/useDebounced.js';

const PAGE_SIZE = 100;
const ROW_HEIGHT = 30;

/**
 * Streams in id order, searched by substring, fetched a page at a time with keyset paging (`after` /
 * `nextAfter`): 100k streams cost one page per 100 scrolled past, never a full load.
 */
export const StreamList = memo(function StreamList({ selected }: { readonly selected: string | null }) {
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim(), 200);
  const input = search === '' ? { limit: PAGE_SIZE } : { search, limit: PAGE_SIZE };
  const streams = useInfiniteQuery({
    queryKey: ['streams.list', input] as const,
    queryFn: ({ pageParam }): Promise<StreamPage> => api.call('streams.list', pageParam === null ? input : { ...input, after: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextAfter,
    staleTime: 30_000,
  });
  const rows = streams.data?.pages.flatMap((p) => p.streams) ?? [];
  const totalStreams = streams.data?.pages[0]?.totalStreams;
  const hasMore = streams.hasNextPage;
  // Row 0 is "All events"; a last row stands for the page still to come.
  const count = 1 + rows.length + (hasMore ? 1 : 0);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items[items.length - 1]?.index ?? 0;
  const { fetchNextPage, isFetchingNextPage } = streams;
  useEffect(() => {
    if (hasMore && !isFetchingNextPage && lastVisible >= count - 20) void fetchNextPage();
  }, [hasMore, isFetchingNextPage, lastVisible, count, fetchNextPage]);

  const selectedIndex = selected === null ? 0 : 1 + rows.findIndex((s) => s.streamId === selected);
  const [active, setActive] = useState<number | null>(null);
  const activeIndex = active ?? Math.max(0, selectedIndex);
  const open = (index: number) => {
    if (index === 0) navigate(streamsHref());
    else {
      const stream = rows[index - 1];
      if (stream !== undefined) navigate(streamsHref({ streamId: stream.streamId }));
    }
  };

  return (
    <aside className="stream-list" aria-label="Streams">
      <div className="stream-list__search">
        <input
          className="input"
          type="search"
          data-search
          placeholder="Search streams   /"
          aria-label="Search streams by any part of their id"
          value={searchText}
          onChange={(e) => {
            setSearchText(e.target.value);
            setActive(null);
            virtualizer.scrollToOffset(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive(rows.length > 0 ? 1 : 0);
              scroller.current?.focus();
            } else if (e.key === 'Enter') {
              open(rows.length > 0 ? 1 : 0);
            }
          }}
        />
      </div>
      <div
        className="stream-list__scroller"
        ref={scroller}
        tabIndex={0}
        role="listbox"
        aria-label="Streams"
        aria-activedescendant={`stream-option-${activeIndex}`}
        data-testid="stream-list"
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            open(activeIndex);
            return;
          }
          const next = moveInList(e.key, activeIndex, 1 + rows.length, 15);
          if (next === undefined) return;
          e.preventDefault();
          setActive(next);
          virtualizer.scrollToIndex(next, { align: 'auto' });
        }}
      >
        <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const style = { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT };
            if (item.index === 0)
              return (
                <div
                  key="all"
                  id="stream-option-0"
                  role="option"
                  aria-selected={selected === null}
                  className={`stream-row stream-row--all${selected === null ? ' stream-row--selected' : ''}${activeIndex === 0 ? ' stream-row--active' : ''}`}
                  style={style}
                  onClick={() => open(0)}
                >
                  <span className="stream-row__id">All events</span>
                  <span className="stream-row__count">the whole log</span>
                </div>
              );
            const stream = rows[item.index - 1];
            if (stream === undefined)
              return (
                <div key="more" className="stream-row stream-row--loading" style={style}>
                  <Skeleton width="70%" />
                </div>
              );
            const isSelected = stream.streamId === selected;
            return (
              <div
                key={stream.streamId}
                id={`stream-option-${item.index}`}
                role="option"
                aria-selected={isSelected}
                data-stream-id={stream.streamId}
                className={`stream-row${isSelected ? ' stream-row--selected' : ''}${activeIndex === item.index ? ' stream-row--active' : ''}`}
                style={style}
                title={`${stream.streamId}\n${formatCount(stream.events)} events · last updated ${formatIsoUtc(stream.updatedAt)}`}
                onClick={() => {
                  setActive(item.index);
                  open(item.index);
                }}
              >
                <span className="stream-row__id mono">{stream.streamId}</span>
                <span className="stream-row__count">{formatCount(stream.events)}</span>
              </div>
            );
          })}
        </div>
        {streams.isPending && (
          <div className="stream-list__loading">
            {Array.from({ length: 8 }, (_, i) => (
              <Skeleton key={i} width={`${60 + ((i * 13) % 30)}%`} />
            ))}
          </div>
        )}
      </div>
      {streams.error !== null && <ErrorPanel error={streams.error} title="Streams could not be listed" onRetry={() => void streams.refetch()} />}
      <footer className="stream-list__foot" data-testid="stream-list-foot">
        {streams.isPending ? (
          'Loading streams…'
        ) : search === '' ? (
          <>
            {formatCount(rows.length)} of {formatCount(totalStreams ?? rows.length)} streams{hasMore ? ', more as you scroll' : ''}
          </>
        ) : rows.length === 0 ? (
          <>No stream id contains “{search}”</>
        ) : (
          <>
            {formatCount(rows.length)}
            {hasMore ? '+' : ''} streams contain “{search}”
          </>
        )}
      </footer>
    </aside>
  );
});
