import { ConsoleError } from '../../../shared/errors.js';
import type { HandlersFor } from '../handler.js';

export const streamHandlers: HandlersFor<'streams.list' | 'streams.get'> = {
  'streams.list': ({ after, search, limit }, { host }) => {
    const reader = host.store.reader;
    const streams = reader.listStreams({ after, contains: search, limit: limit + 1 });
    const more = streams.length > limit;
    const page = more ? streams.slice(0, limit) : streams;
    return { streams: page, nextAfter: more ? page[page.length - 1]!.streamId : null, totalStreams: reader.countStreams() };
  },

  'streams.get': ({ streamId }, { host }) => {
    const summary = host.store.reader.streamSummary(streamId);
    if (summary === undefined) throw new ConsoleError('NOT_FOUND', `no stream ${streamId}`);
    return summary;
  },
};
