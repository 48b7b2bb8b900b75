import { createHash } from 'node:crypto';
import { formatArchiveName } from '../../main/backup/archiveName.js';
import type { BackupKind, CatalogEntry } from '../../shared/backup.js';
import { GENESIS_HASH } from '../../shared/events.js';

export const STORE_ID = '0192f0c4-1a2b-7c3d-8e4f-0123456789ab';

/** The hash a made-up history has at a position (a different `history` is a different log). */
export function hashAt(position: number, history = 'main'): string {
  return position === 0 ? GENESIS_HASH : createHash('sha256').update(`${history}:${position}`).digest('hex');
}

export interface FakeEntry {
  readonly kind: BackupKind;
  readonly from: number;
  readonly to: number;
  readonly at: number;
  readonly history?: string;
  readonly fromHistory?: string;
  readonly storeId?: string;
  readonly missingArchive?: boolean;
}

/** A catalog entry as listCatalog would return it, without any file behind it (for the pure functions). */
export function fakeEntry(e: FakeEntry): CatalogEntry {
  const storeId = e.storeId ?? STORE_ID;
  const name = formatArchiveName({ storeId, kind: e.kind, fromPosition: e.from, toPosition: e.to, createdAtMs: e.at, encrypted: false });
  return {
    archive: `/backups/${name}`,
    name,
    sidecar: `/backups/${name}.manifest.json`,
    manifest: {
      formatVersion: 1,
      storeId,
      kind: e.kind,
      fromPosition: e.from,
      toPosition: e.to,
      fromHash: hashAt(e.from, e.fromHistory ?? e.history),
      toHash: hashAt(e.to, e.history),
      eventCount: e.to - e.from,
      createdAt: new Date(e.at).toISOString(),
      toolVersion: '0.1.0',
      encryption: 'none',
      members: [{ name: e.kind === 'full' ? 'events.db' : 'events.ndjson', bytes: 1, sha256: 'c'.repeat(64) }],
    },
    archiveBytes: e.missingArchive === true ? null : 1000,
    verification: null,
    verified: false,
  };
}
