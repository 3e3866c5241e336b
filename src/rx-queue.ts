// Bytes received on a stream and not yet read: a list of chunks, taken from the front.

export class RxQueue {
  private chunks: Uint8Array[] = [];
  private head = 0; // index of the first live chunk
  private offset = 0; // bytes already taken from chunks[head]
  length = 0;
  /** Bytes at the front already known to hold no "\n" (so readline does not rescan them). */
  private scanned = 0;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  /** Up to n bytes from the front; a view of the received chunk when one chunk covers them. */
  take(n: number, consume = true): Uint8Array {
    n = Math.min(n, this.length);
    if (n === 0) return new Uint8Array(0);
    const first = this.chunks[this.head];
    let out: Uint8Array;
    if (first.length - this.offset >= n) {
      out = n === first.length ? first : first.subarray(this.offset, this.offset + n); // a whole chunk is returned as it is
    } else {
      out = new Uint8Array(n);
      let o = 0, i = this.head, off = this.offset;
      while (o < n) {
        const c = this.chunks[i];
        const k = Math.min(c.length - off, n - o);
        out.set(c.subarray(off, off + k), o);
        o += k; i++; off = 0;
      }
    }
    if (consume) this.skip(n);
    return out;
  }

  skip(n: number): void {
    this.length -= n;
    this.scanned = Math.max(0, this.scanned - n);
    while (n > 0) {
      const c = this.chunks[this.head];
      const avail = c.length - this.offset;
      if (n < avail) { this.offset += n; return; }
      n -= avail;
      this.chunks[this.head] = undefined as unknown as Uint8Array;
      this.head++;
      this.offset = 0;
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) { this.chunks = this.chunks.slice(this.head); this.head = 0; }
    if (this.length === 0) { this.chunks.length = 0; this.head = 0; }
  }

  /** Number of bytes up to and including the first "\n", or -1. */
  lineLength(): number {
    let seen = 0;
    for (let i = this.head; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      let start = i === this.head ? this.offset : 0;
      const size = c.length - start;
      if (seen + size <= this.scanned) { seen += size; continue; }
      if (seen < this.scanned) { start += this.scanned - seen; seen = this.scanned; }
      const at = c.indexOf(10, start);
      if (at >= 0) return seen + at - start + 1;
      seen += c.length - start;
    }
    this.scanned = seen;
    return -1;
  }
}
