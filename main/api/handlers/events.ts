import type { EventLink } from '../../../shared/api/types.js';
import { ConsoleError } from '../../../shared/errors.js';
import { importNdjson, readEventPage, toEventJsonLine, toEventRecord, type EventReader, type StoredEvent } from '../../store/index.js';
import type { HandlersFor } from '../handler.js';
import { absolutePath } from './handlerInputs.js';

const RELATED_LIMIT = 50;

function link(e: StoredEvent): EventLink {
  return { globalPosition: e.globalPosition, eventId: e.eventId, streamId: e.streamId, type: e.type, recordedAt: new Date(e.recordedAt).toISOString() };
}

function links(reader: EventReader, positions: readonly number[], except: number): EventLink[] {
  return positions.filter((p) => p !== except).flatMap((p) => {
    const e = reader.eventAt(p);
    return e === undefined ? [] : [link(e)];
  });
}

export const eventHandlers: HandlersFor<'events.page' | 'events.get' | 'events.types' | 'events.append' | 'events.export' | 'events.import'> = {
  'events.page': ({ streamId, from, limit, direction }, { host }) => {
    const reader = host.store.reader;
    const head = reader.readHead().position;
    if (streamId === undefined) {
      return { events: reader.readAll(from, limit, direction).map(toEventRecord), headPosition: head, total: head };
    }
    const summary = reader.streamSummary(streamId);
    if (summary === undefined) throw new ConsoleError('NOT_FOUND', `no stream ${streamId}`);
    return { events: reader.readStream(streamId, from, limit, direction).map(toEventRecord), headPosition: head, total: summary.events };
  },

  'events.get': (input, { host }) => {
    const reader = host.store.reader;
    const stored = 'position' in input ? reader.eventAt(input.position) : reader.eventById(input.eventId);
    if (stored === undefined) throw new ConsoleError('NOT_FOUND', 'position' in input ? `no event at position ${input.position}` : `no event ${input.eventId}`);
    const event = toEventRecord(stored);
    const causationId = typeof event.metadata.causationId === 'string' ? event.metadata.causationId : undefined;
    const correlationId = typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : undefined;
    const cause = causationId === undefined ? undefined : reader.eventById(causationId.toLowerCase());
    const caused = host.views.linked('causation', stored.eventId, RELATED_LIMIT);
    const correlated = correlationId === undefined ? { positions: [], total: 0 } : host.views.linked('correlation', correlationId, RELATED_LIMIT + 1);
    const correlatedLinks = links(reader, correlated.positions, stored.globalPosition).slice(0, RELATED_LIMIT);
    return {
      event,
      causedBy: cause === undefined ? null : link(cause),
      caused: links(reader, caused.positions, stored.globalPosition),
      correlated: correlatedLinks,
      correlatedTotal: Math.max(0, correlated.total - (correlated.positions.includes(stored.globalPosition) ? 1 : 0)),
    };
  },

  'events.types': (_input, { host }) => host.views.eventTypes(),

  'events.append': (input, { host }) => host.store.append(input),

  'events.export': ({ streamId, from, to, backwards, cursor, limit }, { host }) => {
    const page = readEventPage(host.store.reader, { streamId, from, to, backwards }, cursor, limit);
    return { ndjson: page.events.map((e) => toEventJsonLine(e) + '\n').join(''), events: page.events.length, cursor: page.cursor };
  },

  'events.import': ({ file, batchSize }, { host }) => {
    // `-` is the caller's standard input: only a transport that has one (the CLI) offers it.
    if (file === '-' && host.stdin === undefined) throw new ConsoleError('INVALID_INPUT', 'file: standard input (-) can only be imported from the CLI; name a file');
    const source = file === '-' ? { stream: host.stdin! } : { path: absolutePath(file, 'the file') };
    const store = host.store;
    store.requireIntact(); // refused before a file of any size is read and checked for nothing
    return {
      label: `Import ${file === '-' ? 'standard input' : file}`,
      target: file,
      // Batches of `batchSize` events, each its own transaction, with turns of the loop between them; the
      // console's main loop takes smaller ones, so no transaction holds it for more than a few ms.
      run: ({ progress, signal }) =>
        importNdjson(store, source, {
          batchSize: host.background ? Math.min(batchSize, 200) : batchSize,
          isCancelled: () => signal.aborted,
          onProgress: (p) => progress({ phase: p.phase, done: p.totalBytes === null ? p.lines : p.bytes, total: p.totalBytes, unit: p.totalBytes === null ? 'lines' : 'bytes' }),
        }),
    };
  },
};
