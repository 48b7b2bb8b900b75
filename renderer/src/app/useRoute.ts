import { useSyncExternalStore } from 'react';
import { parseRoute, type Route } from './routes.js';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = () => window.location.hash;

/** The current route, re-rendering on every hash change (back/forward, links, `navigate`). */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash);
  return parseRoute(hash);
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace === true) window.location.replace(href);
  else window.location.hash = href.replace(/^#/, '');
}
