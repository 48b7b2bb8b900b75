import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupProgress, CatalogEntry, ManifestMember } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { EVENTS_DB, VIEWS_DB, type EventStore } from '../store/index.js';
import { hashFile } from '../platform/index.js';
import { writeEventsNdjson } from './incrementalEvents.js';
import { readSnapshotFacts, snapshotDatabase, type SnapshotMethod } from './snapshot.js';

/** The data members of an archive, written into the staging folder, and the positions they cover. */
export interface StagedMembers {
  readonly members: ManifestMember[];
  readonly fromPosition: number;
  readonly fromHash: string;
  readonly toPosition: number;
  readonly toHash: string;
}

export interface StageContext {
  readonly progress: (p: BackupProgress) => void;
  readonly isCancelled: () => boolean;
  readonly checkCancelled: () => void;
  /** Marks the end of a step for the report (PhaseTimer.next). */
  readonly step: (name: string) => void;
}

export async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Bytes of the log (events.db and its WAL) and of views.db when it is included. */
export async function sourceBytes(store: EventStore, includeViews: boolean): Promise<{ events: number; views: number }> {
  return {
    events: (await fileSize(join(store.dir, EVENTS_DB))) + (await fileSize(join(store.dir, EVENTS_DB + '-wal'))),
    views: includeViews ? await fileSize(join(store.dir, VIEWS_DB)) : 0,
  };
}

/** About the size of the events (from, to] as NDJSON lines: their JSON plus the fixed fields of each line. */
export function ndjsonBytes(store: EventStore, from: number, to: number): number {
  const row = store.db
    .prepare(
      'SELECT coalesce(sum(length(data) + length(metadata) + length(stream_id) + length(type)), 0) + count(*) * 200 AS bytes FROM events WHERE global_position > ? AND global_position <= ?',
    )
    .get(from, to) as { bytes: number };
  return row.bytes;
}

/**
 * A full backup's members: a consistent snapshot of events.db (and views.db), then their checksums. The
 * archive ends exactly where the snapshot does: its head is read back from the copy, not from the store.
 */
export async function stageFull(store: EventStore, staging: string, options: { includeViews: boolean; snapshot?: SnapshotMethod }, ctx: StageContext): Promise<StagedMembers> {
  const sizes = await sourceBytes(store, options.includeViews);
  const total = sizes.events + sizes.views;
  ctx.progress({ phase: 'snapshot', done: 0, total, unit: 'bytes' });
  await snapshotDatabase(join(store.dir, EVENTS_DB), join(staging, EVENTS_DB), options.snapshot);
  const facts = readSnapshotFacts(join(staging, EVENTS_DB), 'the snapshot of events.db');
  if (facts.storeId !== store.storeId) throw new ConsoleError('INTERNAL', 'the snapshot has another store id than the store');
  if (sizes.views > 0) await snapshotDatabase(join(store.dir, VIEWS_DB), join(staging, VIEWS_DB), options.snapshot);
  ctx.progress({ phase: 'snapshot', done: total, total, unit: 'bytes' });
  ctx.step('snapshot');
  ctx.checkCancelled();

  const names = sizes.views > 0 ? [EVENTS_DB, VIEWS_DB] : [EVENTS_DB];
  const staged = (await Promise.all(names.map((n) => fileSize(join(staging, n))))).reduce((a, b) => a + b, 0);
  const members: ManifestMember[] = [];
  let hashed = 0;
  for (const name of names) {
    const { sha256, bytes } = await hashFile(join(staging, name), (n) => ctx.progress({ phase: 'checksums', done: (hashed += n), total: staged, unit: 'bytes' }), ctx.isCancelled);
    ctx.checkCancelled();
    members.push({ name: name === EVENTS_DB ? 'events.db' : 'views.db', bytes, sha256 });
  }
  ctx.step('checksums');
  return { members, fromPosition: 0, fromHash: '0'.repeat(64), toPosition: facts.head.position, toHash: facts.head.hash };
}

/** An incremental backup's member: the events after `base`, up to `to`, as NDJSON. */
export async function stageIncremental(store: EventStore, staging: string, base: CatalogEntry, to: number, ctx: StageContext): Promise<StagedMembers> {
  const from = base.manifest.toPosition;
  const written = await writeEventsNdjson(
    store.reader,
    from,
    to,
    join(staging, 'events.ndjson'),
    (done) => ctx.progress({ phase: 'events', done, total: to - from, unit: 'events' }),
    ctx.isCancelled,
  );
  ctx.step('events');
  return {
    members: [{ name: 'events.ndjson', bytes: written.bytes, sha256: written.sha256 }],
    fromPosition: from,
    fromHash: base.manifest.toHash,
    toPosition: to,
    toHash: written.lastHash,
  };
}
