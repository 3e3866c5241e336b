// TCP as the core sees it: one connection (what has arrived, what is waiting, and how it ended),
// and a listening socket (connections accepted by the host that the program has not accept()ed yet).
import { OSError, EPIPE, ENOTCONN } from "./errno";
import { RxQueue } from "./rx-queue";
import { WaitQueue, WOULD_BLOCK } from "./wait-queue";
import type { Listener, ListenerEvents, Port, Stream, StreamEvents } from "./port";

function quiet(): void {}

/** A const enum: tsc and esbuild write the numbers in place, so no Phase object exists at run time. */
export const enum Phase { Idle, Connecting, Connected, Failed, Closed }

export class TcpStream implements StreamEvents {
  stream: Stream | undefined;
  phase: Phase;
  readonly rx = new RxQueue();
  readonly reads: WaitQueue;
  readonly writes: WaitQueue;
  eof = false;
  /** errno of a failure not yet reported to the program (0 when none), and what the host said of it. */
  error = 0;
  private errorDetail: string | undefined;
  /** A failure was reported: later reads see EOF, later writes EPIPE. */
  failed = false;
  /** The host took less than it was offered: no room until onWritable (select's POLLOUT). */
  full = false;
  /** Called after any event that may make the stream readable or writable (select's wake-up). */
  notify = quiet;

  /** Accepted streams start paused (port.ts: onConnection), outgoing ones reading. */
  constructor(port: Port, private readonly rxLimit: number, phase: Phase, private paused = false) {
    this.phase = phase;
    const flow = () => { this.flow(); this.notify(); };
    this.reads = new WaitQueue(port, flow);
    this.writes = new WaitQueue(port, flow);
  }

  // ---- events from the host ----
  onConnect(): void {
    if (this.phase !== Phase.Connecting) return;
    this.phase = Phase.Connected;
    this.writes.wake();
    this.reads.wake();
  }
  onData(bytes: Uint8Array): void {
    if (this.phase === Phase.Closed) return;
    this.rx.push(bytes);
    this.reads.wake();
  }
  onWritable(): void {
    this.full = false;
    this.writes.wake();
  }
  onEnd(): void {
    this.eof = true;
    this.reads.wake();
  }
  onError(errno: number, detail?: string): void {
    if (this.phase === Phase.Closed || this.error || this.failed) return;
    this.error = errno;
    this.errorDetail = detail;
    if (this.phase === Phase.Connecting) this.phase = Phase.Failed;
    this.writes.wake();
    this.reads.wake();
  }

  /** Read from the host only while there is room, or while a read is waiting for more. */
  flow(): void {
    const s = this.stream;
    if (!s || this.phase === Phase.Closed) return;
    const full = this.rx.length >= this.rxLimit && !this.reads.busy;
    if (full !== this.paused) {
      this.paused = full;
      if (full) s.pause(); else s.resume();
    }
  }

  /** After a read took bytes: there may be room to read from the host again. */
  private taken(bytes: Uint8Array): Uint8Array {
    if (this.paused && this.rx.length < this.rxLimit) this.flow();
    return bytes;
  }

  /** Raise the pending failure once; afterwards the stream reads as ended. */
  throwPending(): never {
    const e = this.error;
    this.error = 0;
    this.failed = true;
    throw new OSError(e, this.errorDetail);
  }

  private get ended(): boolean {
    return this.eof || this.failed;
  }

  // ---- attempts: a value, WOULD_BLOCK, or a thrown OSError ----

  /** recv(n): whatever is there, at most n. */
  recv(n: number, peek: boolean): Uint8Array | typeof WOULD_BLOCK {
    if (n === 0 && this.phase === Phase.Connected) return new Uint8Array(0); // as CPython and lwIP: no wait
    if (this.rx.length) return this.taken(this.rx.take(n, !peek));
    if (this.error) this.throwPending();
    if (this.ended) return new Uint8Array(0);
    if (this.phase !== Phase.Connected && this.phase !== Phase.Connecting) throw new OSError(ENOTCONN);
    return WOULD_BLOCK;
  }

  /** read(n)/readinto: n bytes, or fewer at EOF; n = Infinity reads to EOF. */
  readExactly(n: number): Uint8Array | typeof WOULD_BLOCK {
    if (this.rx.length >= n) return this.taken(this.rx.take(n));
    if (this.error && this.rx.length === 0) this.throwPending();
    if (this.ended || this.error) return this.taken(this.rx.take(this.rx.length));
    if (this.phase !== Phase.Connected && this.phase !== Phase.Connecting) throw new OSError(ENOTCONN);
    return WOULD_BLOCK;
  }

  /** A line with its "\n", or the tail before EOF; at most limit bytes of it. */
  readline(limit: number): Uint8Array | typeof WOULD_BLOCK {
    const len = this.rx.lineLength();
    if (len >= 0) return this.taken(this.rx.take(Math.min(len, limit)));
    if (this.rx.length >= limit) return this.taken(this.rx.take(limit));
    return this.readExactly(Infinity);
  }

  /** What one non-blocking read would give: some bytes, EOF (empty), or null for "nothing yet". */
  readAvailable(n: number): Uint8Array | null {
    const r = this.recv(n, false);
    return r === WOULD_BLOCK ? null : r;
  }

  /** send(): how many bytes the host took, at least one. */
  send(bytes: Uint8Array): number | typeof WOULD_BLOCK {
    this.checkWritable();
    if (this.phase === Phase.Connecting) return WOULD_BLOCK;
    if (bytes.length === 0) return 0;
    const n = this.stream!.write(bytes);
    if (n < bytes.length) this.full = true;
    return n > 0 ? n : WOULD_BLOCK;
  }

  private checkWritable(): void {
    if (this.error) this.throwPending();
    if (this.failed) throw new OSError(EPIPE);
    if (this.phase !== Phase.Connected && this.phase !== Phase.Connecting) throw new OSError(ENOTCONN);
  }

  /**
   * An attempt that writes all of bytes across as many wake-ups as it takes. The caller's buffer
   * may be detached (transferred) or shrunk while it waits: that fails the call, never a success
   * for bytes that were not sent.
   */
  sendAll(bytes: Uint8Array): () => number | typeof WOULD_BLOCK {
    let done = 0;
    const total = bytes.length;
    return () => {
      this.checkWritable();
      if (this.phase === Phase.Connecting) return WOULD_BLOCK;
      if (bytes.length !== total) throw new TypeError(`the buffer was detached or resized while waiting: ${done} of ${total} bytes were sent`);
      while (done < total) {
        const k = this.stream!.write(done ? bytes.subarray(done) : bytes);
        if (k < total - done) this.full = true;
        if (k === 0) return WOULD_BLOCK;
        done += k;
      }
      return done;
    };
  }

  /** reset: SO_LINGER 0, end with RST where the host can. */
  close(reset = false): void {
    if (this.phase === Phase.Closed) return;
    this.phase = Phase.Closed;
    const s = this.stream;
    this.stream = undefined;
    this.rx.clear();
    this.reads.failAll();
    this.writes.failAll();
    if (s) s.close(reset);
  }
}

/**
 * Connections the host accepted and the program has not accept()ed yet wait here, paused (the host
 * reads nothing from them), for as long as the program likes: none is closed for lack of room.
 * What bounds them is the platform's (README, "Servers under load").
 */
export class TcpListener implements ListenerEvents {
  listener: Listener | undefined;
  readonly accepts: WaitQueue;
  private pending: TcpStream[] = [];
  error = 0;
  /** Called when a client arrives or the listener fails (select's wake-up). */
  notify = quiet;

  constructor(private readonly port: Port, private readonly rxLimit: number) {
    this.accepts = new WaitQueue(port, () => this.notify());
  }

  /** Connections accept() would return at once. */
  get waiting(): number {
    return this.pending.length;
  }

  onConnection(stream: Stream): StreamEvents {
    const conn = new TcpStream(this.port, this.rxLimit, Phase.Connected, true);
    conn.stream = stream;
    if (!this.listener) conn.close();
    else {
      this.pending.push(conn);
      this.accepts.wake();
    }
    return conn;
  }

  onError(errno: number): void {
    this.error = errno;
    this.accepts.wake();
  }

  /** The next connection, resumed; a listener error (EMFILE, say) is raised once. */
  accept(): TcpStream | typeof WOULD_BLOCK {
    const c = this.pending.shift();
    if (c) { c.flow(); return c; }
    const e = this.error;
    if (e) { this.error = 0; throw new OSError(e); }
    return WOULD_BLOCK;
  }

  close(): void {
    const l = this.listener;
    this.listener = undefined;
    const p = this.pending;
    for (let i = 0; i < p.length; i++) p[i].close();
    this.pending = [];
    this.accepts.failAll();
    if (l) l.close();
  }
}
