import { useSyncExternalStore } from 'react';

/** The Backups page's tabs live in the hash's query (#/backups?tab=schedules), so back/forward and links work. */
export const BACKUPS_TABS = [
  { id: 'catalog', title: 'Catalog' },
  { id: 'schedules', title: 'Schedules' },
  { id: 'runs', title: 'Run history' },
  { id: 'retention', title: 'Retention' },
] as const;

export type BackupsTab = (typeof BACKUPS_TABS)[number]['id'];

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = () => window.location.hash;

export function useBackupsTab(): BackupsTab {
  const hash = useSyncExternalStore(subscribe, getHash);
  const tab = new URLSearchParams(hash.split('?', 2)[1] ?? '').get('tab');
  return BACKUPS_TABS.find((t) => t.id === tab)?.id ?? 'catalog';
}

export function backupsHref(tab: BackupsTab): string {
  return tab === 'catalog' ? '#/backups' : `#/backups?tab=${tab}`;
}
