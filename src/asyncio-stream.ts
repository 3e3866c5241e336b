// asyncio's Stream (MicroPython has one class for both ends; StreamReader and StreamWriter are
// names for it): a blocking socket's calls, made cancellable (asyncio-task.ts), plus MicroPython's
// buffered write()/drain(). Every read waits in the socket's own wait queue, so a cancelled or
// timed-out read leaves the bytes it had not yet returned for the next one.
import { host } from "usocket-xs/host";
import { toBytes, toWritableBytes, checkInt, concat, type BytesLike } from "./bytes";
import { CancelledError, operation, startedRecently, type Ownable } from "./asyncio-task";
import type { HostAddress } from "./port";

/** What a Stream needs of its socket: a usocket-xs Socket, or a TLS socket with the same calls. */
export interface StreamSocket {
  recv(n: number): Promise<Uint8Array>;
  read(n?: number): Promise<Uint8Array | null>;
  readline(limit?: number): Promise<Uint8Array | null>;
  sendall(data: BytesLike): Promise<void>;
  close(): void;
  getpeername(): HostAddress;
  getsockname(): HostAddress;
  /** Reject the waiting receives (which & 1) and sends (which & 2) with error; consume nothing. */
  cancelWaits(error: unknown, which?: number): void;
}

/** readexactly() met EOF first (MicroPython raises EOFError); partial holds what did arrive. */
export class EOFError extends Error {
  declare readonly name: string;
  constructor(readonly partial: Uint8Array, readonly expected: number) {
    super(`readexactly: EOF after ${partial.length} of ${expected} bytes`);
  }
}
Object.defineProperty(EOFError.prototype, "name", { value: "EOFError" });

const READS = 1, WRITES = 2;
const EMPTY = new Uint8Array(0);
function quiet(): void {}

/** One operation in progress: cancel() rejects it through the socket's queue. */
class Op {
  pending = true;
  error: CancelledError | undefined;
  constructor(private readonly stream: Stream, private readonly which: number) {}
  cancel(e: CancelledError): void {
    if (!this.pending || this.error) return;
    this.error = e;
    this.stream.s.cancelWaits(e, this.which);
    this.stream.wake(e);
  }
}

export class Stream implements Ownable {
  private ops: Op[] = [];
  /** The owner was cancelled while nothing waited: the next operation raises this, once. */
  private cancelNext: CancelledError | undefined;
  /** write()s of this job, sent together (one send instead of one per write). */
  private out: Uint8Array[] = [];
  private outBytes = 0;
  private lastWrite: Promise<void> | undefined;
  private writeError: unknown;
  private closed: Promise<void> | undefined;
  /** A drain() with nothing to send waits one timer turn here; cancel() ends the wait. */
  private yielding: ((e: CancelledError) => void) | undefined;

  constructor(readonly s: StreamSocket, private readonly peer?: HostAddress) {}

  busy(): boolean {
    return this.ops.length > 0;
  }

  /** Cancellation by a task that owns this stream (rules 2 and 3 of asyncio-task.ts). */
  cancel(e: CancelledError): void {
    const ops = this.ops;
    if (!ops.length) { this.cancelNext = e; return; }
    for (let i = 0; i < ops.length; i++) ops[i].cancel(e);
  }

  /** A cancelled drain() that waits for its turn stops waiting. */
  wake(e: CancelledError): void {
    const y = this.yielding;
    this.yielding = undefined;
    if (y) y(e);
  }

  private run<R>(which: number, start: () => Promise<R>): Promise<R> {
    const c = this.cancelNext;
    if (c) { this.cancelNext = undefined; return Promise.reject(c); }
    let p: Promise<R>;
    try { p = start(); } catch (e) { return Promise.reject(e); }
    const op = new Op(this, which);
    const ops = this.ops;
    if (ops.push(op) === 1) startedRecently(this);
    const end = () => {
      op.pending = false;
      const i = ops.indexOf(op);
      if (i >= 0) ops.splice(i, 1);
    };
    const q = p.then((v) => {
      end();
      // Finished with data just as it was cancelled: keep the data, raise at the next operation.
      if (op.error) this.cancelNext = op.error;
      return v;
    }, (e) => {
      end();
      throw op.error ?? e;
    });
    return operation(q, op);
  }

  /** Up to n bytes once some are there (empty at EOF); n < 0: everything up to EOF. */
  read(n = -1): Promise<Uint8Array> {
    const s = this.s;
    return this.run(READS, () => (checkInt(n, "read", "n") < 0 ? s.read() : n === 0 ? Promise.resolve(EMPTY) : s.recv(n)) as Promise<Uint8Array>);
  }

  /** Fills buf with what is there once something is (0 at EOF); returns the count. */
  readinto(buf: ArrayBuffer | ArrayBufferView): Promise<number> {
    const s = this.s;
    return this.run(READS, async () => {
      const dst = toWritableBytes(buf, "readinto");
      const d = dst.length ? await s.recv(dst.length) : EMPTY;
      dst.set(d);
      return d.length;
    });
  }

  /** Exactly n bytes; EOFError if the stream ends first. */
  readexactly(n: number): Promise<Uint8Array> {
    const s = this.s;
    return this.run(READS, async () => {
      if (checkInt(n, "readexactly", "n") < 0) throw new RangeError(`readexactly: n must not be negative, got ${n}`);
      const d = n ? (await s.read(n))! : EMPTY;
      if (d.length < n) throw new EOFError(d, n);
      return d;
    });
  }

  /** A line with its "\n", or what is left before EOF (empty at EOF). limit: at most that many bytes (ours). */
  readline(limit?: number): Promise<Uint8Array> {
    const s = this.s;
    return this.run(READS, () => s.readline(limit) as Promise<Uint8Array>);
  }

  /**
   * Queue bytes to send: they go once the current job is done (the write()s of one job in one
   * send), or at drain(). The bytes are copied: the caller may reuse its buffer at once.
   */
  write(buf: BytesLike): void {
    const b = toBytes(buf, "write");
    if (!b.length) return;
    this.outBytes += b.length;
    if (this.out.push(typeof buf === "string" ? b : b.slice()) === 1) Promise.resolve().then(() => this.flush());
  }

  private flush(): void {
    const out = this.out;
    if (!out.length) return;
    const b = out.length === 1 ? out[0] : concat(out, this.outBytes);
    this.out = [];
    this.outBytes = 0;
    const p = this.s.sendall(b);
    this.lastWrite = p;
    p.then(() => { if (this.lastWrite === p) this.lastWrite = undefined; }, (e) => {
      if (this.writeError === undefined) this.writeError = e;
      if (this.lastWrite === p) this.lastWrite = undefined;
    });
  }

  /** Wait until everything written has been sent; raises the error a send met. Always yields. */
  drain(): Promise<void> {
    this.flush();
    return this.run(WRITES, async () => {
      const w = this.lastWrite;
      if (w) await w.then(quiet, quiet);
      else await this.turn();
      const e = this.writeError;
      if (e !== undefined) { this.writeError = undefined; throw e; }
    });
  }

  /** One turn of the event loop (a 0 ms timer: I/O runs first), so write+drain loops never starve others. */
  private turn(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stop = (e: CancelledError) => { host.clearTimer(t); reject(e); };
      const t = host.setTimer(0, () => { if (this.yielding === stop) this.yielding = undefined; resolve(); });
      this.yielding = stop;
    });
  }

  /** Close once what was written has been sent. */
  close(): void {
    if (this.closed) return;
    this.flush();
    const s = this.s;
    const close = () => { s.close(); };
    const w = this.lastWrite;
    if (w) this.closed = w.then(close, close);
    else { close(); this.closed = Promise.resolve(); }
  }

  /** close(), and wait until it is done. */
  wait_closed(): Promise<void> {
    this.close();
    return this.closed!;
  }

  aclose(): Promise<void> {
    return this.wait_closed();
  }

  /** "peername" or "sockname" as [host, port]; "socket" the socket; anything else: dflt. */
  get_extra_info(name: string, dflt?: unknown): unknown {
    try {
      if (name === "peername") return this.peer ?? this.s.getpeername();
      if (name === "sockname") return this.s.getsockname();
    } catch {
      return dflt;
    }
    return name === "socket" ? this.s : dflt;
  }
}
