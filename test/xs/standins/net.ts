// Stand-in for Moddable's "net": Net.resolve answers one IPv4 address (or undefined) later.
// Net.get reports the radio of the "wifi" stand-in (modules/network/net/esp/modNet.c): IP, MAC
// ("AA:BB:…"), SSID, BSSID, RSSI, CHANNEL, DNS (an array); IP and MAC are undefined in AP+STA mode
// without an interface argument; there is no GATEWAY or NETMASK. On lin (the simulator) IP is
// always the host's address and the rest undefined (modules/network/net/lin/modNet.c).
// On lin, "localhost" resolves to nothing (the simulator keeps only IPv4 answers from GLib and
// gets none for it), as measured on SDK 8.2.3.
import { call, on } from "./bridge";
import { settings } from "./settings";
import { native } from "./wifi";
import { formatMac } from "../../../hosts/node/wifi-world";

const pending = new Map<number, [string, (name: string, address?: string) => void]>();
let nextId = 1;
on("resolved", (ev: { id: number; address?: string }) => {
  const p = pending.get(ev.id);
  if (!p) return;
  pending.delete(ev.id);
  p[1](p[0], ev.address ?? undefined);
});

const Net = {
  resolve(host: string, callback: (name: string, address?: string) => void): void {
    const id = nextId++;
    pending.set(id, [host, callback]);
    call("resolve", { id, host, lin: settings.platform === "lin" });
  },
  get(property: string, iface?: string): unknown {
    if (settings.platform === "lin") return property === "IP" ? "127.0.0.1" : undefined;
    const j = native.joined();
    const ap = iface === "ap" || (iface === undefined && !j && native.apIP() !== undefined);
    switch (property) {
      case "IP":
        if (iface === undefined && native.both()) return undefined;
        return ap ? native.apIP() : native.stationIP();
      case "MAC":
        if (iface === undefined && native.both()) return undefined;
        return native.mac(ap);
      case "SSID": return j?.ssid;
      case "BSSID": return j ? formatMac(j.bssid) : undefined;
      case "RSSI": return j?.rssi;
      case "CHANNEL": return j?.channel;
      case "DNS": return j && native.stationIP() ? [j.dns] : [];
    }
    return undefined;
  },
};
export default Net;
