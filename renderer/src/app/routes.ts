/**
 * Hash routes (the same bundle loads from app://console/ in Electron and over HTTP in serve mode, so the
 * path never changes; only the fragment does): #/overview, #/streams, #/streams/<id>?event=<position>,
 * #/recovery?position=<n> (the wizard at its target step), #/recovery?tab=drills.
 */
export const PAGES = [
  { id: 'overview', title: 'Overview', built: true },
  { id: 'streams', title: 'Streams', built: true },
  { id: 'projections', title: 'Projections', built: false },
  { id: 'query', title: 'Query', built: false },
  { id: 'cache', title: 'Cache', built: false },
  { id: 'backups', title: 'Backups', built: true },
  { id: 'recovery', title: 'Recovery', built: true },
  { id: 'security', title: 'Security', built: false },
  { id: 'policies', title: 'Policies & maintenance', built: false },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export type StreamsTab = 'events' | 'live';

/** The Recovery page's sections: the restore wizard, drills, and the stores restores set aside. */
export const RECOVERY_TABS = [
  { id: 'restore', title: 'Restore' },
  { id: 'drills', title: 'Drills' },
  { id: 'set-aside', title: 'Set-aside stores' },
] as const;
export type RecoveryTab = (typeof RECOVERY_TABS)[number]['id'];

export type Route =
  | { readonly page: 'streams'; readonly streamId: string | null; readonly event: number | null; readonly tab: StreamsTab }
  /** `position`: a target handed to the wizard (e.g. "recover to just before this event"); it opens at step 2. */
  | { readonly page: 'recovery'; readonly tab: RecoveryTab; readonly position: number | null }
  | { readonly page: Exclude<PageId, 'streams' | 'recovery'> }
  | { readonly page: 'not-found'; readonly path: string };

function isPageId(value: string): value is PageId {
  return PAGES.some((p) => p.id === value);
}

/** A global position in a query parameter: 1 or more, at most 15 digits; anything else is no position. */
function positionParam(value: string | null): number | null {
  return value !== null && /^\d{1,15}$/.test(value) && Number(value) > 0 ? Number(value) : null;
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const segments = pathPart.split('/').filter((s) => s !== '');
  const params = new URLSearchParams(queryPart);
  const first = segments[0] ?? 'overview';
  if (!isPageId(first) || (first !== 'streams' && segments.length > 1)) return { page: 'not-found', path: raw };
  if (first === 'recovery') {
    const position = positionParam(params.get('position'));
    // A target belongs to the wizard: it wins over a tab named beside it.
    const tab = position !== null ? 'restore' : (RECOVERY_TABS.find((t) => t.id === params.get('tab'))?.id ?? 'restore');
    return { page: 'recovery', tab, position };
  }
  if (first !== 'streams') return { page: first };
  let streamId: string | null = null;
  if (segments.length > 1) {
    try {
      streamId = decodeURIComponent(segments.slice(1).join('/'));
    } catch {
      return { page: 'not-found', path: raw };
    }
  }
  const event = positionParam(params.get('event'));
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

/** The Recovery page: a tab, or the wizard opened at its target step with `position` as the target. */
export function recoveryHref(options: { tab?: RecoveryTab; position?: number | null } = {}): string {
  if (options.position !== undefined && options.position !== null) return `#/recovery?position=${options.position}`;
  return options.tab === undefined || options.tab === 'restore' ? '#/recovery' : `#/recovery?tab=${options.tab}`;
}
