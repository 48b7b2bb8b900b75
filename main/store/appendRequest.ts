import { appendRequestSchema, type AppendRequest } from '../../shared/events.js';
import { parseInput } from '../../shared/validation.js';
import { prepareEvent, type PreparedAppend } from './writer.js';

/** Validates an append request and serialises its JSON once, outside the write transaction. */
export function prepareAppend(request: AppendRequest): PreparedAppend {
  const { streamId, expectedVersion, events } = parseInput(appendRequestSchema, request);
  return {
    streamId,
    expectedVersion,
    mode: 'append',
    // The caller's own data and metadata objects are serialised (the schema validated them): the parsed
    // copies lose a top-level "__proto__" key, which is data like any other key.
    events: events.map((e, i) => prepareEvent(e.type, request.events[i]!.data, request.events[i]!.metadata, e.eventId)),
  };
}
