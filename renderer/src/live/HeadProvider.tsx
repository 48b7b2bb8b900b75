import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { HeadNotice } from '../../../shared/api/types.js';
import type { QueryMethod } from '../api/hooks.js';
import { useSubscription } from '../api/hooks.js';

/** Queries whose answer changes when the log grows: refreshed at most once a second while it does. */
const HEAD_DEPENDENT: readonly QueryMethod[] = ['store.overview', 'store.eventRate', 'events.types', 'streams.get'];
const THROTTLE_MS = 1000;

const HeadContext = createContext<HeadNotice | undefined>(undefined);

/**
 * One `live.head` subscription for the whole console: the status bar, the event list and Overview read
 * the head from here, and head-dependent queries are invalidated from here (not polled).
 */
export function HeadProvider({ children }: { readonly children: ReactNode }) {
  const queryClient = useQueryClient();
  const [head, setHead] = useState<HeadNotice | undefined>(undefined);
  const last = useRef(0);
  const timer = useRef<number | undefined>(undefined);
  const previous = useRef<number | undefined>(undefined);

  useSubscription('live.head', {}, (notice) => {
    setHead(notice);
    const moved = previous.current !== undefined && previous.current !== notice.headPosition;
    previous.current = notice.headPosition;
    if (!moved) return;
    const run = () => {
      last.current = Date.now();
      timer.current = undefined;
      for (const method of HEAD_DEPENDENT) void queryClient.invalidateQueries({ queryKey: [method] });
    };
    const wait = THROTTLE_MS - (Date.now() - last.current);
    if (wait <= 0) run();
    else timer.current ??= window.setTimeout(run, wait);
  });
  useEffect(() => () => window.clearTimeout(timer.current), []);

  return <HeadContext.Provider value={head}>{children}</HeadContext.Provider>;
}

/** The log's head as last pushed (undefined until the first push). */
export function useHead(): HeadNotice | undefined {
  return useContext(HeadContext);
}
