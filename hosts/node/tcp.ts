// TCP streams and listeners over node:net.
import * as net from "node:net";
import { OSError } from "usocket-xs/errno";
import type { HostAddress, Listener, ListenerEvents, Stream, StreamEvents, TcpOptions } from "usocket-xs/port";
import { toErrno } from "./errors";

/** Bytes Node may hold unsent before write() reports the stream full. */
const WRITE_QUEUE = 64 * 1024;

/**
 * write() copies what it takes (the program may reuse its buffer as soon as send returns). Big
 * writes copy into recycled blocks: a fresh 64 KiB buffer per write costs more than the copy
 * itself (new memory, zero-filled, freed only by a GC). A block is reused only after Node
 * reports its write done, so Node never holds it then; at most SPARE blocks wait, for all streams.
 */
const BIG_WRITE = 16 * 1024;
const SPARE = 8;
const spare: Buffer[] = [];

function copyOf(bytes: Uint8Array): [Buffer, ((e?: Error | null) => void) | undefined] {
  if (bytes.length < BIG_WRITE) return [Buffer.from(bytes), undefined];
  const block = spare.pop() ?? Buffer.allocUnsafeSlow(WRITE_QUEUE);
  block.set(bytes);
  return [block.subarray(0, bytes.length), (e) => { if (!e && spare.length < SPARE) spare.push(block); }];
}

const quiet: StreamEvents = { onConnect() {}, onData() {}, onWritable() {}, onEnd() {}, onError() {} };

function address(a: net.AddressInfo | {} | string | null): HostAddress | undefined {
  return a && typeof a === "object" && "port" in a ? [a.address, a.port] : undefined;
}

function ends(address: string | undefined, port: number | undefined): HostAddress | undefined {
  return address && port !== undefined ? [address, port] : undefined;
}

/** tls.ts: the net.Socket under each of our plain streams, and how to take our listeners off it. */
const owned = new WeakMap<Stream, () => net.Socket>();

/** The net.Socket under a stream this host made, with our listeners removed (TLS takes it over). */
export function takeSocket(stream: Stream): net.Socket | undefined {
  const take = owned.get(stream);
  owned.delete(stream);
  return take?.();
}

/**
 * A Stream over a net.Socket (or a tls.TLSSocket); events go to whatever attach() was given.
 * `failure` turns an 'error' event into an errno and a detail (tls.ts names TLS failures).
 */
export function wrap(sock: net.Socket, failure: (e: Error) => [number, string?] = (e) => [toErrno(e)]): { stream: Stream; attach(ev: StreamEvents): void } {
  let ev = quiet;
  // Node forgets both ends once a socket is destroyed (say, reset before accept()): keep them.
  let local = ends(sock.localAddress, sock.localPort);
  let remote = ends(sock.remoteAddress, sock.remotePort);
  sock.once("connect", () => {
    local = ends(sock.localAddress, sock.localPort);
    remote = ends(sock.remoteAddress, sock.remotePort);
  });
  const onData = (b: Buffer) => ev.onData(new Uint8Array(b.buffer, b.byteOffset, b.length));
  const onDrain = () => ev.onWritable();
  const onEnd = () => ev.onEnd();
  const onError = (e: Error) => { const f = failure(e); ev.onError(f[0], f[1]); };
  sock.on("data", onData);
  sock.on("drain", onDrain);
  sock.on("end", onEnd);
  sock.on("error", onError);
  const stream: Stream = {
    write(bytes) {
      const room = WRITE_QUEUE - sock.writableLength;
      if (room <= 0 || sock.destroyed) return 0;
      const n = Math.min(room, bytes.length);
      const [copy, done] = copyOf(n < bytes.length ? bytes.subarray(0, n) : bytes);
      sock.write(copy, done);
      return n;
    },
    pause() { sock.pause(); },
    resume() { sock.resume(); },
    close(reset) {
      ev = quiet;
      if (reset && !sock.destroyed) { sock.resetAndDestroy(); return; }
      sock.resume(); // unread data is dropped; keep reading so the close can finish
      sock.destroySoon();
    },
    setNoDelay(on) { sock.setNoDelay(on); },
    setKeepAlive(on) { sock.setKeepAlive(on); },
    local() { return local ?? ends(sock.localAddress, sock.localPort); },
    remote() { return remote ?? ends(sock.remoteAddress, sock.remotePort); },
  };
  owned.set(stream, () => {
    ev = quiet;
    sock.off("data", onData).off("drain", onDrain).off("end", onEnd).off("error", onError);
    return sock;
  });
  return { stream, attach(e) { ev = e; } };
}

export function connect(host: string, port: number, options: TcpOptions, events: StreamEvents): Stream {
  const local = options.local;
  const sock = net.connect({
    host, port, family: options.family, allowHalfOpen: true,
    ...(local ? { localAddress: local[0], localPort: local[1] || undefined } : {}),
  });
  const w = wrap(sock);
  w.attach(events);
  sock.once("connect", () => events.onConnect());
  return w.stream;
}

interface TcpWrapBinding {
  TCP: new (type: number) => {
    bind(address: string, port: number): number;
    bind6(address: string, port: number, flags: number): number;
    listen(backlog: number): number;
    close(): void;
  };
  constants: { SERVER: number };
}

/**
 * net.Server.listen(port, host) binds one tick later (after a DNS lookup step), so getsockname()
 * right after listen() would not know the port and EADDRINUSE would come late. Binding a libuv
 * TCP handle ourselves and handing it to listen() makes both synchronous. If this Node hides the
 * binding, fall back to the ordinary path and report errors through onError.
 */
function tcpWrap(): TcpWrapBinding | undefined {
  try {
    return (process as unknown as { binding(name: string): TcpWrapBinding }).binding("tcp_wrap");
  } catch {
    return undefined;
  }
}

/**
 * The kernel's accept queue: Node's own default for net.Server (the kernel caps it at
 * net.core.somaxconn). The program's backlog (listen(1) in the article) counts for more only if
 * it is larger. A queue of backlog + 1 = 2 overflows in any burst: Linux then drops the client's
 * handshake ACK (or answers with SYN cookies), and the clients it dropped, ESTABLISHED on their
 * side with their request unacknowledged, retransmit in step, so each retransmission round finds
 * the same 2 free slots while their RTO doubles: the stall ab showed. libuv accepts whatever the
 * kernel queues as soon as the loop polls, so a deep queue costs nothing.
 */
const KERNEL_BACKLOG = 511;

export function listen(host: string, port: number, backlog: number, options: TcpOptions, events: ListenerEvents): Listener {
  // pauseOnConnect: libuv accepts every connection (nothing in Node can make it leave one in the
  // kernel's queue), so a connection the program has not accept()ed is held without reading it;
  // its bytes wait in the kernel, and TCP slows its sender. stream.resume() starts the reading.
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (sock) => {
    const w = wrap(sock);
    w.attach(events.onConnection(w.stream));
  });
  server.on("error", (e) => events.onError(toErrno(e)));
  const queue = Math.max(backlog, KERNEL_BACKLOG);
  const binding = tcpWrap();
  if (binding) {
    const h = new binding.TCP(binding.constants.SERVER);
    const err = (options.family === 6 ? h.bind6(host, port, 0) : h.bind(host, port)) || h.listen(queue);
    if (err) {
      h.close();
      throw new OSError(toErrno(err), `listen on ${host}:${port}`);
    }
    server.listen(h as unknown as net.ListenOptions, queue);
  } else {
    server.listen({ host, port, backlog: queue });
  }
  return {
    close() { server.close(); },
    local() { return address(server.address()); },
  };
}
