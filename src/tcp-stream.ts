// TCP as the core sees it: one connection (what has arrived, what is waiting, and how it ended),
// and a listening socket (connections accepted by the host that the program has not accept()ed yet).
//
// Memory: an idle server may hold many connections, and every property of every one is a slot of
// XS's heap (32 bytes on the simulator, 16 on ESP32). So a connection nobody reads from has three
// (stream, port, state): its receive queue, wait queues and error exist only once needed, its
// flags share one number with its phase, and no closure is made per connection (the wait queues
// call one shared function with the stream as `this`).
import { OSError, Errno } from "./errno";
import { RxQueue } from "./rx-queue";
import { DETACHED } from "./arguments";
import { WaitQueue, WOULD_BLOCK, notifyOwner } from "./wait-queue";
import type { Listener, ListenerEvents, Stream, StreamEvents } from "./port";
import { host } from "usocket-xs/host";

/** A const enum: tsc and esbuild write the numbers in place, so no Phase object exists at run time. */
export const enum Phase { Idle, Connecting, Connected, Failed, Closed }

/** TcpStream.state: the phase in the low bits, then one bit per flag. */
export const enum S {
  Phase = 7,
  /** The peer closed its side. */
  Eof = 8,
  /** A failure was reported: later reads see EOF, later writes EPIPE. */
  Failed = 16,
  /** The host took less than it was offered: no room until onWritable (select's POLLOUT). */
  Full = 32,
  /** We asked the host to stop reading (flow control). */
  Paused = 64,
}

/** What rx reads as while nothing is queued (never pushed into: onData makes a stream its own). */
const EMPTY = new RxQueue();

/** The wait queues' change hook (one function for every stream: `this` is the stream). */
function streamChanged(this: TcpStream): void {
  this.flow();
  this.notify();
}

export class TcpStream implements StreamEvents {
  stream: Stream | undefined;
  /** Phase | S bits. */
  state: number;
  /** errno of a failure not yet reported to the program (0 or absent when none). */
  declare error?: number;
  /** What the host said of that failure. */
  declare private detail?: string;
  declare private q?: RxQueue;
  declare private r?: WaitQueue;
  declare private w?: WaitQueue;

  /** Accepted streams start paused (port.ts: onConnection), outgoing ones reading. */
  constructor(phase: Phase, paused = false) {
    this.state = paused ? phase | S.Paused : phase;
  }

  get phase(): Phase {
    return this.state & S.Phase;
  }

  private set(phase: Phase): void {
    this.state = (this.state & ~S.Phase) | phase;
  }

  /** Bytes received and not read yet. */
  get rx(): RxQueue {
    return this.q ?? EMPTY;
  }

  get reads(): WaitQueue {
    return this.r ??= new WaitQueue(streamChanged, this);
  }

  get writes(): WaitQueue {
    return this.w ??= new WaitQueue(streamChanged, this);
  }

  /** Called after any event that may make the stream readable or writable (select's wake-up; socket.ts sets it). */
  notify(): void {}

  /** Run q's waiters, or (no queue: nobody waits) just the change hook. */
  private wake(q: WaitQueue | undefined): void {
    if (q) q.wake(); else streamChanged.call(this);
  }

  private wakeBoth(): void {
    this.w?.wake();
    this.wake(this.r);
  }

  // ---- events from the host ----
  onConnect(): void {
    if (this.phase !== Phase.Connecting) return;
    this.set(Phase.Connected);
    this.wakeBoth();
  }
  onData(bytes: Uint8Array): void {
    if (this.phase === Phase.Closed) return;
    (this.q ??= new RxQueue()).push(bytes);
    this.wake(this.r);
  }
  onWritable(): void {
    this.state &= ~S.Full;
    this.wake(this.w);
  }
  onEnd(): void {
    this.state |= S.Eof;
    this.wake(this.r);
  }
  onError(errno: number, detail?: string): void {
    if (this.phase === Phase.Closed || this.error || (this.state & S.Failed)) return;
    this.error = errno;
    if (detail !== undefined) this.detail = detail;
    if (this.phase === Phase.Connecting) this.set(Phase.Failed);
    this.wakeBoth();
  }

  /** Read from the host only while there is room, or while a read is waiting for more. */
  flow(): void {
    const s = this.stream;
    if (!s || this.phase === Phase.Closed) return;
    const full = this.rx.length >= host.rxLimit && !this.r?.busy;
    if (full !== ((this.state & S.Paused) !== 0)) {
      this.state ^= S.Paused;
      if (full) s.pause(); else s.resume();
    }
  }

  /** After a read took bytes: there may be room to read from the host again; an empty queue goes. */
  private taken(bytes: Uint8Array): Uint8Array {
    const q = this.q;
    if (q && !q.length) this.q = undefined;
    if ((this.state & S.Paused) && this.rx.length < host.rxLimit) this.flow();
    return bytes;
  }

  /** Raise the pending failure once; afterwards the stream reads as ended. */
  throwPending(): never {
    const e = this.error!;
    this.error = 0;
    this.state |= S.Failed;
    throw new OSError(e, this.detail);
  }

  /** Connected or connecting: reads and writes may wait; otherwise they fail with ENOTCONN. */
  private checkOpen(): void {
    const p = this.phase;
    if (p !== Phase.Connected && p !== Phase.Connecting) throw new OSError(Errno.ENOTCONN);
  }

  // ---- attempts: a value, WOULD_BLOCK, or a thrown OSError ----

  /** recv(n): whatever is there, at most n. */
  recv(n: number, peek: boolean): Uint8Array | typeof WOULD_BLOCK {
    if (n === 0 && this.phase === Phase.Connected) return new Uint8Array(0); // as CPython and lwIP: no wait
    if (this.rx.length) return this.taken(this.rx.take(n, !peek));
    if (this.error) this.throwPending();
    if (this.state & (S.Eof | S.Failed)) return new Uint8Array(0); // ended
    this.checkOpen();
    return WOULD_BLOCK;
  }

  /** read(n)/readinto: n bytes, or fewer at EOF; n = Infinity reads to EOF. */
  readExactly(n: number): Uint8Array | typeof WOULD_BLOCK {
    const rx = this.rx;
    if (rx.length >= n) return this.taken(rx.take(n));
    if (this.error && rx.length === 0) this.throwPending();
    if (this.state & (S.Eof | S.Failed) || this.error) return this.taken(rx.take(rx.length)); // ended or failing
    this.checkOpen();
    return WOULD_BLOCK;
  }

  /** A line with its "\n", or the tail before EOF; at most limit bytes of it. */
  readline(limit: number): Uint8Array | typeof WOULD_BLOCK {
    const rx = this.rx;
    const len = rx.lineLength();
    if (len >= 0) return this.taken(rx.take(Math.min(len, limit)));
    if (rx.length >= limit) return this.taken(rx.take(limit));
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
    if (n < bytes.length) this.state |= S.Full;
    return n > 0 ? n : WOULD_BLOCK;
  }

  private checkWritable(): void {
    if (this.error) this.throwPending();
    if (this.state & S.Failed) throw new OSError(Errno.EPIPE);
    this.checkOpen();
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
      if (bytes.length !== total) throw new TypeError(`${DETACHED}: ${done} of ${total} bytes were sent`);
      while (done < total) {
        const k = this.stream!.write(done ? bytes.subarray(done) : bytes);
        if (k < total - done) this.state |= S.Full;
        if (k === 0) return WOULD_BLOCK;
        done += k;
      }
      return done;
    };
  }

  /** reset: SO_LINGER 0, end with RST where the host can. */
  close(reset = false): void {
    if (this.phase === Phase.Closed) return;
    this.set(Phase.Closed);
    const s = this.stream;
    this.stream = undefined;
    this.q = undefined;
    this.r?.failAll();
    this.w?.failAll();
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
  private pending: TcpStream[] = [];
  readonly accepts: WaitQueue;
  error = 0;

  constructor() {
    this.accepts = new WaitQueue(notifyOwner, this);
  }

  /** Called when a client arrives or the listener fails (select's wake-up; socket.ts sets it). */
  notify(): void {}

  /** Connections accept() would return at once. */
  get waiting(): number {
    return this.pending.length;
  }

  onConnection(stream: Stream): StreamEvents {
    const conn = new TcpStream(Phase.Connected, true);
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
