import { toEventRecord } from '../../store/storedEvent.js';
import type { HandlersFor } from '../handler.js';

/** Live pushes are batched: at most one push per subscriber every BATCH_MS, however fast events arrive. */
const BATCH_MS = 100;
/** A live view shows the newest events; a burst beyond this is summarised by headPosition instead. */
const MAX_EVENTS_PER_PUSH = 500;

export const liveHandlers: HandlersFor<'live.events' | 'live.head'> = {
  'live.events': ({ fromPosition, types, streamPrefix }, { host }, push) => {
    let pending: ReturnType<typeof toEventRecord>[] = [];
    let head = host.feed.headPosition;
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      const events = pending.length > MAX_EVENTS_PER_PUSH ? pending.slice(-MAX_EVENTS_PER_PUSH) : pending;
      pending = [];
      push({ events, headPosition: head });
    };
    const subscription = host.feed.subscribe({
      fromPosition,
      filter: { types, streamPrefix },
      deliver: (events, headPosition) => {
        head = headPosition;
        for (const e of events) pending.push(toEventRecord(e));
        if (pending.length > MAX_EVENTS_PER_PUSH * 2) pending = pending.slice(-MAX_EVENTS_PER_PUSH);
        timer ??= setTimeout(flush, BATCH_MS);
      },
    });
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      subscription.unsubscribe();
    };
  },

  'live.head': (_input, { host }, push) => {
    let timer: NodeJS.Timeout | undefined;
    const send = () => {
      timer = undefined;
      const head = host.store.head();
      push({ headPosition: head.position, headHash: head.hash });
    };
    send();
    const stop = host.feed.watchHead(() => {
      timer ??= setTimeout(send, BATCH_MS);
    });
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      stop();
    };
  },
};
