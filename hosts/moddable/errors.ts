// Moddable reports failures as Error messages (thrown) or a bare callback message (-2, -1) with no
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
import {
  EADDRINUSE, EHOSTUNREACH, EINVAL, EIO, ENETUNREACH, ENOBUFS, ENOMEM, EPIPE, OSError,
} from "usocket-xs/errno";

/** Patterns of Moddable's messages, each followed by its errno (a flat list: XS builds it with less code than pairs). */
const byMessage: (RegExp | number)[] = [
  /can't write all data/, ENOBUFS,
  /write failed|write on closed socket/, EPIPE,
  /bind/, EADDRINUSE,
  /create socket failed|allocat|no socket|memory/, ENOMEM,
  /connect failed/, EHOSTUNREACH,
  /no network/, ENETUNREACH,
  /invalid (IP address|port)/, EINVAL,
  /sendto failed|send failed/, EIO,
];

export function errnoOf(e: unknown, fallback = EIO): number {
  if (e instanceof OSError) return e.errno;
  const message = e instanceof Error ? e.message : String(e);
  for (let i = 0; i < byMessage.length; i += 2) if ((byMessage[i] as RegExp).test(message)) return byMessage[i + 1] as number;
  return fallback;
}

export function toOSError(e: unknown, what: string, fallback = EIO): OSError {
  if (e instanceof OSError) return e;
  return new OSError(errnoOf(e, fallback), `${what}: ${e instanceof Error ? e.message : String(e)}`);
}
