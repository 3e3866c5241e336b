// The port over node:net, node:dgram and node:dns: translation only.
import * as dns from "node:dns";
import type { Port } from "usocket-xs/port";
import { connect, listen } from "./tcp";
import { openUdp } from "./udp";

const started = performance.now();
const utf8 = new TextEncoder();

export const host: Port = {
  name: "node",
  rxLimit: 64 * 1024,
  connect,
  listen,
  udp: openUdp,
  resolve(name, family, callback) {
    dns.lookup(name, { all: true, family, verbatim: true }, (err, list) => {
      if (err) callback(-1, []);
      else callback(0, list.map((a) => a.address));
    });
  },
  setTimer(ms, callback) {
    return setTimeout(callback, ms);
  },
  clearTimer(timer) {
    clearTimeout(timer as ReturnType<typeof setTimeout>);
  },
  now() {
    return performance.now() - started;
  },
  encode(text) {
    return utf8.encode(text);
  },
};
