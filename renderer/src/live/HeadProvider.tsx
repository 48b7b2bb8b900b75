import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { HeadNotice } from '../../../shared/api/types.js';
import type { QueryMethod } from '../api/hooks.js';
import { useSubscription } from '../api/hooks.js';

/**
 * Queries whose answer changes when the log grows, and how often at most each is refreshed while it does.
 * The overview is the costly one (it counts the streams, and file sizes move slowly); what moves with
 * every append (head, event count) is read from the pushed head instead.
 */
const HEAD_DEPENDENT: ReadonlyArray<readonly [QueryMethod, number]> = [
  ['store.overview', 5000],
  ['store.eventRate', 1000],
  ['events.types', 1000],
  ['streams.get', 1000],
];

const HeadContext = createContext<HeadNotice | undefined>(undefined);

/**
 * One `live.head` subscription for the whole console: the status bar, the event list and Overview read
 * the head from here, and head-dependent queries are invalidated from here (not polled); when the server
 * says the store was replaced, all of them are.
 */
export function HeadProvider({ children }: { readonly children: ReactNode }) {
  const queryClient = useQueryClient();
  const [head, setHead] = useState<HeadNotice | undefined>(undefined);
  const last = useRef(new Map<QueryMethod, number>());
  const timers = useRef(new Map<QueryMethod, number>());
  const previous = useRef<number | undefined>(undefined);

  useSubscription('live.head', {}, (notice) => {
    setHead(notice);
    if (notice.storeReplaced === true) {
      // Another store took the open one's place (a restore, from this console or another): every answer
      // read from the old one may be stale, whatever page shows it. Subscriptions follow on the server.
      previous.current = notice.headPosition;
      void queryClient.invalidateQueries();
      return;
    }
    const moved = previous.current !== undefined && previous.current !== notice.headPosition;
    previous.current = notice.headPosition;
    if (!moved) return;
    for (const [method, throttleMs] of HEAD_DEPENDENT) {
      const run = () => {
        last.current.set(method, Date.now());
        timers.current.delete(method);
        void queryClient.invalidateQueries({ queryKey: [method] });
      };
      const wait = throttleMs - (Date.now() - (last.current.get(method) ?? 0));
      if (wait <= 0) run();
      else if (!timers.current.has(method)) timers.current.set(method, window.setTimeout(run, wait));
    }
  });
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((t) => window.clearTimeout(t));
  }, []);

  return <HeadContext.Provider value={head}>{children}</HeadContext.Provider>;
}

/** The log's head as last pushed (undefined until the first push). */
export function useHead(): HeadNotice | undefined {
  return useContext(HeadContext);
}
