import { closeSync, fdatasync, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { writeFileDurablySync } from './durable.js';

/**
 * A small file rewritten in place many times a second (a head record after every commit). Its descriptor
 * is kept open and a rewrite is a bare pwrite: an open/close, a stat or an fstat beside each write were
 * measured (this VM, ext4) to slow the commit fsync that follows by 60–100 µs, where the write itself
 * costs 3 µs. Each rewrite has the same length (the caller pads it) and stays inside the first disk
 * sector, which a power cut does not tear. A file renamed over it (a restore, an acknowledged loss,
 * another process) is noticed at the next flush() or revalidate() and reopened; a missing one is created
 * durably.
 */
export class RecordFile {
  private fd: number | undefined;
  private inode: number | undefined;
  private size = 0;
  private flushing = 0;
  private closeWhenFlushed = false;
  /** Descriptors of files renamed away while a flush was in flight on them: closed once none is. */
  private stale: number[] = [];

  constructor(private readonly path: string) {}

  /** The file's first `maxBytes` bytes as they are now (undefined: no file). */
  read(maxBytes: number): Buffer | undefined {
    const fd = this.descriptor();
    if (fd === undefined) return undefined;
    const buffer = Buffer.alloc(maxBytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, maxBytes, 0));
  }

  /**
   * Replaces the content; with `sync`, on the disk when this returns (one fdatasync), else in the page
   * cache (it survives the process, not a power cut) until flush(). Throws what the disk says.
   */
  overwrite(content: Buffer, sync: boolean): void {
    const fd = this.descriptor();
    if (fd === undefined) {
      writeFileDurablySync(this.path, content);
      return;
    }
    writeSync(fd, content, 0, content.length, 0);
    if (this.size > content.length) {
      ftruncateSync(fd, content.length); // a longer file of an older format: once, with its size synced too
      fsyncSync(fd);
    } else if (sync) fdatasyncSync(fd);
    this.size = content.length;
  }

  /** Puts what was written on the disk, off the main thread (one fdatasync in libuv's pool). */
  flush(): Promise<void> {
    this.revalidate();
    const fd = this.descriptor();
    if (fd === undefined) return Promise.resolve();
    this.flushing++;
    return new Promise<void>((resolve, reject) =>
      fdatasync(fd, (error) => {
        this.flushing--;
        if (this.flushing === 0) {
          for (const old of this.stale.splice(0)) closeSync(old);
          if (this.closeWhenFlushed) this.closeNow();
        }
        if (error === null) resolve();
        else reject(error);
      }),
    );
  }

  /** Drops the descriptor when the path now names another file (or none): the next write opens it anew. */
  revalidate(): void {
    if (this.fd === undefined) return;
    let inode: number | undefined;
    try {
      inode = statSync(this.path).ino;
    } catch {
      inode = undefined;
    }
    if (inode === this.inode) return;
    if (this.flushing > 0) this.stale.push(this.fd);
    else closeSync(this.fd);
    this.fd = this.inode = undefined;
  }

  /** Closes the descriptor (after any flush in flight: its number must not be reused under it). */
  close(): void {
    if (this.flushing > 0) this.closeWhenFlushed = true;
    else this.closeNow();
  }

  private closeNow(): void {
    this.closeWhenFlushed = false;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = this.inode = undefined;
  }

  private descriptor(): number | undefined {
    if (this.fd !== undefined) return this.fd;
    try {
      this.fd = openSync(this.path, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const stat = fstatSync(this.fd);
    this.inode = stat.ino;
    this.size = stat.size;
    return this.fd;
  }
}
