// TCP over Moddable's classic socket module: Socket for streams, Listener for servers.
// Translation only; the quirks of the two implementations (lin = the simulator, lwIP = devices)
// are absorbed here:
//
// - Writing: write() with no argument gives the free space and write(data) throws "can't write
//   all data" when data does not fit. We offer min(free, length), then take nothing more until the
//   "data sent" message (3) and report onWritable then. One write per "data sent" also keeps lin
//   safe: its free space always reads 1024 and a write into a full kernel buffer throws
//   "write failed" after sending part of it.
// - Reading and pause(): on lwIP, bytes not read in the "data received" callback stay in the socket
//   (read later, and the TCP window stays closed), so a paused stream simply does not read and
//   resume() reads what is there. On lin, bytes not read inside that callback are discarded, so a
//   paused stream still reads them into `held` and delivers them on resume(): memory is then
//   bounded only by the simulator's slow polling (1 KB per 20 ms).
// - Connection refused: lwIP reports "error" (-2) before "connected" → ECONNREFUSED. Lin reports
//   "connected" (its poll sees the failed socket writable) and then, two 20 ms polls later,
//   "disconnected", never "error". Rule (lin only): an outgoing stream's "connected" is passed on
//   only after LIN_PROBATION_MS without "disconnected", or at once when a byte arrives first; a
//   "disconnected" inside that window fails the connect with ECONNREFUSED. Cost: connect() on the
//   simulator returns 100 ms later. Misread case: a server that accepts and closes within that
//   window without sending a byte is reported as ECONNREFUSED (on lin the two are
//   indistinguishable).
// - Reset: lwIP reports "error" after "connected" → ECONNRESET. Lin reads a reset as an ordinary
//   disconnect, so there it is EOF (documented limitation of the simulator).
// - Closing an outgoing socket on lin before its "connected" message: see close().
// - Closing: calling close() inside the "disconnected" callback makes SDK 8.2.3 (lin) close the
//   native socket twice. We close exactly once, always from a Promise job (after the callback has
//   returned). On lin the SDK has already closed the native socket after "disconnected" and close()
//   throws "close on closed socket"; that throw is expected and ignored.
// - After "disconnected" writes fail with EPIPE, so there is no sending after the peer's half-close:
//   lin has closed the native socket by then, and lwIP has removed its callbacks from the pcb, so a
//   later reset would free the pcb without telling the socket (writing to it then is unsafe).
// - Options: the classic Socket takes noDelay/keepalive only in its constructor, and the core sets
//   them after connect(), so setNoDelay/setKeepAlive are accepted and have no effect. It has no
//   abort either, so close(reset) (SO_LINGER 0) is an ordinary close: lwIP's tcp_close (FIN, or
//   RST of its own when received bytes are unread) and lin's close().
// - Addresses: IPv4 only (lin's sockets are AF_INET). The classic API cannot report local
//   addresses, or a remote port of an accepted connection; we report what we know.
import { Socket, Listener as ClassicListener } from "socket";
import { OSError, EAFNOSUPPORT, EADDRINUSE, EBADF, ECONNREFUSED, ECONNRESET, EHOSTUNREACH, EPIPE } from "usocket-xs/errno";
import type { HostAddress, Listener, ListenerEvents, Stream, StreamEvents, TcpOptions } from "usocket-xs/port";
import Timer from "timer";
import { toOSError, bindAnyPort, defer, isLin } from "./platform";

/** lin: how long "connected" must stand before we believe it (see the rule above). */
const LIN_PROBATION_MS = 100;
const CONNECTED = 1, DATA_RECEIVED = 2, DATA_SENT = 3, DISCONNECTED = -1, ERROR = -2;

const quiet: StreamEvents = { onConnect() {}, onData() {}, onWritable() {}, onEnd() {}, onError() {} };
function ignore(): void {}

/** Close, ignoring "already closed" (lin closes the native socket itself after "disconnected"). */
function closeQuietly(s: { close(): void }): void {
  try { s.close(); } catch { /* already closed */ }
}

class ClassicStream implements Stream {
  private ev: StreamEvents;
  private connected: boolean;
  /** lin: "connected" was seen and is on probation. */
  private probation: unknown;
  /** The SDK reported "disconnected" or "error": the native socket is finished. */
  private gone = false;
  private closed = false;
  /** Accepted streams start paused: the core resumes them at accept() (port.ts). */
  private paused: boolean;
  private waitingSent = false;
  private drainScheduled = false;
  /** lin only: bytes read while paused (they would be lost otherwise). */
  private held: Uint8Array[] = [];
  private endHeld = false;

  constructor(
    private readonly sock: Socket, ev: StreamEvents, private readonly outgoing: boolean,
    private readonly peer?: HostAddress, private readonly localAddress?: HostAddress,
  ) {
    this.ev = ev;
    this.connected = this.paused = !outgoing;
    sock.callback = (message: number) => this.message(message);
  }

  attach(ev: StreamEvents): void {
    if (!this.closed) this.ev = ev;
  }

  private message(message: number): void {
    if (this.closed) return;
    switch (message) {
      case CONNECTED:
        if (this.connected || this.probation !== undefined) break;
        if (this.outgoing && isLin()) {
          this.probation = Timer.set(() => {
            this.probation = undefined;
            if (!this.closed && !this.gone) this.connectedNow();
          }, LIN_PROBATION_MS);
        } else {
          this.connectedNow();
        }
        break;
      case DATA_RECEIVED:
        this.readable();
        break;
      case DATA_SENT:
        if (this.waitingSent) { this.waitingSent = false; this.ev.onWritable(); }
        break;
      case DISCONNECTED:
        this.endProbation();
        this.finished(this.refusedOnLin() ? ECONNREFUSED : 0);
        break;
      case ERROR:
        this.finished(this.connected ? ECONNRESET : ECONNREFUSED);
        break;
    }
  }

  private endProbation(): void {
    if (this.probation !== undefined) { Timer.clear(this.probation as Parameters<typeof Timer.clear>[0]); this.probation = undefined; }
  }

  private connectedNow(): void {
    this.endProbation();
    if (this.connected) return;
    this.connected = true;
    this.ev.onConnect();
  }

  /** lin: "disconnected" before we passed "connected" on means refused. */
  private refusedOnLin(): boolean {
    return this.outgoing && !this.connected && isLin();
  }

  /** Read what the socket holds now; null when nothing. */
  private take(): Uint8Array | null {
    let n = 0;
    try { n = (this.sock as unknown as { read(): number }).read(); } catch { return null; }
    if (!n) return null;
    if (!this.connected) this.connectedNow(); // lin: a byte proves the connection
    return new Uint8Array(this.sock.read(ArrayBuffer));
  }

  private readable(): void {
    if (this.paused) {
      if (!isLin()) return; // lwIP keeps the bytes; resume() reads them
      const b = this.take();
      if (b) this.held.push(b);
      return;
    }
    const b = this.take();
    if (b) this.ev.onData(b);
  }

  /** "disconnected" (errno 0: EOF) or "error". */
  private finished(errno: number): void {
    if (this.gone) return;
    this.gone = true;
    if (errno) {
      const held = this.held.splice(0);
      for (let i = 0; i < held.length; i++) this.ev.onData(held[i]);
      this.ev.onError(errno);
    } else if (this.held.length) {
      this.endHeld = true;
    } else {
      this.ev.onEnd();
    }
    // A write waiting for "data sent" will not get it now: let it retry and fail.
    if (this.waitingSent) { this.waitingSent = false; this.ev.onWritable(); }
  }

  write(bytes: Uint8Array): number {
    if (this.closed) throw new OSError(EBADF);
    const fallback = this.refusedOnLin() ? ECONNREFUSED : EPIPE;
    if (this.gone) throw new OSError(fallback);
    if (this.waitingSent || bytes.length === 0) return 0;
    try {
      const n = Math.min(this.sock.write(), bytes.length); // write() with no argument: the free space
      this.waitingSent = true;
      if (n <= 0) return 0;
      this.sock.write((bytes.buffer as ArrayBuffer).slice(bytes.byteOffset, bytes.byteOffset + n));
      return n;
    } catch (e) {
      this.waitingSent = false;
      throw toOSError(e, "write", fallback);
    }
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    defer(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  /** After resume(): deliver what was held back, then what lwIP kept for us. */
  private drain(): void {
    while (!this.closed && !this.paused && this.held.length) this.ev.onData(this.held.shift()!);
    if (this.closed || this.paused) return;
    if (this.endHeld) { this.endHeld = false; this.ev.onEnd(); return; }
    if (!this.gone && !isLin()) {
      const b = this.take();
      if (b) this.ev.onData(b);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ev = quiet;
    this.held = [];
    const sock = this.sock;
    // lin: the SDK posts "connected" once and delivers it even to a socket closed in the meantime,
    // after freeing it (modSocket.c socketConnected has no `done` check): the simulator aborts with
    // "cannot coerce to object", then crashes. So an outgoing socket whose "connected" has not come
    // yet is closed when it comes (a connect that never completes: when TCP gives up on it).
    const early = isLin() && this.outgoing && !this.connected && this.probation === undefined && !this.gone;
    sock.callback = early ? (m: number) => { if (m === CONNECTED) defer(() => closeQuietly(sock)); } : ignore;
    if (!early) defer(() => closeQuietly(sock));
  }

  setNoDelay(_on: boolean): void {}
  setKeepAlive(_on: boolean): void {}

  /** Accepted streams: the listener's address; outgoing ones: unknown to the classic API. */
  local(): HostAddress | undefined {
    return this.localAddress;
  }

  remote(): HostAddress | undefined {
    return this.peer;
  }
}

/**
 * An accepted socket's peer, read at once (a socket that is reset later can no longer say).
 * The classic API knows the address only, not the port; lin's get("REMOTE_IP") returns garbage
 * (it formats the sockaddr, not sin_addr), so there the peer is unknown.
 */
function acceptedPeer(sock: Socket): HostAddress | undefined {
  if (isLin()) return undefined;
  try {
    const ip = (sock as unknown as { get(what: string): string | undefined }).get("REMOTE_IP");
    return ip ? [ip, 0] : undefined;
  } catch {
    return undefined;
  }
}

function ipv4Only(options: TcpOptions, what: string): void {
  if (options.family !== 4) throw new OSError(EAFNOSUPPORT, `${what}: the Moddable host supports IPv4 only`);
}

export function connect(address: string, port: number, options: TcpOptions, events: StreamEvents): Stream {
  ipv4Only(options, "connect");
  let sock: Socket;
  // "host" rather than "address": lin accepts only host (numeric strings resolve to themselves).
  try { sock = new Socket({ host: address, port }); } catch (e) { throw toOSError(e, "connect", EHOSTUNREACH); }
  return new ClassicStream(sock, events, true, [address, port]);
}

export function listen(address: string, port: number, _backlog: number, options: TcpOptions, events: ListenerEvents): Listener {
  ipv4Only(options, "listen");
  // lin binds every interface whatever address says; lwIP honours it.
  let l!: ClassicListener;
  const open = (p: number) => { l = new ClassicListener({ port: p, address }); };
  try {
    if (port === 0) port = bindAnyPort(open);
    else open(port);
  } catch (e) {
    throw toOSError(e, `listen on ${address}:${port}`, EADDRINUSE);
  }
  let open_ = true;
  l.callback = function () {
    let s: Socket;
    try { s = new Socket({ listener: l }); } catch { return; }
    if (!open_) { defer(() => closeQuietly(s)); return; }
    const stream = new ClassicStream(s, quiet, false, acceptedPeer(s), [address, port]);
    stream.attach(events.onConnection(stream));
  };
  return {
    close() {
      if (!open_) return;
      open_ = false;
      closeQuietly(l as unknown as { close(): void });
    },
    local() { return [address, port]; },
  };
}
