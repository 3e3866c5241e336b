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
//   resume() reads what is there. (lin: see tcp-lin.ts.)
// - Connection refused: lwIP reports "error" (-2) before "connected" → ECONNREFUSED; lin reports
//   "connected" then "disconnected" (tcp-lin.ts).
// - Closing an outgoing socket on lin before its "connected" message: see tcp-lin.ts, close().
// - Reset: lwIP reports "error" after "connected" → ECONNRESET. Lin reads a reset as an ordinary
//   disconnect, so there it is EOF (documented limitation of the simulator).
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
import { OSError, Errno } from "usocket-xs/errno";
import type { HostAddress, Listener, ListenerEvents, Stream, StreamEvents, TcpOptions } from "usocket-xs/port";
import Timer from "timer";
import { toOSError, bindPort, ipv4Only, defer, isLin } from "./platform";
import { linStream } from "./tcp-lin";

/** The classic Socket's callback messages. */
export const enum Msg { Connected = 1, DataReceived = 2, DataSent = 3, Disconnected = -1, Error = -2 }

/** Close, ignoring "already closed" (lin closes the native socket itself after "disconnected"). */
function closeQuietly(s: { close(): void }): void {
  try { s.close(); } catch { /* already closed */ }
}

// A stream's state, one bit each in `flags`: every property of every connection is a slot of XS's
// heap (32 bytes on the simulator, 16 on ESP32), and an idle server may hold many connections.
// A const enum: tsc writes the numbers in place.
export const enum F {
  Outgoing = 1, Connected = 2, Gone = 4, Closed = 8, Paused = 16, WaitingSent = 32, DrainScheduled = 64,
  /** lin (tcp-lin.ts): an EOF waits behind bytes held while paused; close once "connected" comes. */
  EndHeld = 128, CloseOnConnected = 256,
}

/** The socket's stream, kept on the socket so that one callback function serves every socket. */
type OwnedSocket = Socket & { usx?: ClassicStream };
function onSocketMessage(this: OwnedSocket, message: number): void {
  this.usx?.message(message);
}

/**
 * A stream on lwIP (ESP32, ESP8266). The simulator's rules (lin) are a subclass in tcp-lin.ts,
 * which device builds replace with a stub (manifest.json), so a board carries none of that code.
 */
export class ClassicStream implements Stream {
  protected ev: StreamEvents;
  /** F bits (above). F.Gone: the SDK reported "disconnected" or "error". */
  protected flags: number;
  protected readonly sock: OwnedSocket;
  /** Set only when known (an absent property costs no slot). */
  declare private readonly peer?: HostAddress;
  declare private readonly localAddress?: HostAddress;

  constructor(sock: OwnedSocket, ev: StreamEvents, outgoing: boolean, peer?: HostAddress, localAddress?: HostAddress) {
    this.ev = ev;
    // Accepted streams start paused: the core resumes them at accept() (port.ts, onConnection).
    this.flags = outgoing ? F.Outgoing : F.Connected | F.Paused;
    this.sock = sock;
    if (peer) this.peer = peer;
    if (localAddress) this.localAddress = localAddress;
    sock.usx = this;
    sock.callback = onSocketMessage;
  }

  attach(ev: StreamEvents): void {
    if (!(this.flags & F.Closed)) this.ev = ev;
  }

  message(message: number): void {
    if (this.flags & F.Closed) return;
    switch (message) {
      case Msg.Connected:
        this.connectedMessage();
        break;
      case Msg.DataReceived:
        this.readable();
        break;
      case Msg.DataSent:
        if (this.flags & F.WaitingSent) { this.flags &= ~F.WaitingSent; this.ev.onWritable(); }
        break;
      case Msg.Disconnected:
        this.finished(this.disconnectedErrno());
        break;
      case Msg.Error:
        this.finished((this.flags & F.Connected) ? Errno.ECONNRESET : Errno.ECONNREFUSED);
        break;
    }
  }

  protected connectedMessage(): void {
    this.connectedNow();
  }

  /** "disconnected": EOF (0) on lwIP. */
  protected disconnectedErrno(): number {
    return 0;
  }

  /** What a write after the end raises. */
  protected writeErrno(): number {
    return Errno.EPIPE;
  }

  protected connectedNow(): void {
    if (this.flags & F.Connected) return;
    this.flags |= F.Connected;
    this.ev.onConnect();
  }

  /** Read what the socket holds now; null when nothing. */
  protected take(): Uint8Array | null {
    let n = 0;
    try { n = (this.sock as unknown as { read(): number }).read(); } catch { return null; }
    if (!n) return null;
    if (!(this.flags & F.Connected)) this.connectedNow(); // lin: a byte proves the connection
    return new Uint8Array(this.sock.read(ArrayBuffer));
  }

  /** lwIP keeps the bytes of a paused stream in the socket; resume() reads them. */
  protected readable(): void {
    if (this.flags & F.Paused) return;
    const b = this.take();
    if (b) this.ev.onData(b);
  }

  /** "disconnected" (errno 0: EOF) or "error". */
  protected finished(errno: number): void {
    if (this.flags & F.Gone) return;
    this.flags |= F.Gone;
    this.report(errno);
    // A write waiting for "data sent" will not get it now: let it retry and fail.
    if (this.flags & F.WaitingSent) { this.flags &= ~F.WaitingSent; this.ev.onWritable(); }
  }

  protected report(errno: number): void {
    if (errno) this.ev.onError(errno);
    else this.ev.onEnd();
  }

  write(bytes: Uint8Array): number {
    if (this.flags & F.Closed) throw new OSError(Errno.EBADF);
    const fallback = this.writeErrno();
    if (this.flags & F.Gone) throw new OSError(fallback);
    if ((this.flags & F.WaitingSent) || bytes.length === 0) return 0;
    try {
      const n = Math.min(this.sock.write(), bytes.length); // write() with no argument: the free space
      this.flags |= F.WaitingSent;
      if (n <= 0) return 0;
      this.sock.write((bytes.buffer as ArrayBuffer).slice(bytes.byteOffset, bytes.byteOffset + n));
      return n;
    } catch (e) {
      this.flags &= ~F.WaitingSent;
      throw toOSError(e, "write", fallback);
    }
  }

  pause(): void {
    this.flags |= F.Paused;
  }

  resume(): void {
    this.flags &= ~F.Paused;
    if (this.flags & F.DrainScheduled) return;
    this.flags |= F.DrainScheduled;
    defer(() => {
      this.flags &= ~F.DrainScheduled;
      if (!(this.flags & (F.Closed | F.Paused))) this.drain();
    });
  }

  /** After resume(): what lwIP kept for us (resume's caller has checked that the stream is not paused). */
  protected drain(): void {
    if (!(this.flags & F.Gone)) this.readable();
  }

  close(): void {
    if (this.flags & F.Closed) return;
    // From here on no event reaches ev: message() and every deferred step check F.Closed, and
    // without usx the socket's callback finds no stream.
    this.flags |= F.Closed;
    const sock = this.sock;
    sock.usx = undefined;
    this.release(sock);
  }

  /** The native socket's close, after the callback that may have called close() has returned. */
  protected release(sock: Socket): void {
    defer(() => closeQuietly(sock));
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

/** The stream class for this platform (lin's subclass is built once, on first use). */
let linClass: typeof ClassicStream | undefined;
function Streams(): typeof ClassicStream {
  return isLin() ? linClass ??= linStream(ClassicStream) : ClassicStream;
}

export function connect(address: string, port: number, options: TcpOptions, events: StreamEvents): Stream {
  ipv4Only(options, "connect");
  let sock: Socket;
  // "host" rather than "address": lin accepts only host (numeric strings resolve to themselves).
  try { sock = new Socket({ host: address, port }); } catch (e) { throw toOSError(e, "connect", Errno.EHOSTUNREACH); }
  return new (Streams())(sock, events, true, [address, port]);
}

export function listen(address: string, port: number, _backlog: number, options: TcpOptions, events: ListenerEvents): Listener {
  ipv4Only(options, "listen");
  // lin binds every interface whatever address says; lwIP honours it.
  let l!: ClassicListener;
  const open = (p: number) => { l = new ClassicListener({ port: p, address }); };
  port = bindPort(open, port, "listen on", address);
  let open_ = true;
  const local: HostAddress = [address, port]; // shared by the accepted streams: one array, not one each
  l.callback = function () {
    let s: Socket;
    try { s = new Socket({ listener: l }); } catch { return; }
    if (!open_) { defer(() => closeQuietly(s)); return; }
    // The peer, read at once (a socket that is reset later can no longer say). The classic API knows
    // the address only, not the port; lin's get("REMOTE_IP") returns garbage (it formats the
    // sockaddr, not sin_addr), so there the peer is unknown.
    let peer: HostAddress | undefined;
    if (!isLin()) {
      try {
        const ip = (s as unknown as { get(what: string): string | undefined }).get("REMOTE_IP");
        if (ip) peer = [ip, 0];
      } catch {}
    }
    // No event can come before attach(): the SDK calls back from later turns of the loop.
    const stream = new (Streams())(s, undefined as unknown as StreamEvents, false, peer, local);
    stream.attach(events.onConnection(stream));
  };
  return {
    close() {
      if (!open_) return;
      open_ = false;
      closeQuietly(l as unknown as { close(): void });
    },
    local() { return local; },
  };
}
