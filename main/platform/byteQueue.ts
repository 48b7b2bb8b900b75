/**
 * Bytes received in pieces, taken out in pieces of another size without copying everything on every
 * write (the stream transforms re-chunk 1 MiB reads into 64 KiB age chunks and back).
 */
export class ByteQueue {
  private readonly pieces: Buffer[] = [];
  private head = 0;
  length = 0;

  push(piece: Buffer): void {
    if (piece.length === 0) return;
    this.pieces.push(piece);
    this.length += piece.length;
  }

  /** Removes and returns the first `n` bytes (n ≤ length). */
  take(n: number): Buffer {
    if (n > this.length) throw new RangeError(`take(${n}) with ${this.length} bytes queued`);
    this.length -= n;
    const first = this.pieces[0];
    if (first !== undefined && first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.head += n;
      if (this.head === first.length) {
        this.pieces.shift();
        this.head = 0;
      }
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const piece = this.pieces[0]!;
      const available = piece.length - this.head;
      const used = Math.min(available, n - filled);
      piece.copy(out, filled, this.head, this.head + used);
      filled += used;
      this.head += used;
      if (this.head === piece.length) {
        this.pieces.shift();
        this.head = 0;
      }
    }
    return out;
  }

  /**
   * Like take, but the result never shares memory with a pushed piece, so it may be kept while the
   * producer reuses its buffers (one copy at most: a result spanning pieces is already a new buffer).
   */
  takeOwned(n: number): Buffer {
    const first = this.pieces[0];
    const shared = first !== undefined && first.length - this.head >= n;
    const out = this.take(n);
    return shared ? Buffer.from(out) : out;
  }

  /** Everything queued, as one buffer (the queue is left empty). */
  takeAll(): Buffer {
    return this.take(this.length);
  }

  /** The first `n` bytes without removing them (n ≤ length). */
  peek(n: number): Buffer {
    const out = this.take(n);
    this.pieces.unshift(out);
    this.head = 0;
    this.length += n;
    return out;
  }
}
