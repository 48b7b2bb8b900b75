import { createHash, type KeyObject } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupManifest, BackupProgress, CatalogEntry, ManifestMember } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { EVENTS_DB, VIEWS_DB, type EventStore } from '../store/index.js';
import { hashFile, writeSynced } from '../platform/index.js';
import { writeEventsNdjson } from './incrementalEvents.js';
import { serializeManifest } from './manifest.js';
import { formatSha256Sums } from './sha256sums.js';
import { signManifest } from './signing.js';
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

/** What the snapshot step of a full backup staged: the files, and where the copied log ends. */
export interface StagedSnapshot {
  readonly names: readonly string[];
  readonly toPosition: number;
  readonly toHash: string;
}

/**
 * A full backup's snapshot: a consistent copy of events.db (and views.db). The archive ends exactly where
 * the snapshot does: its head is read back from the copy, not from the store.
 */
export async function stageSnapshot(store: EventStore, staging: string, options: { includeViews: boolean; snapshot?: SnapshotMethod }, ctx: StageContext): Promise<StagedSnapshot> {
  const sizes = await sourceBytes(store, options.includeViews);
  const total = sizes.events + sizes.views;
  ctx.progress({ phase: 'snapshot', done: 0, total, unit: 'bytes' });
  await snapshotDatabase(join(store.dir, EVENTS_DB), join(staging, EVENTS_DB), options.snapshot);
  const facts = readSnapshotFacts(join(staging, EVENTS_DB), 'the snapshot of events.db');
  if (facts.storeId !== store.storeId) throw new ConsoleError('INTERNAL', 'the snapshot has another store id than the store');
  if (sizes.views > 0) await snapshotDatabase(join(store.dir, VIEWS_DB), join(staging, VIEWS_DB), options.snapshot);
  ctx.progress({ phase: 'snapshot', done: total, total, unit: 'bytes' });
  return { names: sizes.views > 0 ? [EVENTS_DB, VIEWS_DB] : [EVENTS_DB], toPosition: facts.head.position, toHash: facts.head.hash };
}

/** A full backup's members: the snapshot's files with their checksums. */
export async function checksumSnapshot(staging: string, snapshot: StagedSnapshot, ctx: StageContext): Promise<StagedMembers> {
  const staged = (await Promise.all(snapshot.names.map((n) => fileSize(join(staging, n))))).reduce((a, b) => a + b, 0);
  const members: ManifestMember[] = [];
  let hashed = 0;
  for (const name of snapshot.names) {
    const { sha256, bytes } = await hashFile(join(staging, name), (n) => ctx.progress({ phase: 'checksums', done: (hashed += n), total: staged, unit: 'bytes' }), ctx.isCancelled);
    ctx.checkCancelled();
    members.push({ name: name === EVENTS_DB ? 'events.db' : 'views.db', bytes, sha256 });
  }
  return { members, fromPosition: 0, fromHash: '0'.repeat(64), toPosition: snapshot.toPosition, toHash: snapshot.toHash };
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
  return {
    members: [{ name: 'events.ndjson', bytes: written.bytes, sha256: written.sha256 }],
    fromPosition: from,
    fromHash: base.manifest.toHash,
    toPosition: to,
    toHash: written.lastHash,
  };
}

/**
 * manifest.json, with a signing key also manifest.sig (the Ed25519 signature of manifest.json's exact bytes),
 * and SHA256SUMS (which lists them and the data members), fsynced; returns the manifest's text for the sidecar.
 */
export async function stageManifest(staging: string, manifest: BackupManifest, signingKey?: KeyObject): Promise<string> {
  const text = serializeManifest(manifest);
  const bytes = Buffer.from(text, 'utf8');
  await writeSynced(join(staging, 'manifest.json'), bytes);
  const sums = [{ name: 'manifest.json', sha256: createHash('sha256').update(bytes).digest('hex') }];
  if (signingKey !== undefined) {
    const signature = signManifest(bytes, signingKey);
    await writeSynced(join(staging, 'manifest.sig'), signature);
    sums.push({ name: 'manifest.sig', sha256: createHash('sha256').update(signature).digest('hex') });
  }
  await writeSynced(join(staging, 'SHA256SUMS'), formatSha256Sums([...sums, ...manifest.members]));
  return text;
}
