import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import type { EventRecord } from '../../../../shared/events.js';
import type { EventPage } from '../../../../shared/api/types.js';
import { api } from '../../api/client.js';
import { UNCHANGED_BY_APPENDS } from '../../api/freshness.js';
import { queryKey } from '../../api/hooks.js';
import { useSettled } from '../../ui/useSettled.js';

/** Rows per `events.page` call; pages are fixed blocks of positions (or versions), so the cache stays valid as the log grows. */
export const PAGE_SIZE = 200;

/**
 * The list's rows as ordinals 0 … total-1: for the whole log ordinal n is global position n+1 (the log is
 * gapless), for a stream it is stream version n.
 */
export interface EventSource {
  readonly streamId: string | null;
  readonly total: number;
}

/** A view that rests this long has its blocks fetched… */
const SETTLE_MS = 60;
/** …and one that keeps moving, every this often: a steady scroll fills its rows as it goes. */
const MAX_WAIT_MS = 150;
/** Rows beyond each edge of the view whose blocks are fetched too, so the next rows are there when they come into view. */
const LOOKAHEAD_ROWS = 40;
/** A view never needs more blocks than this (a screen is a few dozen rows): a bound on requests whatever happens. */
const MAX_BLOCKS = 4;

function blocksOf(total: number, firstOrdinal: number, lastOrdinal: number): number[] {
  if (total === 0 || lastOrdinal < firstOrdinal) return [];
  const first = Math.floor(Math.max(0, firstOrdinal) / PAGE_SIZE);
  const last = Math.floor(Math.min(total - 1, lastOrdinal) / PAGE_SIZE);
  const list: number[] = [];
  for (let b = first; b <= last; b++) list.push(b);
  return list;
}

function pageInput(streamId: string | null, block: number) {
  const from = block * PAGE_SIZE + (streamId === null ? 1 : 0);
  return streamId === null ? { from, limit: PAGE_SIZE } : { streamId, from, limit: PAGE_SIZE };
}

/**
 * Fetches the blocks that cover the visible ordinals (react-query caches them: scrolling back costs
 * nothing) and answers which event sits at an ordinal. A block that was the log's end when fetched is
 * fetched again once the head has moved past it.
 */
export function useEventPages(source: EventSource, firstOrdinal: number, lastOrdinal: number) {
  const queryClient = useQueryClient();
  const { streamId } = source;
  // Dragging the scrollbar across a million rows passes thousands of blocks: only the blocks where the
  // view rests (for SETTLE_MS), or passes at most every MAX_WAIT_MS, are fetched; blocks already cached
  // show at once. The two ends settle together, as one value: an end settled apart from the other would
  // span from where the view was to where it is (after a jump, thousands of blocks).
  const settled = useSettled(`${firstOrdinal}:${lastOrdinal}`, SETTLE_MS, MAX_WAIT_MS);
  const blocks = useMemo(() => {
    const [first = 0, last = -1] = settled.split(':').map(Number);
    return blocksOf(source.total, first - LOOKAHEAD_ROWS, last + LOOKAHEAD_ROWS).slice(0, MAX_BLOCKS);
  }, [source.total, settled]);
  // The same array while the blocks stay the same: the list renders on every scrolled frame.
  const queries = useMemo(
    () =>
      blocks.map((block) => {
        const input = pageInput(streamId, block);
        return {
          queryKey: queryKey('events.page', input),
          queryFn: (): Promise<EventPage> => api.call('events.page', input),
          staleTime: Infinity,
          gcTime: 60_000,
          // A block of fixed positions: the head moving does not refresh it (the short end block is, below).
          meta: UNCHANGED_BY_APPENDS,
        };
      }),
    [blocks, streamId],
  );
  const results = useQueries({ queries });

  // A block that ended short when fetched (the log's end) is refetched when the total says more exist.
  // Finer than the contract's refreshes (api/freshness.ts) on purpose: appends change no block but the one
  // that was the end, and only this exact block is fetched again, not every block of the log.
  const shortKey = blocks
    .flatMap((block, i) => {
      const data = results[i]?.data;
      return data !== undefined && data.events.length < Math.min(PAGE_SIZE, source.total - block * PAGE_SIZE) ? [`${block}:${data.events.length}`] : [];
    })
    .join(',');
  useEffect(() => {
    if (shortKey === '') return;
    for (const block of shortKey.split(',').map((entry) => Number(entry.split(':')[0]))) void queryClient.invalidateQueries({ queryKey: queryKey('events.page', pageInput(streamId, block)), exact: true });
  }, [shortKey, streamId, queryClient]);

  const byBlock = new Map<number, EventPage | undefined>();
  blocks.forEach((block, i) => byBlock.set(block, results[i]?.data));
  for (const block of blocksOf(source.total, firstOrdinal, lastOrdinal))
    if (byBlock.get(block) === undefined) byBlock.set(block, queryClient.getQueryData<EventPage>(queryKey('events.page', pageInput(streamId, block))));

  return {
    eventAt(ordinal: number): EventRecord | undefined {
      const block = Math.floor(ordinal / PAGE_SIZE);
      return byBlock.get(block)?.events[ordinal - block * PAGE_SIZE];
    },
    error: results.find((r) => r.error !== null)?.error ?? null,
    retry: () => results.forEach((r) => void (r.error !== null && r.refetch())),
  };
}
