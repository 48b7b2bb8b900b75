import { BACKUP_FORMAT_VERSION, backupManifestSchema, type BackupManifest } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { GENESIS_HASH } from '../../shared/events.js';
import { parseArchiveName } from './archiveName.js';

/** Largest manifest (or SHA256SUMS) accepted: they list a handful of members, so anything bigger is not ours. */
export const MAX_SMALL_MEMBER_BYTES = 1024 * 1024;

/** The manifest as written inside the archive and to the sidecar: stable key order, two-space indent. */
export function serializeManifest(manifest: BackupManifest): string {
  const ordered: BackupManifest = {
    formatVersion: manifest.formatVersion,
    storeId: manifest.storeId,
    kind: manifest.kind,
    fromPosition: manifest.fromPosition,
    toPosition: manifest.toPosition,
    fromHash: manifest.fromHash,
    toHash: manifest.toHash,
    eventCount: manifest.eventCount,
    createdAt: manifest.createdAt,
    toolVersion: manifest.toolVersion,
    encryption: manifest.encryption,
    members: manifest.members.map((m) => ({ name: m.name, bytes: m.bytes, sha256: m.sha256 })),
    // Last and only when signed: an unsigned manifest is byte for byte what builds before signing wrote.
    ...(manifest.signingKeyId === undefined ? {} : { signingKeyId: manifest.signingKeyId }),
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}

/**
 * Parses manifest text from an archive or a sidecar. Malformed JSON or a wrong shape is ARCHIVE_CORRUPT;
 * a manifest from a newer format is UNSUPPORTED_FORMAT. `what` names the file in messages.
 */
export function parseManifest(text: string, what: string): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConsoleError('ARCHIVE_CORRUPT', `${what} is not valid JSON (${(error as Error).message})`);
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > BACKUP_FORMAT_VERSION) {
    throw new ConsoleError('UNSUPPORTED_FORMAT', `${what} has format version ${version}; this build reads up to ${BACKUP_FORMAT_VERSION}: upgrade Persistence Console`, {
      formatVersion: version,
    });
  }
  const parsed = backupManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConsoleError('ARCHIVE_CORRUPT', `${what} is not a valid manifest: ${issue.path.join('.') || 'manifest'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Contradictions inside one manifest (positions, counts, members for its kind), as messages. */
export function manifestContradictions(m: BackupManifest): string[] {
  const found: string[] = [];
  if (m.toPosition < m.fromPosition) found.push(`toPosition ${m.toPosition} is before fromPosition ${m.fromPosition}`);
  if (m.eventCount !== m.toPosition - m.fromPosition)
    found.push(`eventCount ${m.eventCount} does not match the positions (${m.fromPosition}, ${m.toPosition}]`);
  const names = m.members.map((x) => x.name);
  if (new Set(names).size !== names.length) found.push('a member is listed twice');
  if (m.kind === 'full') {
    if (m.fromPosition !== 0 || m.fromHash !== GENESIS_HASH) found.push('a full archive must start at position 0 with the genesis hash');
    if (!names.includes('events.db')) found.push('a full archive must list events.db');
    if (names.includes('events.ndjson')) found.push('a full archive must not list events.ndjson');
    if (m.toPosition === 0 && m.toHash !== GENESIS_HASH) found.push('an empty full archive must end with the genesis hash');
  } else {
    if (!names.includes('events.ndjson')) found.push('an incremental archive must list events.ndjson');
    if (names.includes('events.db') || names.includes('views.db')) found.push('an incremental archive lists only events.ndjson');
    if (m.eventCount === 0) found.push('an incremental archive must hold at least one event');
  }
  return found;
}

/** Where an archive's file name disagrees with its manifest, as messages. */
export function nameContradictions(fileName: string, m: BackupManifest): string[] {
  const parts = parseArchiveName(fileName);
  if (parts === undefined) return [`${fileName} is not an archive name (<storeId>-<full|incr>-<from>-<to>-<yyyymmddThhmmssZ>.tar.gz[.age])`];
  const found: string[] = [];
  if (parts.storeId !== m.storeId) found.push(`the name says store ${parts.storeId}, the manifest ${m.storeId}`);
  if (parts.kind !== m.kind) found.push(`the name says ${parts.kind}, the manifest ${m.kind}`);
  if (parts.fromPosition !== m.fromPosition || parts.toPosition !== m.toPosition)
    found.push(`the name says positions ${parts.fromPosition}–${parts.toPosition}, the manifest ${m.fromPosition}–${m.toPosition}`);
  if (parts.encrypted !== (m.encryption !== 'none')) found.push(`the name ${parts.encrypted ? 'ends in .age' : 'has no .age'} but the manifest says encryption ${m.encryption}`);
  const created = Date.parse(m.createdAt);
  if (Math.floor(created / 1000) * 1000 !== Date.parse(parts.createdAtSecond))
    found.push(`the name says created ${parts.createdAtSecond}, the manifest ${m.createdAt}`);
  return found;
}

const COMPARED: ReadonlyArray<keyof BackupManifest> = [
  'storeId',
  'kind',
  'fromPosition',
  'toPosition',
  'fromHash',
  'toHash',
  'eventCount',
  'createdAt',
  'encryption',
  'signingKeyId',
  'formatVersion',
  'toolVersion',
];

function shown(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)) return `${value.slice(0, 12)}…`;
  return JSON.stringify(value);
}

/**
 * Where a sidecar's manifest differs from the one inside its archive, field by field, in words:
 * `toHash: the sidecar says 1a2b…, manifest.json inside says 3c4d…`. Empty when they agree.
 */
export function manifestDifferences(sidecar: BackupManifest, inside: BackupManifest): string[] {
  const found: string[] = [];
  for (const field of COMPARED) {
    if (sidecar[field] !== inside[field]) found.push(`${field}: the sidecar says ${shown(sidecar[field])}, manifest.json inside says ${shown(inside[field])}`);
  }
  const members = (m: BackupManifest) => JSON.stringify(m.members.map((x) => [x.name, x.bytes, x.sha256]));
  if (members(sidecar) !== members(inside)) found.push('members: the sidecar lists other members, sizes or checksums than manifest.json inside');
  return found;
}

/** The fields that decide a restore plan: a sidecar that differs in one of them would change what is restored. */
export function planningDifferences(sidecar: BackupManifest, inside: BackupManifest): string[] {
  const fields: ReadonlyArray<keyof BackupManifest> = ['storeId', 'kind', 'fromPosition', 'toPosition', 'fromHash', 'toHash', 'createdAt', 'encryption'];
  return fields.filter((f) => sidecar[f] !== inside[f]);
}
