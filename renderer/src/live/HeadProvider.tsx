import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { HeadNotice } from '../../../shared/api/types.js';
import { preloadContract, refreshAfter, refreshAfterAppends, throttle, type Throttle } from '../api/freshness.js';
import { useSubscription } from '../api/hooks.js';

/**
 * How often at most the queries that read the log are refreshed while it grows: what moves with every
 * append (head, event count) is read from the pushed head itself, in between.
 */
const HEAD_REFRESH_MS = 1000;
/**
 * A refresh waits this long after the head moved: the moved head is pushed before the events themselves
 * (the live tail's batch follows within ~100 ms), and the queries a refresh sends would otherwise reach
 * the server first and hold that batch up.
 */
const HEAD_SETTLE_MS = 300;

const HeadContext = createContext<HeadNotice | undefined>(undefined);

/**
 * One `live.head` subscription for the whole console: the status bar, the event list and Overview read
 * the head from here, and the head moving refreshes what appends change (api/freshness.ts), at most once
 * a second, instead of each screen polling; when the server says the store was replaced, everything is.
 */
export function HeadProvider({ children }: { readonly children: ReactNode }) {
  const queryClient = useQueryClient();
  const [head, setHead] = useState<HeadNotice | undefined>(undefined);
  const previous = useRef<number | undefined>(undefined);
  const appended = useRef<Throttle | null>(null);
  useEffect(() => {
    const refresh = throttle(() => void refreshAfterAppends(queryClient), HEAD_REFRESH_MS, HEAD_SETTLE_MS);
    appended.current = refresh;
    // The refreshes need the contract's table: load it once the first screen is drawn, not at the first append.
    const preload = window.setTimeout(preloadContract, 1500);
    return () => {
      refresh.cancel();
      window.clearTimeout(preload);
    };
  }, [queryClient]);

  useSubscription('live.head', {}, (notice) => {
    setHead(notice);
    const moved = previous.current !== undefined && previous.current !== notice.headPosition;
    previous.current = notice.headPosition;
    if (notice.storeReplaced === true) {
      // Another store took the open one's place (a restore, from this console or another): every answer
      // read from the old one may be stale, whatever page shows it. Subscriptions follow on the server.
      void refreshAfter(queryClient, 'everything');
      return;
    }
    if (moved) appended.current?.call();
  });

  return <HeadContext.Provider value={head}>{children}</HeadContext.Provider>;
}

/** The log's head as last pushed (undefined until the first push). */
export function useHead(): HeadNotice | undefined {
  return useContext(HeadContext);
}
