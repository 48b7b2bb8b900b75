import { useEffect, useRef, useState } from 'react';
import type { EventRecord } from '../../../shared/events.js';
import { useSubscription } from '../api/hooks.js';

/** The tail keeps this many rows: memory and DOM stay bounded however long it runs. */
export const MAX_TAIL_ROWS = 1000;
/** At most ten redraws a second: thousands of events a second cannot be read row by row anyway. */
const MIN_REDRAW_MS = 100;

export interface LiveTailFilter {
  readonly types: readonly string[];
  readonly streamPrefix: string;
}

export interface LiveTail {
  /** Newest first. */
  readonly rows: readonly EventRecord[];
  readonly received: number;
  /** Events that arrived while paused and are not shown yet (counted even past what is kept). */
  readonly waiting: number;
  /** Events per second over the last few seconds. */
  readonly perSecond: number;
  readonly headPosition: number | null;
}

/**
 * Follows `live.events` (any process's appends) with the given filter, from `fromPosition` on (the head
 * when the tail was opened: an event appended while the subscription is being set up is not missed). Pushes (the server batches them
 * every ~50 ms) are collected and drawn in an animation frame at most every MIN_REDRAW_MS; while paused they wait, up
 * to the row limit, and the view stays still.
 */
export function useLiveTail(filter: LiveTailFilter, paused: boolean, fromPosition: number | undefined): LiveTail {
  const [state, setState] = useState<LiveTail>({ rows: [], received: 0, waiting: 0, perSecond: 0, headPosition: null });
  const pending = useRef<EventRecord[]>([]);
  const pendingCount = useRef(0);
  const head = useRef<number | null>(null);
  const arrivals = useRef<Array<{ at: number; n: number }>>([]);
  const frame = useRef<number | undefined>(undefined);
  const timer = useRef<number | undefined>(undefined);
  const lastFlush = useRef(0);
  const pausedRef = useRef(paused);
  /** The store was replaced (a restore): the next redraw drops the rows of the old log. */
  const replaced = useRef(false);
  /** The newest position taken in: a re-subscription after a reconnect replays from `fromPosition`, and repeats are dropped. */
  const newest = useRef(fromPosition ?? 0);

  const flush = () => {
    frame.current = undefined;
    const now = performance.now();
    lastFlush.current = now;
    const recent = arrivals.current.filter((a) => now - a.at < 3000);
    arrivals.current = recent;
    const span = recent.length === 0 ? 1 : Math.max(1, (now - recent[0]!.at) / 1000);
    const perSecond = recent.reduce((sum, a) => sum + a.n, 0) / Math.max(span, 1);
    const paused = pausedRef.current;
    const incoming = paused ? [] : pending.current;
    const shownCount = paused ? 0 : pendingCount.current;
    if (!paused) {
      pending.current = [];
      pendingCount.current = 0;
    }
    const waiting = pendingCount.current;
    const restart = replaced.current;
    replaced.current = false;
    setState((s) => ({
      rows: restart ? incoming.reverse() : incoming.length === 0 ? s.rows : [...incoming.reverse(), ...s.rows].slice(0, MAX_TAIL_ROWS),
      received: (restart ? 0 : s.received) + shownCount,
      waiting,
      perSecond,
      headPosition: head.current,
    }));
  };
  const schedule = () => {
    if (frame.current !== undefined || timer.current !== undefined) return;
    const wait = lastFlush.current + MIN_REDRAW_MS - performance.now();
    if (wait <= 0) frame.current = window.requestAnimationFrame(flush);
    else
      timer.current = window.setTimeout(() => {
        timer.current = undefined;
        frame.current = window.requestAnimationFrame(flush);
      }, wait);
  };

  useEffect(() => {
    pausedRef.current = paused;
    schedule();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- schedule only reads refs
  }, [paused]);
  useEffect(() => {
    // A quiet second still redraws, so the rate falls to zero when appends stop.
    const tick = window.setInterval(schedule, 1000);
    return () => {
      window.clearInterval(tick);
      window.clearTimeout(timer.current);
      window.cancelAnimationFrame(frame.current ?? 0);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- schedule only reads refs
  }, []);

  const input = {
    ...(fromPosition === undefined ? {} : { fromPosition }),
    ...(filter.types.length > 0 ? { types: [...filter.types] } : {}),
    ...(filter.streamPrefix !== '' ? { streamPrefix: filter.streamPrefix } : {}),
  };
  useSubscription('live.events', input, (batch) => {
    head.current = batch.headPosition;
    if (batch.storeReplaced === true) {
      // A restore replaced the log under the tail: what it showed (and holds back) was the old log's, and
      // positions after the restored head are given to new events again. It starts over from the new log.
      newest.current = (batch.events[0]?.globalPosition ?? batch.headPosition + 1) - 1;
      pending.current = [];
      pendingCount.current = 0;
      replaced.current = true;
    }
    const fresh = batch.events.filter((e) => e.globalPosition > newest.current);
    if (fresh.length > 0) {
      newest.current = fresh[fresh.length - 1]!.globalPosition;
      arrivals.current.push({ at: performance.now(), n: fresh.length });
      pending.current.push(...fresh);
      pendingCount.current += fresh.length;
      if (pending.current.length > MAX_TAIL_ROWS) pending.current = pending.current.slice(-MAX_TAIL_ROWS);
    }
    schedule();
  });

  return state;
}
