import { basename, dirname, join } from 'node:path';
import type { BackupKind } from '../../shared/backup.js';

/**
 * Archive file names (DESIGN §7): `<storeId>-<full|incr>-<fromPos>-<toPos>-<UTC yyyymmddThhmmssZ>.tar.gz[.age]`,
 * the unencrypted sidecar `<archive name>.manifest.json`, and this build's verification record
 * `<archive name>.verification.json` beside them.
 */
export const SIDECAR_SUFFIX = '.manifest.json';
export const VERIFICATION_SUFFIX = '.verification.json';

export interface ArchiveNameParts {
  readonly storeId: string;
  readonly kind: BackupKind;
  readonly fromPosition: number;
  readonly toPosition: number;
  /** The creation time, to the second, as an ISO string (`2026-01-02T03:04:05Z`). */
  readonly createdAtSecond: string;
  readonly encrypted: boolean;
}

const NAME = /^([0-9A-Za-z][0-9A-Za-z-]*?)-(full|incr)-(\d{1,16})-(\d{1,16})-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.tar\.gz(\.age)?$/;

/** `20260102T030405Z` for a time, in UTC, truncated to the second. */
export function compactUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

export function formatArchiveName(parts: Omit<ArchiveNameParts, 'createdAtSecond'> & { readonly createdAtMs: number }): string {
  const kind = parts.kind === 'full' ? 'full' : 'incr';
  return `${parts.storeId}-${kind}-${parts.fromPosition}-${parts.toPosition}-${compactUtc(parts.createdAtMs)}.tar.gz${parts.encrypted ? '.age' : ''}`;
}

/** The parts of an archive file name, or undefined when the name does not follow the format. */
export function parseArchiveName(name: string): ArchiveNameParts | undefined {
  const m = NAME.exec(name);
  if (m === null) return undefined;
  const [, storeId, kind, from, to, y, mo, d, h, mi, s, age] = m;
  const fromPosition = Number(from);
  const toPosition = Number(to);
  if (!Number.isSafeInteger(fromPosition) || !Number.isSafeInteger(toPosition)) return undefined;
  const createdAtSecond = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  if (Number.isNaN(Date.parse(createdAtSecond))) return undefined;
  return { storeId: storeId!, kind: kind === 'full' ? 'full' : 'incremental', fromPosition, toPosition, createdAtSecond, encrypted: age !== undefined };
}

export function isArchiveName(name: string): boolean {
  return parseArchiveName(name) !== undefined;
}

export function sidecarPathOf(archivePath: string): string {
  return archivePath + SIDECAR_SUFFIX;
}

export function verificationPathOf(archivePath: string): string {
  return archivePath + VERIFICATION_SUFFIX;
}

/**
 * The archive a path names: the archive itself, its sidecar or its verification record (a user may pass
 * any of them, e.g. from `backups/*`). Undefined for anything else.
 */
export function archivePathOf(path: string): string | undefined {
  const name = basename(path);
  for (const suffix of [SIDECAR_SUFFIX, VERIFICATION_SUFFIX]) {
    if (name.endsWith(suffix)) {
      const archiveName = name.slice(0, -suffix.length);
      return isArchiveName(archiveName) ? join(dirname(path), archiveName) : undefined;
    }
  }
  return isArchiveName(name) ? path : undefined;
}
