import { toEventRecord, type StoredEvent } from '../../store/index.js';
import type { HandlersFor } from '../handler.js';

/**
 * Live pushes are batched: at most one push per subscriber every BATCH_MS, of at most
 * MAX_EVENTS_PER_PUSH events, however fast events arrive. Small pushes keep the work of each (records,
 * JSON, the socket write) to a few ms of the main loop; together they carry up to 5,000 events/s.
 */
const BATCH_MS = 50;
const MAX_EVENTS_PER_PUSH = 250;
/** A live view shows the newest events: a backlog beyond this is cut to its newest (headPosition still says where the log is). */
const MAX_BACKLOG = 4 * MAX_EVENTS_PER_PUSH;
/** Head notices: every view that shows the head redraws on each, so ten a second is plenty. */
const HEAD_BATCH_MS = 100;

/**
 * Both subscriptions bind to the open store through host.followStore: when a restore (or a switch) puts
 * another log in its place they carry on against the new one, and their first push after it says so
 * (`storeReplaced`), so a client refetches instead of resubscribing.
 */
export const liveHandlers: HandlersFor<'live.events' | 'live.head'> = {
  'live.events': ({ fromPosition, types, streamPrefix }, { host }, push) => {
    // Kept as read (the JSON still text) and turned into records only when pushed: events a burst pushes
    // out of the window are never parsed.
    let pending: StoredEvent[] = [];
    let head = 0;
    let timer: NodeJS.Timeout | undefined;
    let storeReplaced = false;
    /** Where the feed subscription starts: the client's position, then where the last one had read to. */
    let resumeAfter = fromPosition;
    const flush = () => {
      if (timer !== undefined) clearTimeout(timer);
      const batch = pending.length > MAX_EVENTS_PER_PUSH ? pending.slice(0, MAX_EVENTS_PER_PUSH) : pending;
      pending = pending.length > MAX_EVENTS_PER_PUSH ? pending.slice(MAX_EVENTS_PER_PUSH) : [];
      // The rest of a backlog follows in the next push.
      timer = pending.length > 0 ? setTimeout(flush, BATCH_MS) : undefined;
      const events = batch.map(toEventRecord);
      if (storeReplaced) push({ events, headPosition: head, storeReplaced: true });
      else push({ events, headPosition: head });
      storeReplaced = false;
    };
    const stopFollowing = host.followStore((replaced) => {
      const feed = host.feed;
      head = feed.headPosition;
      if (replaced) {
        // What was read but not pushed yet is kept only where the new log still has it (a restore keeps a
        // prefix of the same history); reading resumes there, and the client hears of the change at once.
        pending = pending.filter((e) => e.globalPosition <= head);
        resumeAfter = Math.min(resumeAfter ?? head, head);
        storeReplaced = true;
        flush();
      }
      const subscription = feed.subscribe({
        fromPosition: resumeAfter,
        filter: { types, streamPrefix },
        deliver: (events, headPosition) => {
          head = headPosition;
          for (const e of events) pending.push(e);
          if (pending.length > MAX_BACKLOG) pending = pending.slice(-MAX_BACKLOG);
          timer ??= setTimeout(flush, BATCH_MS);
        },
      });
      return () => {
        resumeAfter = subscription.cursor;
        subscription.unsubscribe();
      };
    });
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      stopFollowing();
    };
  },

  'live.head': (_input, { host }, push) => {
    let timer: NodeJS.Timeout | undefined;
    const send = () => {
      timer = undefined;
      const head = host.store.head();
      push({ headPosition: head.position, headHash: head.hash });
    };
    const stopFollowing = host.followStore((replaced) => {
      if (replaced) {
        const head = host.store.head();
        push({ headPosition: head.position, headHash: head.hash, storeReplaced: true });
      } else send();
      const stop = host.feed.watchHead(() => {
        timer ??= setTimeout(send, HEAD_BATCH_MS);
      });
      return () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        stop();
      };
    });
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      stopFollowing();
    };
  },
};
