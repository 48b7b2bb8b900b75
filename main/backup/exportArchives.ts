import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { BackupProgress } from '../../shared/backup.js';
import { ConsoleError } from '../../shared/errors.js';
import { archivePathOf, sidecarPathOf, verificationPathOf } from './archiveName.js';
import { TEMP_PREFIX } from './destinationLock.js';
import { translateDiskError } from '../platform/index.js';
import { exists, fsyncDirectory, publish, removeQuietly, tempPathFor } from '../platform/index.js';
import { requireFreeSpace } from '../platform/index.js';

export interface ExportArchivesRequest {
  /** Archives (or their sidecars) to copy, e.g. every link of a chain. */
  readonly archives: readonly string[];
  /** The folder to copy them into (created when missing). */
  readonly to: string;
  /** Replace files of the same name already there (default: refuse). */
  readonly overwrite?: boolean;
}

export interface ExportedFile {
  readonly source: string;
  readonly target: string;
  readonly bytes: number;
}

export interface ExportArchivesResult {
  readonly files: readonly ExportedFile[];
  readonly bytes: number;
  readonly durationMs: number;
}

/** Copies one file under a temporary name, fsynced; returns the temporary path. */
async function copyToTemp(source: string, target: string, onBytes: (n: number) => void, isCancelled: () => boolean): Promise<string> {
  const temp = tempPathFor(target, TEMP_PREFIX);
  const out = createWriteStream(temp, { flags: 'wx', highWaterMark: 1024 * 1024, flush: true });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  try {
    for await (const piece of createReadStream(source, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      if (isCancelled()) throw new ConsoleError('CANCELLED', 'the export was cancelled; nothing was left under a final name');
      onBytes(piece.length);
      if (!out.write(piece)) await Promise.race([once(out, 'drain'), failed]);
    }
    out.end();
    await Promise.race([once(out, 'close'), failed]); // `flush: true` fsyncs before close
    return temp;
  } catch (error) {
    out.destroy();
    await once(out, 'close').catch(() => undefined);
    await removeQuietly(temp);
    throw error;
  }
}

/**
 * Copies archives with their sidecars (and verification records, when present) into a folder the admin
 * picked, with progress in bytes. Each copy is written under a temporary name and fsynced; the final names
 * appear together at the end, so a failed or cancelled export leaves nothing half-copied behind.
 */
export async function exportArchives(
  request: ExportArchivesRequest,
  ctx: { readonly onProgress?: (p: BackupProgress) => void; readonly isCancelled?: () => boolean } = {},
): Promise<ExportArchivesResult> {
  const started = performance.now();
  const isCancelled = ctx.isCancelled ?? (() => false);
  const target = resolve(request.to);
  const sources: string[] = [];
  for (const given of request.archives) {
    const archive = archivePathOf(resolve(given));
    if (archive === undefined) throw new ConsoleError('INVALID_INPUT', `${given} is not a backup archive or sidecar`);
    if (!(await exists(archive))) throw new ConsoleError('NOT_FOUND', `no archive at ${archive}`, { path: archive });
    for (const path of [archive, sidecarPathOf(archive), verificationPathOf(archive)]) if (!sources.includes(path) && (await exists(path))) sources.push(path);
  }
  const sizes = await Promise.all(sources.map(async (s) => (await stat(s)).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  await mkdir(target, { recursive: true });
  for (const s of sources) {
    const t = join(target, basename(s));
    if (resolve(s) === t) throw new ConsoleError('INVALID_INPUT', `${s} is already in ${target}`);
    if (request.overwrite !== true && (await exists(t))) throw new ConsoleError('INVALID_INPUT', `${t} already exists (pass overwrite to replace it)`, { path: t });
  }
  await requireFreeSpace(target, total, 'the export');
  const temps: Array<{ from: string; to: string }> = [];
  let done = 0;
  try {
    for (const s of sources) {
      const temp = await copyToTemp(s, join(target, basename(s)), (n) => ctx.onProgress?.({ phase: 'exporting', done: (done += n), total, unit: 'bytes' }), isCancelled);
      temps.push({ from: temp, to: join(target, basename(s)) });
    }
    await publish(temps);
    temps.length = 0;
    await fsyncDirectory(target);
  } catch (error) {
    throw translateDiskError(error, target);
  } finally {
    for (const t of temps) await removeQuietly(t.from);
  }
  return {
    files: sources.map((s, i) => ({ source: s, target: join(target, basename(s)), bytes: sizes[i]! })),
    bytes: total,
    durationMs: Math.round(performance.now() - started),
  };
}
