// UDP over the ECMA-419 UDP socket ("embedded:io/socket/udp"), on every platform. Why not the
// classic Socket({kind: "UDP"}): on lin (the simulator) it ignores the port option, so a server
// could never be reached on its port; ECMA-419 UDP binds the port on lin and on lwIP alike, and
// one implementation serves both. Its write takes (data, address, port) as Moddable's
// implementations and examples do. It has no broadcast or multicast-join options: setBroadcast is
// accepted without effect, IP_ADD_MEMBERSHIP fails with EOPNOTSUPP.
import UDP from "embedded:io/socket/udp";
import { OSError, Errno } from "usocket-xs/errno";
import type { Datagram, DatagramEvents, UdpOptions } from "usocket-xs/port";
import { toOSError, bindPort, ipv4Only } from "./platform";

export function openUdp(address: string, port: number, options: UdpOptions, events: DatagramEvents): Datagram {
  ipv4Only(options, "udp");
  let open = true;
  let u!: UDP;
  const make = (p: number) => {
    u = new UDP({
      port: p,
      address,
      onReadable(count: number) {
        while (open && count-- > 0) {
          const packet = this.read();
          if (!packet) break;
          events.onMessage(new Uint8Array(packet), packet.address, packet.port);
        }
      },
    });
  };
  port = bindPort(make, port, "bind", address);
  return {
    send(bytes, host, p) {
      if (!open) throw new OSError(Errno.EBADF);
      try { u.write(bytes, host, p); } catch (e) { throw toOSError(e, `sendto ${host}:${p}`, Errno.EIO); }
    },
    setBroadcast(_on) {},
    addMembership(group) {
      throw new OSError(Errno.EOPNOTSUPP, `IP_ADD_MEMBERSHIP ${group}: not available on the Moddable host`);
    },
    close() {
      if (!open) return;
      open = false;
      (u as unknown as { close(): void }).close();
    },
    local() { return [address, port]; },
  };
}
