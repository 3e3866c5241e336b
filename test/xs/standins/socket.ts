// Stand-in for Moddable's classic "socket" module (Socket, Listener) as documented in
// documentation/network/network.md, with the behaviour of SDK 8.2.3's two implementations:
//
// esp32 (modules/network/socket/lwip):
//   - data arrives in pbufs (<= 1460 bytes); "data received" (2) announces one; read() may be
//     called in or after the callback; the next pbuf is announced only once this one is read, and
//     the TCP window stays closed meanwhile (the parent holds at most 4 pbufs in flight);
//   - write() with no argument gives tcp_sndbuf (5744 minus what is unacknowledged); more than
//     that throws "can't write all data"; "data sent" (3) comes when everything is acknowledged;
//   - refused, reset, timeout: "error" (-2), no errno; a FIN: "disconnected" (-1) once the unread
//     bytes have been read; close() on a closed socket does nothing.
// lin (modules/network/socket/lin, the simulator):
//   - data arrives in reads of at most 1024 bytes, and whatever the callback does not read is
//     discarded when it returns; read() outside the callback finds nothing;
//   - write() with no argument always gives 1024; more throws "can't write all data"; a write the
//     kernel cannot take (its buffer full, or the connection failed) throws "write failed";
//   - never "error": a refused connect reports "connected" then "disconnected"; a reset reads as
//     "disconnected"; after "disconnected" the SDK has closed the native socket, so close() throws
//     "close on closed socket", and close() inside the "disconnected" callback closes it twice
//     (stats.doubleCloses, stats.sockets goes negative);
//   - the Listener ignores "address" (binds every interface); the constructor needs "host".
import { call, on, post, toBase64, fromBase64, uncaught } from "./bridge";
import { settings, stats, type Platform } from "./settings";

const LWIP_SNDBUF = 5744;
const LIN_WRITE_BUF = 1024;
/** Bytes the lin kernel may hold unsent before send() fails (stands for SO_SNDBUF). */
const LIN_KERNEL_BUF = 256 * 1024;

type Data = string | number | ArrayBuffer | ArrayBufferView;

const sockets = new Map<number, Socket>();
const listeners = new Map<number, Listener>();
let nextId = 1;

function bytesOf(args: Data[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const a of args) {
    let b: Uint8Array;
    if (typeof a === "string") {
      b = new Uint8Array(a.length);
      for (let i = 0; i < a.length; i++) b[i] = a.charCodeAt(i) & 0xff; // callers use ASCII
    } else if (typeof a === "number") b = new Uint8Array([a & 0xff]);
    else if (a instanceof ArrayBuffer) b = new Uint8Array(a);
    else if (ArrayBuffer.isView(a)) b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    else throw new Error("unsupported type for write");
    parts.push(b);
    total += b.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function invoke(target: { callback?: (...args: number[]) => void }, ...args: number[]): void {
  try {
    target.callback?.(...args);
  } catch (e) {
    uncaught(e);
  }
}

interface TcpEvent { id: number; type: "connect" | "data" | "end" | "error" | "sent"; b64?: string; n?: number; code?: string }

on("tcp", (ev: TcpEvent) => {
  const s = sockets.get(ev.id);
  if (s) s.event(ev);
});
on("listener", (ev: { id: number; cid: number }) => {
  const l = listeners.get(ev.id);
  if (l) l.incoming(ev.cid);
  else call("tcp.reject", { id: ev.cid });
});

export class Socket {
  static readonly connected = 1;
  static readonly readable = 2;
  static readonly writable = 3;
  static readonly error = -2;
  static readonly disconnected = -1;

  callback?: (message: number, value?: number) => void;
  private readonly platform: Platform;
  private readonly id: number;
  private connected = false;
  /** The native socket is finished (lin: closed by the SDK; esp32: lwIP's pcb is gone). */
  private done = false;
  private closed = false;
  private failed = false;
  private eof = false;
  private endReported = false;
  private pbufs: Uint8Array[] = [];
  private current: Uint8Array | null = null;
  private position = 0;
  private announcing = false;
  private outstanding = 0;
  private queued = 0;
  private inDisconnect = false;
  private closedInDisconnect = false;
  private remoteIP: string | undefined;

  constructor(dictionary: { host?: string; address?: string; port?: number; kind?: string; listener?: Listener }) {
    this.platform = settings.platform;
    if (dictionary.listener) {
      const cid = dictionary.listener.take();
      if (cid === undefined) throw new Error("no socket avaiable from listener");
      this.id = cid;
      this.connected = true;
      sockets.set(this.id, this);
      stats.sockets++;
      this.remoteIP = call("tcp.adopt", { id: cid, platform: this.platform }).remote;
      return;
    }
    if (dictionary.kind && dictionary.kind !== "TCP") throw new Error(`stand-in: kind ${dictionary.kind} is not modelled (use embedded:io/socket/udp)`);
    const host = dictionary.host ?? (this.platform === "lin" ? undefined : dictionary.address);
    if (host === undefined) throw new Error(this.platform === "lin" ? "host required in dictionary" : "invalid dictionary");
    this.id = nextId++;
    sockets.set(this.id, this);
    stats.sockets++;
    call("tcp.connect", { id: this.id, host, port: dictionary.port ?? 0, platform: this.platform });
    this.remoteIP = host;
  }

  /** An event from the parent's real socket. */
  event(ev: TcpEvent): void {
    if (this.closed && !this.inDisconnect) return;
    switch (ev.type) {
      case "connect":
        post(() => {
          if (this.closed || this.connected) return;
          this.connected = true;
          invoke(this, Socket.connected);
        });
        break;
      case "data":
        this.pbufs.push(fromBase64(ev.b64!));
        this.announce();
        break;
      case "sent":
        this.sent(ev.n!);
        break;
      case "end":
        this.eof = true;
        this.announce();
        break;
      case "error":
        if (this.platform === "lin") {
          // lin never reports "error": recv() fails once (ignored), then reads 0 bytes.
          if (!this.connected) post(() => { if (!this.closed && !this.connected) { this.connected = true; invoke(this, Socket.connected); } });
          this.failed = true;
          this.eof = true;
          this.announce();
        } else {
          this.failed = true;
          post(() => {
            if (this.closed || this.done) return;
            this.done = true;
            invoke(this, Socket.error);
          });
        }
        break;
    }
  }

  private sent(n: number): void {
    if (this.platform === "lin") {
      this.queued = Math.max(0, this.queued - n);
      post(() => { if (!this.closed && !this.done) invoke(this, Socket.writable, LIN_WRITE_BUF); });
      return;
    }
    this.outstanding -= n;
    // lwIP removes its "sent" callback when the peer's FIN arrives: no "data sent" after that.
    if (this.outstanding === 0) post(() => { if (!this.closed && !this.done && !this.endReported) invoke(this, Socket.writable, LWIP_SNDBUF - this.outstanding); });
  }

  /** Announce the next pbuf (or the end) as its own message, unless one is being read. */
  private announce(): void {
    if (this.announcing || this.current) return;
    if (!this.pbufs.length && !(this.eof && !this.endReported)) return;
    this.announcing = true;
    post(() => {
      this.announcing = false;
      if (this.closed || this.current) return;
      const next = this.pbufs.shift();
      if (next) {
        if (this.done) return;
        this.current = next;
        this.position = 0;
        invoke(this, Socket.readable, next.length);
        if (this.platform === "lin") this.consume(); // unread bytes are gone
        return;
      }
      if (this.eof && !this.endReported) this.disconnect();
    });
  }

  private consume(): void {
    const c = this.current;
    if (!c) return;
    this.current = null;
    if (!this.closed) call("tcp.consumed", { id: this.id, n: c.length });
    this.announce();
  }

  private disconnect(): void {
    this.endReported = true;
    if (this.done) return;
    this.inDisconnect = true;
    invoke(this, Socket.disconnected);
    this.inDisconnect = false;
    if (this.platform === "lin") {
      // The SDK closes the native socket after the callback (doDestructor).
      this.done = true;
      stats.sockets--;
      if (this.closedInDisconnect) {
        stats.doubleCloses++;
        stats.sockets--;
      }
      if (!this.closed) call("tcp.close", { id: this.id });
    }
  }

  read(type?: unknown, until?: number | string): unknown {
    if (this.closed) throw new Error("read on closed socket");
    const c = this.current;
    const available = c ? c.length - this.position : 0;
    if (type === undefined && arguments.length === 0) return available;
    if (!c || !available) {
      if (this.platform === "lin") return undefined;
      throw new Error("nothing to read");
    }
    let n = available;
    if (typeof until === "number") n = Math.min(n, until);
    else if (typeof until === "string" && until.length) {
      const at = c.indexOf(until.charCodeAt(0), this.position);
      if (at >= 0) n = Math.min(n, at - this.position + 1);
    }
    const bytes = c.slice(this.position, this.position + (type === Number ? 1 : n));
    this.position += bytes.length;
    if (this.position >= c.length && this.platform !== "lin") this.consume();
    if (type === null) return bytes.length;
    if (type === Number) return bytes[0];
    if (type === String) return String.fromCharCode.apply(null, Array.from(bytes));
    if (type === ArrayBuffer) return bytes.buffer;
    throw new Error("unsupported output type");
  }

  write(...args: Data[]): number | undefined {
    if (this.closed || (this.done && this.platform === "lin")) throw new Error("write on closed socket");
    const free = this.platform === "lin" ? LIN_WRITE_BUF : LWIP_SNDBUF - this.outstanding;
    if (args.length === 0) return free;
    const bytes = bytesOf(args);
    if (bytes.length > free) throw new Error("can't write all data");
    if (this.platform === "lin" && (this.failed || this.queued > LIN_KERNEL_BUF)) throw new Error("write failed");
    if (!bytes.length) return undefined;
    try {
      call("tcp.write", { id: this.id, b64: toBase64(bytes) });
    } catch {
      if (this.platform === "lin") throw new Error("write failed");
      return undefined; // lwIP: the failure arrives as an "error" message
    }
    if (this.platform === "lin") this.queued += bytes.length;
    else this.outstanding += bytes.length;
    return undefined;
  }

  close(): void {
    if (this.platform === "lin") {
      if (this.closed || this.done) throw new Error("close on closed socket");
      this.closed = true;
      if (this.inDisconnect) { this.closedInDisconnect = true; return; }
      stats.sockets--;
    } else {
      if (this.closed) return;
      this.closed = true;
      stats.sockets--;
    }
    sockets.delete(this.id);
    call("tcp.close", { id: this.id });
  }

  get(what: string): string | undefined {
    return what === "REMOTE_IP" ? this.remoteIP : undefined;
  }
}

export class Listener {
  callback?: () => void;
  private readonly platform: Platform;
  private readonly id: number;
  private pending: number[] = [];
  private closed = false;

  constructor(dictionary: { port?: number; address?: string }) {
    this.platform = settings.platform;
    this.id = nextId++;
    const address = this.platform === "lin" ? "0.0.0.0" : dictionary.address || "0.0.0.0";
    try {
      call("tcp.listen", { id: this.id, port: dictionary.port ?? 0, address });
    } catch {
      throw new Error(this.platform === "lin" ? "bind socket failed" : "socket bind");
    }
    listeners.set(this.id, this);
    stats.listeners++;
  }

  incoming(cid: number): void {
    this.pending.push(cid);
    post(() => {
      if (this.closed) return;
      invoke(this);
      if (this.platform === "lin") {
        // lin hands over the one pending socket during the callback only.
        const i = this.pending.indexOf(cid);
        if (i >= 0) { this.pending.splice(i, 1); call("tcp.reject", { id: cid }); }
      }
    });
  }

  /** The connection the Socket constructor adopts. */
  take(): number | undefined {
    return this.pending.shift();
  }

  close(): void {
    if (this.closed) {
      if (this.platform === "lin") throw new Error("close on closed listener");
      return;
    }
    this.closed = true;
    listeners.delete(this.id);
    stats.listeners--;
    for (const cid of this.pending.splice(0)) call("tcp.reject", { id: cid });
    call("tcp.unlisten", { id: this.id });
  }
}

export default { Socket, Listener };
