import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pack } from 'tar';
import { ConsoleError } from '../../shared/errors.js';
import { createEncryptStream, type EncryptionSpec } from './encryption.js';
import { PacedFileWriter } from '../platform/index.js';
import { ParallelGzip } from '../platform/index.js';

export interface ArchiveWriteRequest {
  /** The folder holding the member files. */
  readonly stagingDir: string;
  /** Member file names in archive order. */
  readonly members: readonly string[];
  /** Where the archive is written (a temporary name: the caller publishes it). */
  readonly tempPath: string;
  readonly encryption: EncryptionSpec;
  readonly compressionLevel: number;
  readonly parallelism?: number;
  /** The mtime of every member: the backup's creation time, so archives of the same data are identical tars. */
  readonly mtime: Date;
  /** Uncompressed bytes packed so far. */
  readonly onPacked: (bytes: number) => void;
  readonly isCancelled: () => boolean;
}

/** Counts what passes through and stops the pipeline when the job is cancelled. */
class Meter extends Transform {
  bytes = 0;
  constructor(
    private readonly onBytes: (total: number) => void,
    private readonly isCancelled: () => boolean,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.isCancelled()) {
      callback(new ConsoleError('CANCELLED', 'the backup was cancelled'));
      return;
    }
    this.bytes += chunk.length;
    this.onBytes(this.bytes);
    callback(null, chunk);
  }
}

/**
 * Streams the members through tar, gzip and (optionally) age into `tempPath` and fsyncs it. Memory is a
 * few MiB whatever the size: 1 MiB reads, a handful of gzip blocks in flight, 64 KiB age chunks.
 */
export async function writeArchive(request: ArchiveWriteRequest): Promise<{ bytes: number }> {
  // portable: no uid/gid/user names, which differ between machines and say nothing about the data.
  const pack = new Pack({ cwd: request.stagingDir, portable: true, mtime: request.mtime, maxReadSize: 1024 * 1024 });
  for (const name of request.members) pack.add(name);
  pack.end();
  const packed = new Meter(request.onPacked, request.isCancelled);
  const gzip = new ParallelGzip({ level: request.compressionLevel, parallelism: request.parallelism });
  const encrypt = await createEncryptStream(request.encryption);
  const written = new Meter(() => undefined, () => false);
  // Synced as it is written and at the end: the archive is on disk when this returns.
  const file = new PacedFileWriter(request.tempPath);
  const source = pack as unknown as AsyncIterable<Buffer>;
  if (encrypt === undefined) await pipeline(source, packed, gzip, written, file);
  else await pipeline(source, packed, gzip, encrypt, written, file);
  return { bytes: written.bytes };
}
