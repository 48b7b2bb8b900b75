import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

/** Data written between two fdatasync calls. */
const SYNC_EVERY = 8 * 1024 * 1024;

/**
 * Writes a new file (which must not exist), syncing it to disk every 8 MiB and once more at the end.
 * One fsync of a whole archive at the end makes the file system flush it all at once, and the store's
 * own commit fsyncs wait behind that (measured: stalls of ~100 ms); small regular syncs keep them short.
 * When `final` has run, the data is on disk and the file is closed.
 */
export class PacedFileWriter extends Writable {
  private handle: FileHandle | undefined;
  private unsynced = 0;
  bytes = 0;

  constructor(private readonly path: string) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.path, 'wx').then(
      (h) => {
        this.handle = h;
        callback();
      },
      (error: Error) => callback(error),
    );
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const run = async () => {
      let offset = 0;
      while (offset < chunk.length) offset += (await this.handle!.write(chunk, offset, chunk.length - offset)).bytesWritten;
      this.bytes += chunk.length;
      this.unsynced += chunk.length;
      if (this.unsynced >= SYNC_EVERY) {
        this.unsynced = 0;
        await this.handle!.datasync();
      }
    };
    run().then(() => callback(), (error: Error) => callback(error));
  }

  override _final(callback: (error?: Error | null) => void): void {
    const handle = this.handle!;
    this.handle = undefined;
    handle
      .sync()
      .finally(() => handle.close())
      .then(() => callback(), (error: Error) => callback(error));
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.handle;
    this.handle = undefined;
    if (handle === undefined) callback(error);
    else handle.close().then(() => callback(error), () => callback(error));
  }
}
