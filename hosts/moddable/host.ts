// The port over Moddable: classic socket (TCP), ECMA-419 UDP, net (DNS) and timer. Translation
// only: see tcp.ts, udp.ts and platform.ts for how each platform quirk is absorbed.
//
// XS has no setTimeout, queueMicrotask, TextEncoder or console: timers come from the "timer"
// module. A 0 ms Timer.set may run before pending Promise jobs, so wherever order matters
// (deferred close, resume) this host defers with a Promise job instead (platform.ts: defer).
import Net from "net";
import Timer from "timer";
import type { Port } from "usocket-xs/port";
import { connect, listen } from "./tcp";
import { openUdp } from "./udp";
import { defer } from "./platform";

export const host: Port = {
  name: "moddable",
  rxLimit: 8 * 1024,
  connect,
  listen,
  udp: openUdp,
  resolve(name, family, callback) {
    // Net.resolve gives one IPv4 address (lin takes only IPv4 answers), or undefined.
    if (family === 6) { defer(() => callback(-1, [])); return; }
    try {
      Net.resolve(name, (_name, address) => callback(address ? 0 : -1, address ? [address] : []));
    } catch {
      defer(() => callback(-1, [])); // lwIP's resolve queue is full
    }
  },
  setTimer(ms, callback) {
    return Timer.set(() => callback(), ms); // not Timer.set(callback): it would pass callback the timer
  },
  clearTimer(timer) {
    Timer.clear(timer as Parameters<typeof Timer.clear>[0]);
  },
  now() {
    return Date.now();
  },
  encode(text) {
    // XS holds strings as UTF-8, so fromString is a copy. A surrogate pair made by joining its two
    // halves is held as two 3-byte halves (not well formed): fromCharCode makes it one character.
    if (!text.isWellFormed()) text = text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, (p) => String.fromCharCode(p.charCodeAt(0), p.charCodeAt(1))).toWellFormed();
    return new Uint8Array(ArrayBuffer.fromString(text));
  },
};
