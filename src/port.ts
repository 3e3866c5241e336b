// The port: everything the portable core needs from a platform, and nothing more.
// It mirrors what Moddable's Socket/Listener offer (event callbacks, writes that take what fits,
// reads paused by the consumer), so that hosts/moddable is a thin translation; hosts/node
// implements the same shape over node:net, node:dgram and node:dns.
//
// Rules every host keeps:
// - Errors are MicroPython errno numbers (see errno.ts). A synchronous failure throws OSError;
//   a later one arrives through onError.
// - Callbacks are never invoked re-entrantly from inside a call the core made (except where noted),
//   and the bytes handed to onData/onMessage belong to the core from then on.
// - Bytes passed to write()/send() are the caller's: the host copies what it keeps.

/** [address, port]; address is a numeric IPv4 or IPv6 string. */
export type HostAddress = [string, number];

export interface StreamEvents {
  /** The connection is established (outgoing only; accepted streams start connected). */
  onConnect(): void;
  /** Bytes arrived. Not called while paused (the host may still hold some). */
  onData(bytes: Uint8Array): void;
  /** Room to write again after write() took less than it was offered. */
  onWritable(): void;
  /** The peer closed its side (EOF). Writing may still be possible. */
  onEnd(): void;
  /** The stream failed: refused, reset, timed out, unreachable. Nothing more will arrive. */
  onError(errno: number, detail?: string): void;
}

export interface Stream {
  /** Queue bytes for sending; returns how many were taken (0 when full: wait for onWritable). */
  write(bytes: Uint8Array): number;
  /** Stop/restart delivering onData (flow control: the peer is slowed by TCP). */
  pause(): void;
  resume(): void;
  /**
   * Close gracefully: bytes already taken are still sent, then FIN. No events after this. With
   * reset (SO_LINGER on, linger 0): unsent bytes are dropped and the peer gets RST, if the host can.
   */
  close(reset?: boolean): void;
  setNoDelay(on: boolean): void;
  setKeepAlive(on: boolean): void;
  local(): HostAddress | undefined;
  remote(): HostAddress | undefined;
}

export interface ListenerEvents {
  /**
   * A peer connected; the core returns the events object that the new stream reports to. The
   * stream starts paused (nothing is read from it) until the core calls resume(): the program may
   * accept() it much later, and until then its bytes stay with the platform (TCP flow control).
   */
  onConnection(stream: Stream): StreamEvents;
  onError(errno: number): void;
}

export interface Listener {
  close(): void;
  local(): HostAddress | undefined;
}

export interface DatagramEvents {
  onMessage(bytes: Uint8Array, address: string, port: number): void;
  onError(errno: number): void;
}

export interface Datagram {
  /** Send one datagram. Throws OSError on an immediate failure. */
  send(bytes: Uint8Array, address: string, port: number): void;
  setBroadcast(on: boolean): void;
  /** group and iface are numeric IPv4 addresses. */
  addMembership(group: string, iface: string): void;
  close(): void;
  local(): HostAddress | undefined;
}

export interface TcpOptions {
  family: 4 | 6;
  /**
   * connect() only: the local [address, port] the program bound before connecting (port 0: any).
   * Absent when it did not bind. A host that cannot choose the local end ignores it.
   */
  local?: HostAddress;
}

export interface UdpOptions {
  family: 4 | 6;
  reuseAddress: boolean;
}

export interface Port {
  /** Short name, for messages ("node", "moddable"). */
  readonly name: string;
  /** Unread bytes a stream may hold before the host is paused (flow control). */
  readonly rxLimit: number;
  /** Connect to a numeric address. */
  connect(address: string, port: number, options: TcpOptions, events: StreamEvents): Stream;
  /**
   * Bind and listen in one step; bound when it returns (throws OSError(EADDRINUSE) etc.). The
   * host takes every connection it can and hands it over (the core holds those not accept()ed
   * yet); backlog is the program's, a lower bound for the platform's own queue.
   */
  listen(address: string, port: number, backlog: number, options: TcpOptions, events: ListenerEvents): Listener;
  /** Open a UDP socket bound to address:port (port 0: any); bound when it returns. */
  udp(address: string, port: number, options: UdpOptions, events: DatagramEvents): Datagram;
  /** Resolve a host name to numeric addresses; family 0 means any. errno 0 on success. */
  resolve(host: string, family: 0 | 4 | 6, callback: (errno: number, addresses: string[]) => void): void;
  /** One-shot timer. */
  setTimer(ms: number, callback: () => void): unknown;
  clearTimer(timer: unknown): void;
  /** Milliseconds, monotonic where the platform allows. */
  now(): number;
  /** text as UTF-8, a lone surrogate as U+FFFD (what TextEncoder gives): the platform's own encoder is fast. */
  encode(text: string): Uint8Array;
}
