import { formatAbsolute, formatIsoUtc, formatRelative } from '../format/time.js';
import { useNow } from './useNow.js';

/** A recorded time: relative and/or absolute local time; hovering shows ISO-8601 UTC. */
export function TimeStamp({ at, mode = 'both' }: { readonly at: string | number; readonly mode?: 'both' | 'relative' | 'absolute' }) {
  const iso = formatIsoUtc(at);
  return (
    <time className="timestamp" dateTime={iso} title={iso}>
      {mode !== 'absolute' && <RelativeTime at={at} />}
      {mode === 'both' && <span className="timestamp__sep"> · </span>}
      {mode !== 'relative' && <span className="timestamp__absolute">{formatAbsolute(at)}</span>}
    </time>
  );
}

function RelativeTime({ at }: { readonly at: string | number }) {
  const now = useNow();
  return <span className="timestamp__relative">{formatRelative(at, now)}</span>;
}
