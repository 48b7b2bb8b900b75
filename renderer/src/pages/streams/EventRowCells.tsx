import type { EventRecord } from '../../../../shared/events.js';
import { shortenId } from '../../format/ids.js';
import { formatCount } from '../../format/numbers.js';
import { formatAbsolute, formatIsoUtc } from '../../format/time.js';

/** The column heads of an event list (the log, a stream, the live tail): one grid, one set of columns. */
export function EventListHead() {
  return (
    <div className="event-row event-row--head" role="row">
      <span role="columnheader">Position</span>
      <span role="columnheader">Recorded</span>
      <span role="columnheader" className="event-row__stream">
        Stream
      </span>
      <span role="columnheader" className="num">
        Ver
      </span>
      <span role="columnheader">Type</span>
      <span role="columnheader">Event id</span>
    </div>
  );
}

/** One event's cells under EventListHead (a list in a stream hides the stream column). */
export function EventRowCells({ event }: { readonly event: EventRecord }) {
  return (
    <>
      <span className="num mono">{formatCount(event.globalPosition)}</span>
      <span className="event-row__time" title={formatIsoUtc(event.recordedAt)}>
        {formatAbsolute(event.recordedAt)}
      </span>
      <span className="event-row__stream mono" title={event.streamId}>
        {event.streamId}
      </span>
      <span className="num mono">{formatCount(event.streamVersion)}</span>
      <span className="event-row__type" title={event.type}>
        {event.type}
      </span>
      <span className="mono muted" title={event.eventId}>
        {shortenId(event.eventId, 8, 4)}
      </span>
    </>
  );
}
