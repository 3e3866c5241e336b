// What select.poll() reports for a socket: MicroPython's event numbers, and the rules that say
// which events a socket has now (measured on MicroPython's unix port, which reports what Linux's
// poll() does; see shared/reference/micropython-socket-semantics.md).
//
// The readiness hook. select.poll() accepts any object with these two methods (sockets, which
// makefile() returns, and TLS sockets implement them):
//   ioctl(MP_STREAM_POLL, mask) → the events ready now among mask, plus POLLERR, POLLHUP and
//       POLLNVAL whenever they hold (those three are never masked). Synchronous, no side effects:
//       MicroPython's stream ioctl with request MP_STREAM_POLL (3).
//   pollWatch(watcher, on) → on: call watcher() (from a callback, never from inside pollWatch)
//       after anything that may have made an event ready, until pollWatch(watcher, false). It may
//       call it when nothing changed; poll() then asks ioctl again. This is how poll() waits without
//       polling in a loop: MicroPython's ports loop over ioctl, which XS cannot afford.
import { Phase, S, type TcpStream, type TcpListener } from "./tcp-stream";
import type { UdpEndpoint } from "./udp-endpoint";

export const POLLIN = 1;
export const POLLOUT = 4;
export const POLLERR = 8;
export const POLLHUP = 16;
export const POLLNVAL = 32;
/** ioctl request number for readiness, as MicroPython's MP_STREAM_POLL. */
export const MP_STREAM_POLL = 3;

export interface Pollable {
  ioctl(request: number, arg: number): number;
  pollWatch(watcher: () => void, on: boolean): void;
}

/** The events of a socket that is open; it is at most one of a stream, a listener or a UDP endpoint. */
export function socketEvents(tcp: TcpStream | undefined, listener: TcpListener | undefined, udp: UdpEndpoint | undefined): number {
  if (listener) return (listener.waiting ? POLLIN : 0) | (listener.error ? POLLIN | POLLERR : 0);
  if (udp) return POLLOUT | (udp.waiting || udp.error ? POLLIN : 0) | (udp.error ? POLLERR : 0);
  // A TCP socket never connected: Linux reports it hung up and writable (20); MicroPython's
  // net_hosted/connect_poll.py relies on it.
  if (!tcp || tcp.phase === Phase.Idle) return POLLOUT | POLLHUP;
  if (tcp.phase === Phase.Connecting) return 0;
  // Refused, reset, or failed and reported: the socket is closed underneath (HUP), reads end and
  // writes fail at once (IN|OUT), and a failure not yet raised is POLLERR: 29, then 21.
  if (tcp.error || (tcp.state & S.Failed) || tcp.phase !== Phase.Connected) return POLLIN | POLLOUT | POLLHUP | (tcp.error ? POLLERR : 0);
  return (tcp.rx.length || (tcp.state & S.Eof) ? POLLIN : 0) | (tcp.state & S.Full ? 0 : POLLOUT);
}

/** A list of watchers and the call that tells them all (a snapshot: a watcher may remove itself). */
export class Watchers {
  /** Made when the first watcher comes (most sockets never have one). */
  declare list?: (() => void)[];
  readonly notify = (): void => {
    const l = this.list;
    if (!l) return;
    if (l.length === 1) { l[0](); return; }
    const copy = l.slice();
    for (let i = 0; i < copy.length; i++) copy[i]();
  };
}
