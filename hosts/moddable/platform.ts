// What tcp.ts and udp.ts share about the platform (one module: each module costs XS bytecode of its
// own): which socket implementation we run on, deferring to a Promise job, Moddable's error
// messages as errno numbers, and choosing a free port.
//
// Implementation: the classic socket module behaves differently on the Linux simulator ("lin",
// modules/network/socket/lin) and on lwIP (ESP32, ESP8266, Pico): usocket-xs's manifest sets
// config.usocketPlatform to "lin" for the simulator.
//
// Errors: Moddable reports failures as Error messages (thrown) or a bare callback message (-2, -1) with no
// errno. This is the one place that turns them into MicroPython errno numbers.
//
// | Moddable                                                        | errno         |
// | :-------------------------------------------------------------- | :------------ |
// | Socket callback -2 (error) before "connected"                   | ECONNREFUSED  |
// | Socket callback -2 (error) after "connected"                    | ECONNRESET    |
// | Socket callback -1 on lin within 100 ms of "connected" (tcp.ts) | ECONNREFUSED  |
// | write(): "write failed", "write on closed socket", or the socket | EPIPE         |
// |   already disconnected                                          |               |
// | write(): "can't write all data" (we never offer more than fits) | ENOBUFS       |
// | Listener/UDP: "bind socket failed", "socket bind", "bind failed" | EADDRINUSE    |
// | "create socket failed", "failed to allocate socket", "no socket",| ENOMEM        |
// |   "no memory", "out of memory", "socket allocation failed"      |               |
// | "socket connect failed"                                         | EHOSTUNREACH  |
// | "no network"                                                    | ENETUNREACH   |
// | "invalid IP address", "invalid port"                            | EINVAL        |
// | UDP write: "sendto failed", "UDP send failed"                   | EIO           |
// | anything else                                                   | the caller's fallback (EIO) |
import config from "mc/config";
import { OSError, Errno } from "usocket-xs/errno";

/** True on the simulator's socket implementation (see tcp.ts for what changes). */
export function isLin(): boolean {
  return config.usocketPlatform === "lin";
}

/** Defer to a Promise job: runs after the current callback returns, before any timer (see host.ts). */
export function defer(fn: () => void): void {
  Promise.resolve().then(fn);
}

/**
 * Patterns of Moddable's messages, one group per errno in ERRNOS, tried in this order (each
 * alternative scans the whole message before the next is tried). One regular expression: XS builds
 * it with less code than a list of them.
 */
const MESSAGES = /^(?:.*(can't write all data)|.*(write failed|write on closed socket)|.*(bind)|.*(create socket failed|allocat|no socket|memory)|.*(connect failed)|.*(no network)|.*(invalid (?:IP address|port))|.*(sendto failed|send failed))/;
const ERRNOS = [Errno.ENOBUFS, Errno.EPIPE, Errno.EADDRINUSE, Errno.ENOMEM, Errno.EHOSTUNREACH, Errno.ENETUNREACH, Errno.EINVAL, Errno.EIO];

export function errnoOf(e: unknown, fallback = Errno.EIO): number {
  if (e instanceof OSError) return e.errno;
  const m = MESSAGES.exec(e instanceof Error ? e.message : String(e));
  if (!m) return fallback;
  let i = 1;
  while (!m[i]) i++;
  return ERRNOS[i - 1];
}

export function toOSError(e: unknown, what: string, fallback = Errno.EIO): OSError {
  if (e instanceof OSError) return e;
  return new OSError(errnoOf(e, fallback), `${what}: ${e instanceof Error ? e.message : String(e)}`);
}

// Binding "any port" (port 0). Neither the classic Listener nor the ECMA-419 UDP socket can tell
// which port the system picked (the classic Listener has no accessor; ECMA-419 UDP on lin does not
// even bind until its first write), so getsockname() would be useless. Instead we choose the port:
// candidates from the dynamic range 49152-65535 (lwIP's own ephemeral range), starting at a
// clock-derived offset, each tried with the real constructor until one binds.
const FIRST = 49152;
const COUNT = 65536 - FIRST;
const TRIES = 64;
let next = Date.now() % COUNT;

/**
 * open(port), or for port 0 open(candidate) until one binds; returns the port bound. A failure is
 * an OSError saying `${what} ${address}:${port}`.
 */
export function bindPort(open: (port: number) => void, port: number, what: string, address: string): number {
  try {
    if (port) {
      open(port);
      return port;
    }
    let last: unknown;
    for (let i = 0; i < TRIES; i++) {
      const p = FIRST + (next++ % COUNT);
      try {
        open(p);
        return p;
      } catch (e) {
        last = e;
        if (errnoOf(e) !== Errno.EADDRINUSE) break;
      }
    }
    throw new OSError(errnoOf(last, Errno.EADDRINUSE), "no free port to bind");
  } catch (e) {
    throw toOSError(e, `${what} ${address}:${port}`, Errno.EADDRINUSE);
  }
}

/** The classic Socket and ECMA-419 UDP are AF_INET only. */
export function ipv4Only(options: { family: number }, what: string): void {
  if (options.family !== 4) throw new OSError(Errno.EAFNOSUPPORT, `${what}: the Moddable host supports IPv4 only`);
}
