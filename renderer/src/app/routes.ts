/**
 * Hash routes (the same bundle loads from app://console/ in Electron and over HTTP in serve mode, so the
 * path never changes; only the fragment does): #/overview, #/streams, #/streams/<id>?event=<position>.
 */
export const PAGES = [
  { id: 'overview', title: 'Overview', built: true },
  { id: 'streams', title: 'Streams', built: true },
  { id: 'projections', title: 'Projections', built: false },
  { id: 'query', title: 'Query', built: false },
  { id: 'cache', title: 'Cache', built: false },
  { id: 'backups', title: 'Backups', built: true },
  { id: 'recovery', title: 'Recovery', built: false },
  { id: 'security', title: 'Security', built: false },
  { id: 'policies', title: 'Policies & maintenance', built: false },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export type StreamsTab = 'events' | 'live';

export type Route =
  | { readonly page: 'streams'; readonly streamId: string | null; readonly event: number | null; readonly tab: StreamsTab }
  | { readonly page: Exclude<PageId, 'streams'> }
  | { readonly page: 'not-found'; readonly path: string };

function isPageId(value: string): value is PageId {
  return PAGES.some((p) => p.id === value);
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const segments = pathPart.split('/').filter((s) => s !== '');
  const params = new URLSearchParams(queryPart);
  const first = segments[0] ?? 'overview';
  if (!isPageId(first) || (first !== 'streams' && segments.length > 1)) return { page: 'not-found', path: raw };
  if (first !== 'streams') return { page: first };
  let streamId: string | null = null;
  if (segments.length > 1) {
    try {
      streamId = decodeURIComponent(segments.slice(1).join('/'));
    } catch {
      return { page: 'not-found', path: raw };
    }
  }
  const eventParam = params.get('event');
  const event = eventParam !== null && /^\d{1,15}$/.test(eventParam) && Number(eventParam) > 0 ? Number(eventParam) : null;
  return { page: 'streams', streamId, event, tab: params.get('tab') === 'live' ? 'live' : 'events' };
}

export function pageHref(page: PageId): string {
  return `#/${page}`;
}

export function streamsHref(options: { streamId?: string | null; event?: number | null; tab?: StreamsTab } = {}): string {
  const path = options.streamId === undefined || options.streamId === null ? '#/streams' : `#/streams/${encodeURIComponent(options.streamId)}`;
  const params = new URLSearchParams();
  if (options.tab === 'live') params.set('tab', 'live');
  if (options.event !== undefined && options.event !== null) params.set('event', String(options.event));
  const query = params.toString();
  return query === '' ? path : `${path}?${query}`;
}

/** Where an event link goes: the whole log, scrolled to and showing that event. */
export function eventHref(position: number): string {
  return streamsHref({ event: position });
}
