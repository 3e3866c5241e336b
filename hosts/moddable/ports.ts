// Binding "any port" (port 0). Neither the classic Listener nor the ECMA-419 UDP socket can tell
// which port the system picked (the classic Listener has no accessor; ECMA-419 UDP on lin does not
// even bind until its first write), so getsockname() would be useless. Instead we choose the port:
// candidates from the dynamic range 49152-65535 (lwIP's own ephemeral range), starting at a
// clock-derived offset, each tried with the real constructor until one binds.
import { EADDRINUSE, OSError } from "usocket-xs/errno";
import { errnoOf } from "./errors";

const FIRST = 49152;
const COUNT = 65536 - FIRST;
const TRIES = 64;
let next = Date.now() % COUNT;

/** Calls open(port) with candidate ports until one binds; returns that port. */
export function bindAnyPort(open: (port: number) => void): number {
  let last: unknown;
  for (let i = 0; i < TRIES; i++) {
    const port = FIRST + (next++ % COUNT);
    try {
      open(port);
      return port;
    } catch (e) {
      last = e;
      if (errnoOf(e) !== EADDRINUSE) break;
    }
  }
  throw new OSError(errnoOf(last, EADDRINUSE), "no free port to bind");
}
