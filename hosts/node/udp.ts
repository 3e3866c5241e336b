// UDP sockets over node:dgram.
import * as dgram from "node:dgram";
import { OSError } from "usocket-xs/errno";
import type { Datagram, DatagramEvents, UdpOptions } from "usocket-xs/port";
import { toErrno } from "./errors";

type LookupCallback = (err: Error | null, address: string, family: number) => void;

/** The core passes numeric addresses only; answering at once makes bind() synchronous. */
function numeric(address: string, options: unknown, callback?: LookupCallback): void {
  const cb = (typeof options === "function" ? options : callback) as LookupCallback;
  cb(null, address, address.indexOf(":") >= 0 ? 6 : 4);
}

export function openUdp(address: string, port: number, options: UdpOptions, events: DatagramEvents): Datagram {
  const sock = dgram.createSocket({
    type: options.family === 6 ? "udp6" : "udp4",
    reuseAddr: options.reuseAddress,
    lookup: numeric as unknown as dgram.SocketOptions["lookup"],
  });
  let bindError: unknown;
  sock.once("error", (e) => { bindError = e; });
  sock.bind({ address, port, exclusive: true });
  if (bindError) {
    sock.close();
    throw new OSError(toErrno(bindError), `bind ${address}:${port}`);
  }
  sock.on("error", (e) => events.onError(toErrno(e)));
  sock.on("message", (msg, rinfo) => events.onMessage(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), rinfo.address, rinfo.port));
  let open = true;
  return {
    send(bytes, host, p) {
      // Node throws its own errors (ERR_SOCKET_BAD_PORT, …) where the port promises OSError.
      try {
        sock.send(Buffer.from(bytes), p, host, (err) => { if (err && open) events.onError(toErrno(err)); });
      } catch (e) {
        throw new OSError(toErrno(e), e instanceof Error ? e.message : undefined);
      }
    },
    setBroadcast(on) { sock.setBroadcast(on); },
    addMembership(group, iface) {
      try { sock.addMembership(group, iface === "0.0.0.0" ? undefined : iface); }
      catch (e) { throw new OSError(toErrno(e), `IP_ADD_MEMBERSHIP ${group}`); }
    },
    close() {
      if (!open) return;
      open = false;
      sock.close();
    },
    local() {
      const a = sock.address();
      return [a.address, a.port];
    },
  };
}
