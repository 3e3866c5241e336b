// MicroPython's `socket` (`usocket`) module. Calls that block in MicroPython return Promises that
// settle when MicroPython's call would return; everything else is synchronous.
import { host } from "usocket-xs/host";
import { OSError, Errno } from "./errno";
import { toBytes, toWritableBytes, describe, checkInt, DETACHED, type BytesLike } from "./arguments";
import { AF, literalFamily, formatIPv4 } from "./inet";
import { checkAddress, bindableHost, resolveHost, Sock, type AddrInfo } from "./address";
import { TcpStream, TcpListener, Phase } from "./tcp-stream";
import { UdpEndpoint } from "./udp-endpoint";
import { WOULD_BLOCK, type Attempt, type WaitQueue } from "./wait-queue";
import { socketEvents, Watchers, MP_STREAM_POLL, POLLERR, POLLHUP, POLLNVAL } from "./readiness";
import type { HostAddress, Stream, StreamEvents, TcpOptions } from "./port";

export { inet_pton, inet_ntop } from "./inet";
/** getaddrinfo(host, port, af = 0, type = 0, proto = 0, flags = 0), as MicroPython's. */
export { getaddrinfo } from "./address";
export type { AddrInfo, BytesLike, HostAddress };
// Defined here, not re-exported: a re-export costs XS more bytecode than a constant.
export const AF_INET = AF.INET;
export const AF_INET6 = AF.INET6;
export const SOCK_STREAM = Sock.STREAM;
export const SOCK_DGRAM = Sock.DGRAM;
export const SOCK_RAW = 3;
export const IPPROTO_IP = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_BROADCAST = 6;
export const SO_KEEPALIVE = 9;
export const SO_LINGER = 13;
export const TCP_NODELAY = 1;
export const IP_ADD_MEMBERSHIP = 35;
export const MSG_PEEK = 2;
export const MSG_DONTWAIT = 64;

/** An address as programs write it: [host, port] (IPv6 may add flowinfo and scope id). */
export type Address = [string, number] | [string, number, number, number];

/**
 * @internal Socket's private state as ssl.ts's wrap_socket() sees it when an SSLSocket takes over
 * a plain socket (ssl.ts: takeOver). A type only: socket carries no code for TLS it may never use.
 */
export interface SocketInternals {
  timeout: number | null;
  closed?: boolean;
  bound: HostAddress | undefined;
  tcp: TcpStream | undefined;
  listener: TcpListener | undefined;
  reuseAddress?: boolean;
  keepAlive?: boolean;
  noDelay?: boolean;
  resetOnClose?: boolean;
  live(): void;
  watched<T extends { notify: () => void }>(state: T): T;
}

/** The largest UDP payload over IPv4. */
const MAX_DATAGRAM = 65507;

function checkSize(n: unknown, what: string): number {
  if (checkInt(n, what, "size") < 0) throw new RangeError(`${what}: size must not be negative, got ${n}`);
  return n as number;
}

/** read()/readline()'s optional size: none (undefined, null or -1) is no limit. */
function limit(n: unknown, what: string): number {
  return n == null || n === -1 ? Infinity : checkSize(n, what);
}

/** recv/recvfrom take MSG_PEEK and MSG_DONTWAIT; send takes MSG_DONTWAIT only. */
function checkFlags(flags: unknown, what: string, allowed = MSG_PEEK | MSG_DONTWAIT): number {
  if (checkInt(flags, what, "flags") & ~allowed) throw new OSError(Errno.EOPNOTSUPP, `${what}: the flags it takes are ${allowed & MSG_PEEK ? "MSG_PEEK and " : ""}MSG_DONTWAIT`);
  return flags as number;
}

export class Socket {
  readonly family: number;
  readonly type: number;
  readonly proto: number;
  /** Seconds; null blocks for ever, 0 is non-blocking. */
  private timeout: number | null = null;
  private closed?: boolean;
  private bound: HostAddress | undefined;
  private tcp: TcpStream | undefined;
  private listener: TcpListener | undefined;
  private readonly udp: UdpEndpoint | undefined;
  /** Set by a non-blocking connect() until a later connect() reports how it went. */
  private connectUnreported?: boolean;
  // Options, off until setsockopt() (an option never set costs a socket no property).
  private reuseAddress?: boolean;
  private broadcast?: boolean;
  private keepAlive?: boolean;
  private noDelay?: boolean;
  /** SO_LINGER on with a linger time of 0: close() resets the connection. */
  private resetOnClose?: boolean;
  /** IP_ADD_MEMBERSHIP requests, as group, interface, group, interface, … */
  private memberships?: string[];
  /** select.poll() objects waiting on this socket (readiness.ts). */
  private readonly watchers = new Watchers();

  constructor(af: number = AF_INET, type: number = SOCK_STREAM, proto: number = 0) {
    if (af !== AF_INET && af !== AF_INET6) throw new OSError(Errno.EAFNOSUPPORT, `socket: unknown address family ${describe(af)}`);
    if (type === SOCK_RAW) throw new OSError(Errno.EOPNOTSUPP, "socket: SOCK_RAW is not supported");
    if (type !== SOCK_STREAM && type !== SOCK_DGRAM) throw new OSError(Errno.EINVAL, `socket: unknown socket type ${describe(type)}`);
    checkInt(proto, "socket", "proto");
    this.family = af;
    this.type = type;
    this.proto = proto;
    if (type === SOCK_DGRAM) this.udp = this.watched(new UdpEndpoint());
  }

  /** State that wakes this socket's select.poll() watchers when it changes. */
  private watched<T extends { notify: () => void }>(state: T): T {
    state.notify = this.watchers.notify;
    return state;
  }

  private get ipVersion(): 4 | 6 {
    return this.family === AF_INET6 ? 6 : 4;
  }

  /** The wildcard address and port 0: where an unbound socket is. */
  private unbound(): HostAddress {
    return [bindableHost("", this.ipVersion), 0];
  }

  private live(): void {
    if (this.closed) throw new OSError(Errno.EBADF);
  }

  /** The bytes a send call was given, once the socket is known to be open. */
  private data(data: unknown, what: string): Uint8Array {
    this.live();
    return toBytes(data, what);
  }

  /**
   * Try once; if that would block, fail the MicroPython non-blocking way (EAGAIN) or wait (with
   * the socket's timeout). A call queued behind an earlier one waits its turn.
   */
  private block<T>(q: WaitQueue, attempt: Attempt<T>, nonBlocking?: unknown, onTimeout?: () => void): T | Promise<T> {
    if (!q.busy) {
      const r = attempt();
      if (r !== WOULD_BLOCK) return r;
    }
    const t = this.timeout;
    if (nonBlocking || t === 0) throw new OSError(Errno.EAGAIN);
    return q.add(attempt, t === null ? null : Math.max(1, Math.round(t * 1000)), onTimeout);
  }

  private stream(what: string): TcpStream {
    const t = this.tcp;
    if (!t) throw new OSError(Errno.ENOTCONN, `${what}: socket is not connected`);
    return t;
  }

  /** A new connection's stream gets the options set on this socket. */
  private tune(s: Stream | undefined): void {
    if (this.noDelay) s?.setNoDelay(true);
    if (this.keepAlive) s?.setKeepAlive(true);
  }

  // ---- set-up ----

  bind(address: Address): void {
    this.live();
    const addr = checkAddress(address, "bind");
    if (this.bound || this.tcp || this.listener || this.udp?.datagram) throw new OSError(Errno.EINVAL, "bind: socket is already bound");
    const a: HostAddress = [bindableHost(addr[0], this.ipVersion), addr[1]];
    if (this.udp) this.openUdp(a);
    else this.bound = a;
  }

  listen(backlog = 2): void {
    this.live();
    checkInt(backlog, "listen", "backlog");
    if (this.udp) throw new OSError(Errno.EOPNOTSUPP, "listen: not a SOCK_STREAM socket");
    if (this.tcp) throw new OSError(Errno.EINVAL, "listen: socket is connected");
    if (this.listener) return;
    const a = this.bound ?? this.unbound();
    const l = new TcpListener();
    l.listener = host.listen(a[0], a[1], Math.max(0, backlog), { family: this.ipVersion }, l);
    this.listener = this.watched(l);
  }

  async accept(): Promise<[Socket, HostAddress]> {
    this.live();
    const l = this.listener;
    if (!l) throw new OSError(Errno.EINVAL, "accept: socket is not listening");
    const conn = await this.block(l.accepts, () => l.accept());
    const s = new Socket(this.family, SOCK_STREAM, this.proto);
    s.tcp = s.watched(conn);
    s.resetOnClose = this.resetOnClose; // inherited, as accepted sockets inherit SO_LINGER on Linux
    this.tune(conn.stream);
    return [s, conn.stream?.remote() ?? this.unbound()];
  }

  async connect(address: Address): Promise<void> {
    this.live();
    const addr = checkAddress(address, "connect"), h = addr[0], p = addr[1];
    const u = this.udp;
    if (u) {
      const ip = (await resolveHost(h, this.ipVersion))[0];
      this.live();
      if (!u.datagram) this.openUdp(this.unbound());
      u.peer = [ip, p];
      return;
    }
    if (this.listener) throw new OSError(Errno.EINVAL, "connect: socket is listening");
    let t = this.tcp;
    if (t) {
      const phase = t.phase;
      if (phase === Phase.Connecting && this.timeout === 0) throw new OSError(Errno.EALREADY);
      if (phase !== Phase.Connecting) {
        const unreported = this.connectUnreported;
        this.connectUnreported = false;
        if (phase === Phase.Connected) {
          if (!unreported) throw new OSError(Errno.EISCONN);
          return;
        }
        if (t.error) t.throwPending();
        throw new OSError(Errno.EINVAL, "connect: socket cannot be reused after a failed connect");
      }
    } else {
      const c = t = this.tcp = this.watched(new TcpStream(Phase.Connecting));
      resolveHost(h, this.ipVersion).then((ips) => {
        const ip = ips[0];
        if (c.phase !== Phase.Connecting) return;
        try {
          // resolveHost gives numeric addresses only: literalFamily is 4 or 6.
          c.stream = this.openStream(ip, p, { family: literalFamily(ip) as 4 | 6, local: this.bound?.slice() as HostAddress | undefined }, c);
          this.tune(c.stream);
        } catch (e) {
          c.onError(e instanceof OSError ? e.errno : Errno.EINVAL);
        }
      }, (e: OSError) => c.onError(e.errno));
      if (this.timeout === 0) {
        this.connectUnreported = true;
        throw new OSError(Errno.EINPROGRESS);
      }
    }
    await this.whenConnected();
  }

  /** Wait, in the socket's mode, until its stream is connected (ssl.ts: until the TLS handshake is done). */
  protected async whenConnected(): Promise<void> {
    const c = this.stream("connect");
    await this.block(c.writes, () => {
      if (c.phase === Phase.Connected) return undefined;
      if (c.error) c.throwPending();
      if (c.phase === Phase.Connecting) return WOULD_BLOCK;
      throw new OSError(Errno.ENOTCONN);
    }, false, () => c.close());
    this.connectUnreported = false;
  }

  protected isConnected(): boolean {
    return this.tcp?.phase === Phase.Connected;
  }

  /** How connect() opens its stream; ssl.ts opens a TLS one. */
  protected openStream(address: string, port: number, options: TcpOptions, events: StreamEvents): Stream {
    return host.connect(address, port, options, events);
  }

  private openUdp(a: HostAddress): void {
    const u = this.udp!;
    const d = u.datagram = host.udp(a[0], a[1], { family: this.ipVersion, reuseAddress: !!this.reuseAddress }, u);
    if (this.broadcast) d.setBroadcast(true);
    const m = this.memberships ?? [];
    for (let i = 0; i < m.length; i += 2) d.addMembership(m[i], m[i + 1]);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.tcp?.close(this.resetOnClose);
    this.listener?.close();
    this.udp?.close();
    this.watchers.notify();
  }

  // ---- hooks for select and asyncio (readiness.ts describes the first two) ----

  /** ioctl(MP_STREAM_POLL, mask): the events asked for that are ready now, and those never masked (POLLNVAL once closed). */
  ioctl(request: number, arg: number): number {
    if (request !== MP_STREAM_POLL) throw new OSError(Errno.EINVAL, "ioctl: only MP_STREAM_POLL (3) is supported");
    return this.closed ? POLLNVAL : socketEvents(this.tcp, this.listener, this.udp) & (arg | POLLERR | POLLHUP | POLLNVAL);
  }

  pollWatch(watcher: () => void, on: boolean): void {
    const w = this.watchers;
    const l = on ? w.list ??= [] : w.list;
    const i = l ? l.indexOf(watcher) : -1;
    if (on && i < 0) l!.push(watcher);
    else if (!on && i >= 0) l!.splice(i, 1);
  }

  /**
   * asyncio's cancellation hook: the calls waiting on this socket to receive or accept (which & 1)
   * and to send or connect (which & 2) reject with error at once; no byte is consumed.
   */
  cancelWaits(error: unknown, which = 3): void {
    const t = this.tcp;
    if (which & 1) {
      t?.reads.cancelAll(error);
      this.listener?.accepts.cancelAll(error);
      this.udp?.reads.cancelAll(error);
    }
    if (which & 2) t?.writes.cancelAll(error);
  }

  // ---- modes and options ----

  setblocking(flag: boolean): void {
    this.live();
    this.timeout = flag ? null : 0;
  }

  settimeout(value: number | null): void {
    this.live();
    if (value != null) {
      if (typeof value !== "number" || Number.isNaN(value)) throw new TypeError(`settimeout: expected seconds or null, got ${describe(value)}`);
      if (value < 0) throw new RangeError(`settimeout: timeout must not be negative, got ${value}`);
    }
    this.timeout = value ?? null;
  }

  gettimeout(): number | null {
    return this.timeout;
  }

  setsockopt(level: number, option: number, value: number | boolean | BytesLike): void {
    this.live();
    const bytes = typeof value === "number" || typeof value === "boolean" ? undefined : toBytes(value, "setsockopt");
    const on = bytes ? bytes.some((b) => b !== 0) : !!value;
    const sol = level === SOL_SOCKET;
    if (sol && option === SO_REUSEADDR) this.reuseAddress = on;
    else if (sol && option === SO_BROADCAST) this.udp?.datagram?.setBroadcast(this.broadcast = on);
    else if (sol && option === SO_KEEPALIVE) this.tcp?.stream?.setKeepAlive(this.keepAlive = on);
    else if (level === IPPROTO_TCP && option === TCP_NODELAY) this.tcp?.stream?.setNoDelay(this.noDelay = on);
    else if (sol && option === SO_LINGER) {
      // struct linger, as struct.pack("ii", l_onoff, l_linger) makes it: two int32s in the machine's order.
      if (bytes?.length !== 8) throw new OSError(Errno.EINVAL, "setsockopt: SO_LINGER takes 8 bytes: int32 l_onoff, int32 l_linger");
      const v = new Int32Array(bytes.slice().buffer);
      this.resetOnClose = v[0] !== 0 && v[1] === 0;
    } else if (level === IPPROTO_IP && option === IP_ADD_MEMBERSHIP) {
      const u = this.udp;
      if (!u) throw new OSError(Errno.EOPNOTSUPP, "setsockopt: IP_ADD_MEMBERSHIP needs a SOCK_DGRAM socket");
      if (bytes?.length !== 8) throw new OSError(Errno.EINVAL, "setsockopt: IP_ADD_MEMBERSHIP takes 8 bytes: inet_pton() of group, then of interface");
      const group = formatIPv4(bytes), iface = formatIPv4(bytes.subarray(4));
      u.datagram?.addMembership(group, iface);
      (this.memberships ??= []).push(group, iface);
    } else throw new OSError(Errno.ENOPROTOOPT, `setsockopt: unsupported option (level ${describe(level)}, option ${describe(option)})`);
  }

  getsockname(): HostAddress {
    this.live();
    const a = this.tcp?.stream?.local() ?? this.listener?.listener?.local() ?? this.udp?.datagram?.local() ?? this.bound;
    return a ? a.slice() as HostAddress : this.unbound();
  }

  getpeername(): HostAddress {
    this.live();
    const a = this.udp ? this.udp.peer : this.isConnected() ? this.tcp!.stream?.remote() : undefined;
    if (!a) throw new OSError(Errno.ENOTCONN);
    return a.slice() as HostAddress;
  }

  /**
   * The socket itself, as MicroPython's ESP32 and ESP8266 ports return it: its read, readinto,
   * readline, write and close are the file's. mode is checked and otherwise ignored (data is bytes).
   */
  makefile(mode = "rb", _buffering?: number): this {
    this.live();
    if (typeof mode !== "string" || !/^[rwb]+$/.test(mode)) throw new RangeError(`makefile: invalid mode ${describe(mode)}`);
    return this;
  }

  /** Lines until EOF: `for await (const line of s.makefile())`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const line = await this.readline();
      if (!line || line.length === 0) return;
      yield line;
    }
  }

  // ---- receiving ----

  /**
   * Not an async function: a read that waits hands back the wait queue's own promise (an async
   * function would wrap it in one more, and take two more promise jobs per call).
   */
  recv(bufsize: number, flags = 0): Promise<Uint8Array> {
    try {
      this.live();
      const n = checkSize(bufsize, "recv");
      checkFlags(flags, "recv");
      if (this.udp) return this.recvfrom(n, flags).then((r) => r[0]);
      const t = this.stream("recv");
      const r = this.block(t.reads, () => t.recv(n, !!(flags & MSG_PEEK)), flags & MSG_DONTWAIT);
      return r instanceof Uint8Array ? Promise.resolve(r) : r;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async recvfrom(bufsize: number, flags = 0): Promise<[Uint8Array, HostAddress]> {
    this.live();
    const n = checkSize(bufsize, "recvfrom");
    checkFlags(flags, "recvfrom");
    const u = this.udp;
    if (!u) return [await this.recv(n, flags), this.getpeername()];
    return this.block(u.reads, () => u.recvfrom(n, !!(flags & MSG_PEEK)), flags & MSG_DONTWAIT);
  }

  /** read(n): n bytes or fewer at EOF; read(): everything to EOF. Non-blocking: what is there, or null. */
  async read(size?: number): Promise<Uint8Array | null> {
    this.live();
    const n = limit(size, "read");
    if (this.udp) return this.recv(n === Infinity ? MAX_DATAGRAM : n);
    const t = this.stream("read");
    if (this.timeout === 0) return t.readAvailable(n === Infinity ? t.rx.length || 1 : n);
    return this.block(t.reads, () => t.readExactly(n));
  }

  /**
   * Fills buf (or its first nbytes) and returns the count; fewer only at EOF. The bytes are copied
   * in the same step that takes them, after checking that buf can still hold them: a buffer
   * detached while the call waits fails it with TypeError, and nothing is taken from the stream.
   */
  async readinto(buf: ArrayBuffer | ArrayBufferView, nbytes?: number): Promise<number | null> {
    this.live();
    const dst = toWritableBytes(buf, "readinto");
    const n = nbytes === undefined ? dst.length : Math.min(dst.length, checkSize(nbytes, "readinto"));
    const u = this.udp, t = u ? undefined : this.stream("readinto");
    // Non-blocking TCP: what is there, or null (UDP raises EAGAIN, as recv does).
    const now = !u && this.timeout === 0;
    const into: Attempt<number> = () => {
      if (dst.length < n) throw new TypeError(`readinto: ${DETACHED}`);
      const r = u ? u.recvfrom(n, false) : now ? t!.recv(n, false) : t!.readExactly(n);
      if (r === WOULD_BLOCK) return r;
      const b = u ? (r as [Uint8Array, HostAddress])[0] : r as Uint8Array;
      dst.set(b);
      return b.length;
    };
    if (now) {
      const r = into();
      return r === WOULD_BLOCK ? null : r;
    }
    return this.block((u ?? t!).reads, into);
  }

  /**
   * A line including its "\n", or the tail before EOF; empty at EOF. With a limit, at most that
   * many bytes (the rest of the line is the next read): a server's guard against endless lines.
   */
  readline(size?: number): Promise<Uint8Array | null> {
    // Not async: a waiting readline (a server's idle connection) then holds no async frame (23 heap slots in XS).
    try {
      this.live();
      const max = limit(size, "readline");
      const t = this.stream("readline");
      if (this.timeout === 0) {
        const r = t.readline(max);
        return Promise.resolve(r === WOULD_BLOCK ? t.readAvailable(Math.min(max, t.rx.length || 1)) : r);
      }
      return Promise.resolve(this.block(t.reads, () => t.readline(max)));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  // ---- sending ----

  async send(data: BytesLike, flags = 0): Promise<number> {
    const b = this.data(data, "send");
    checkFlags(flags, "send", MSG_DONTWAIT);
    const u = this.udp;
    if (u) {
      if (!u.peer) throw new OSError(Errno.ENOTCONN, "send: UDP socket is not connected; use sendto");
      return this.sendto(b, u.peer);
    }
    const t = this.stream("send");
    return this.block(t.writes, () => t.send(b), flags & MSG_DONTWAIT);
  }

  async sendall(data: BytesLike): Promise<void> {
    const b = this.data(data, "sendall");
    if (this.udp) { await this.send(b); return; }
    const t = this.stream("sendall");
    await this.block(t.writes, t.sendAll(b));
  }

  /** Blocking: writes everything and returns the count. Non-blocking: what fit, or null. */
  async write(data: BytesLike): Promise<number | null> {
    const b = this.data(data, "write");
    if (this.udp) return this.send(b);
    const t = this.stream("write");
    if (this.timeout === 0) {
      // What fits in one go (the host takes all it has room for): a count, or null for none.
      // Never sendAll() here: it may take part of the bytes and still report "would block".
      if (t.writes.busy) return null;
      const r = t.send(b);
      return r === WOULD_BLOCK ? null : r;
    }
    return this.block(t.writes, t.sendAll(b));
  }

  async sendto(data: BytesLike, address: Address): Promise<number> {
    const b = this.data(data, "sendto");
    const addr = checkAddress(address, "sendto"), p = addr[1];
    const u = this.udp;
    if (!u) throw new OSError(this.tcp ? Errno.EISCONN : Errno.EOPNOTSUPP, "sendto: not a SOCK_DGRAM socket");
    if (p === 0) throw new OSError(Errno.EINVAL, "sendto: port 0 is not a destination");
    if (b.length > MAX_DATAGRAM) throw new OSError(Errno.EMSGSIZE, `sendto: ${b.length} bytes is more than a datagram holds (${MAX_DATAGRAM})`);
    const ip = (await resolveHost(addr[0], this.ipVersion))[0];
    this.live();
    if (!u.datagram) this.openUdp(this.unbound());
    u.datagram!.send(b, ip, p);
    return b.length;
  }
}

/** socket.socket(af, type, proto): callable without `new`, as in MicroPython (the constructor has the defaults). */
export function socket(af?: number, type?: number, proto?: number): Socket {
  return new Socket(af, type, proto);
}

