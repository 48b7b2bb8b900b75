import type { BackupKind, CatalogEntry } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { GENESIS_HASH } from '../../shared/events.js';
import type { EventStore } from '../store/index.js';
import type { LogHead } from '../store/index.js';
import { listCatalog } from './catalog.js';
import { findContinuation } from './chains.js';

/** What a backup will archive: everything, or the events after `base`, the end of the chain it continues. */
export type BackupPlan =
  | { readonly kind: 'full'; readonly head: LogHead; readonly fellBackToFull: boolean }
  | { readonly kind: 'incremental'; readonly head: LogHead; readonly base: CatalogEntry }
  | { readonly kind: 'nothing-new'; readonly head: LogHead; readonly base: CatalogEntry };

/**
 * Decides what a backup of `store` into `destination` archives. An incremental continues the newest complete
 * chain of this store in the folder, and only if the store still has that chain's last event: a store that
 * was restored to an earlier point, or replaced, must start a new chain with a full backup.
 */
export async function planBackup(store: EventStore, destination: string, kind: BackupKind, fullWhenNoChain: boolean): Promise<BackupPlan> {
  const head = store.head();
  if (kind === 'full') return { kind: 'full', head, fellBackToFull: false };
  const base = findContinuation((await listCatalog(destination)).entries, store.storeId);
  if (base === undefined) {
    if (fullWhenNoChain) return { kind: 'full', head, fellBackToFull: true };
    throw new ConsoleError('NOT_FOUND', `${destination} has no full backup of store ${store.storeId} to continue: take a full backup first (without --incremental)`, {
      destination,
    });
  }
  const end = base.manifest;
  if (head.position < end.toPosition)
    throw new ConsoleError(
      'INTEGRITY_VIOLATION',
      `the store's head (${head.position}) is before the end of the newest backup chain (${end.toPosition}, ${base.name}): the store was restored or replaced; take a full backup`,
    );
  const atEnd = end.toPosition === 0 ? GENESIS_HASH : store.reader.eventAt(end.toPosition)?.hash;
  if (atEnd !== end.toHash)
    throw new ConsoleError(
      'INTEGRITY_VIOLATION',
      `the store's event at position ${end.toPosition} is not the one ${base.name} ends with: the store's history differs from these backups; take a full backup`,
    );
  return head.position === end.toPosition ? { kind: 'nothing-new', head, base } : { kind: 'incremental', head, base };
}
