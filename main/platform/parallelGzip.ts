import { availableParallelism } from 'node:os';
import { Transform, type TransformCallback } from 'node:stream';
import { gzip, type ZlibOptions } from 'node:zlib';
import { ByteQueue } from './byteQueue.js';

/** Input bytes per gzip member: large enough that the ratio matches one stream's within a fraction of a percent. */
export const GZIP_BLOCK = 1024 * 1024;

export interface ParallelGzipOptions {
  /** zlib level 1–9. */
  readonly level: number;
  /**
   * Blocks compressed at once (libuv's pool runs them on other cores); 1 is one core. The default leaves
   * one core to the rest of the process — the console's main thread keeps appending during a backup.
   */
  readonly parallelism?: number;
}

/** All cores but one, at most 4 (libuv's default pool size). */
export function defaultParallelism(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

function gzipBlock(block: Buffer, options: ZlibOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => gzip(block, options, (error, out) => (error === null ? resolve(out) : reject(error))));
}

/**
 * gzip the way pigz does it: the input is cut into 1 MiB blocks, each compressed as its own gzip member on
 * the thread pool, and the members are written in order. A sequence of gzip members is one valid gzip
 * file (RFC 1952 §2.2): `gzip -d`, `tar xzf` and Node's gunzip read it as the concatenated data. Compression
 * is the slowest step of a backup, and this spreads it over the cores the machine has.
 */
export class ParallelGzip extends Transform {
  private readonly queue = new ByteQueue();
  private readonly inFlight: Array<Promise<Buffer>> = [];
  private readonly parallelism: number;
  private readonly zlibOptions: ZlibOptions;
  /** Uncompressed bytes taken in so far. */
  bytesIn = 0;

  constructor(options: ParallelGzipOptions) {
    super({ highWaterMark: 2 * GZIP_BLOCK });
    this.parallelism = Math.max(1, options.parallelism ?? defaultParallelism());
    this.zlibOptions = { level: options.level };
  }

  private start(block: Buffer): void {
    const compressed = gzipBlock(block, this.zlibOptions);
    compressed.catch(() => undefined); // awaited in order by drain(); this only keeps an early failure from being "unhandled"
    this.inFlight.push(compressed);
  }

  private async drain(keep: number): Promise<void> {
    while (this.inFlight.length > keep) this.push(await this.inFlight.shift()!);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytesIn += chunk.length;
    this.queue.push(chunk);
    const run = async () => {
      while (this.queue.length >= GZIP_BLOCK) {
        // Owned: the block outlives the call, and the producer may reuse its buffer once we return.
        this.start(this.queue.takeOwned(GZIP_BLOCK));
        await this.drain(this.parallelism - 1);
      }
    };
    run().then(() => callback(), (error: unknown) => callback(error as Error));
  }

  override _flush(callback: TransformCallback): void {
    const run = async () => {
      // An empty input still becomes one (empty) gzip member, so the output is always a gzip file.
      if (this.queue.length > 0 || this.bytesIn === 0) this.start(this.queue.takeOwned(this.queue.length));
      await this.drain(0);
    };
    run().then(() => callback(), (error: unknown) => callback(error as Error));
  }
}
