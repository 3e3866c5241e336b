// WLAN.config(), ifconfig() and ipconfig(), and network.hostname()/ipconfig(): the keys each
// interface knows, MicroPython's errors for the others, and addresses. The radio's state is in
// wlan-station.ts and wlan-ap.ts; this file only reads and changes it.
import { OSError, Errno } from "./errno";
import { ValueError } from "./value-error";
import { toBytes, describe } from "./arguments";
import { parseIPv4, formatIPv4 } from "./inet";
import type { IfAddresses, Wifi, WifiIface } from "./port-wifi";
import type { Station } from "./wlan-station";
import type { AccessPoint, ApConfig } from "./wlan-ap";
import type { WlanCodes } from "./wlan-codes";

/** The radio: both interfaces and what they share. */
export interface Radio {
  wifi: Wifi;
  codes: WlanCodes;
  station: Station;
  ap: AccessPoint;
  hostname: string;
  txpower: number;
  pm: number;
  /** The station takes its address from DHCP (false once a static address is set). */
  dhcp: boolean;
}

const apRequired = () => new OSError(Errno.EPERM, "AP required");
const staRequired = () => new OSError(Errno.EPERM, "STA required");
const unknown = () => new ValueError("unknown config param");

export function getConfig(r: Radio, iface: WifiIface, key: string): unknown {
  const sta = iface === "sta", s = r.ap.settings;
  switch (key) {
    case "mac": return r.wifi.mac(iface);
    case "ssid": case "essid": return sta ? r.station.ssid : s.ssid;
    case "channel": return sta ? r.wifi.link().channel ?? 0 : s.channel;
    case "hidden": if (sta) throw apRequired(); return s.hidden;
    case "security": case "authmode": if (sta) throw apRequired(); return r.ap.security();
    case "max_clients": if (sta) throw apRequired(); return s.max_clients;
    case "hostname": case "dhcp_hostname": if (!sta) throw staRequired(); return r.hostname;
    case "reconnects": if (!sta) throw staRequired(); return r.station.reconnects;
    case "txpower": return r.txpower;
    case "pm": return r.pm;
  }
  throw unknown(); // key and password included: they cannot be read back
}

function int(v: unknown, key: string, low: number, high: number): number {
  if (!Number.isInteger(v)) throw new TypeError(`config: ${key} must be an integer, got ${describe(v)}`);
  if ((v as number) < low || (v as number) > high) throw new ValueError(`config: ${key} must be ${low}-${high}, got ${v}`);
  return v as number;
}

function str(v: unknown, key: string): string {
  if (typeof v !== "string") throw new TypeError(`config: ${key} must be a string, got ${describe(v)}`);
  return v;
}

/** Every key is checked before any is applied (MicroPython applies some and loses others on an error). */
export function setConfig(r: Radio, iface: WifiIface, changes: { [key: string]: unknown }): void {
  const sta = iface === "sta";
  const ap: Partial<ApConfig> = {};
  let hostname: string | undefined, reconnects: number | undefined, txpower: number | undefined, pm: number | undefined;
  for (const key of Object.keys(changes)) {
    const v = changes[key];
    switch (key) {
      case "ssid": case "essid": if (sta) throw apRequired(); ap.ssid = str(v, key); break;
      case "key": case "password": if (sta) throw apRequired(); ap.key = str(v, key); break;
      case "security": case "authmode": if (sta) throw apRequired(); ap.security = int(v, key, 0, 16); break;
      case "channel":
        // On the station the channel only hints where to scan first (MicroPython sets it too); not kept.
        if (!sta) ap.channel = int(v, key, 1, 13); else int(v, key, 0, 14);
        break;
      case "hidden": if (sta) throw apRequired(); ap.hidden = !!v; break;
      case "max_clients": if (sta) throw apRequired(); ap.max_clients = int(v, key, 1, 10); break;
      case "hostname": case "dhcp_hostname": hostname = checkHostname(v); break;
      case "reconnects": if (!sta) throw staRequired(); reconnects = int(v, key, -1, 0x7fffffff); break;
      case "txpower":
        if (typeof v !== "number" || !(v >= 2 && v <= 20)) throw new ValueError(`config: txpower must be 2-20 dBm, got ${describe(v)}`);
        txpower = v;
        break;
      case "pm": pm = int(v, key, 0, 2); break;
      case "mac":
        if (toBytes(v, "config").length !== 6) throw new ValueError("invalid buffer length");
        throw new OSError(Errno.EOPNOTSUPP, "config: the MAC address cannot be changed on this platform");
      default: throw unknown();
    }
  }
  if (Object.keys(ap).length) r.ap.update(ap);
  if (hostname !== undefined) r.hostname = hostname;
  if (reconnects !== undefined) r.station.reconnects = reconnects;
  if (txpower !== undefined) r.txpower = txpower;
  if (pm !== undefined) r.pm = pm;
}

export function checkHostname(v: unknown): string {
  const name = str(v, "hostname");
  if (name.length < 1 || name.length > 32) throw new ValueError(`hostname must be 1-32 characters, got ${name.length}`);
  return name;
}

// ---- addresses ----

/** The interface's addresses; a station without a link has none (its DNS server stays). */
export function addresses(r: Radio, iface: WifiIface): IfAddresses {
  const a = r.wifi.addresses(iface);
  const up = iface === "sta" ? r.station.isconnected() : r.ap.active;
  return up ? a : { ip: "0.0.0.0", netmask: "0.0.0.0", gateway: "0.0.0.0", dns: a.dns };
}

function ipv4(v: unknown, what: string): string {
  if (typeof v !== "string" || !parseIPv4(v)) throw new ValueError(`${what} must be a dotted-quad IPv4 address, got ${describe(v)}`);
  return v;
}

/** "255.255.255.0" from 24, or a checked dotted quad. */
function netmask(v: unknown): string {
  if (typeof v === "number") {
    if (!Number.isInteger(v) || v < 0 || v > 32) throw new ValueError(`netmask prefix must be 0-32, got ${v}`);
    const m = v === 0 ? 0 : (0xffffffff << (32 - v)) >>> 0;
    return formatIPv4(new Uint8Array([m >>> 24, (m >>> 16) & 255, (m >>> 8) & 255, m & 255]));
  }
  return ipv4(v, "netmask");
}

export function configure(r: Radio, iface: WifiIface, change: Partial<IfAddresses> | "dhcp"): void {
  if (!r.wifi.configure) {
    if (change === "dhcp") return; // hosts without static addresses use DHCP already
    throw new OSError(Errno.EOPNOTSUPP, "static addresses and DNS servers cannot be set on this host (it reports the platform's own)");
  }
  r.wifi.configure(iface, change);
  if (iface === "sta") r.dhcp = change === "dhcp" ? true : change.ip === undefined && change.gateway === undefined ? r.dhcp : false;
}

export function ifconfig(r: Radio, iface: WifiIface, arg: unknown): [string, string, string, string] | undefined {
  if (arg === undefined) {
    const a = addresses(r, iface);
    return [a.ip, a.netmask, a.gateway, a.dns];
  }
  if (arg === "dhcp") {
    if (iface !== "sta") throw new ValueError("ifconfig('dhcp') is for the station only");
    configure(r, iface, "dhcp");
    return undefined;
  }
  if (!Array.isArray(arg) || arg.length !== 4) throw new TypeError(`ifconfig: expected [ip, netmask, gateway, dns] or "dhcp", got ${describe(arg)}`);
  configure(r, iface, { ip: ipv4(arg[0], "ip"), netmask: netmask(arg[1]), gateway: ipv4(arg[2], "gateway"), dns: ipv4(arg[3], "dns") });
  return undefined;
}

export function ipconfig(r: Radio, iface: WifiIface, arg: unknown): unknown {
  if (typeof arg === "string") {
    const a = addresses(r, iface);
    if (arg === "addr4") return [a.ip, a.netmask];
    if (arg === "gw4") return a.gateway;
    if (arg === "dhcp4") return iface === "ap" ? true : r.dhcp;
    throw new ValueError("unexpected key");
  }
  if (arg === null || typeof arg !== "object" || Array.isArray(arg)) throw new TypeError("must query one param");
  const o = arg as { [key: string]: unknown };
  const change: Partial<IfAddresses> = {};
  let dhcp = false;
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (key === "addr4") {
      if (Array.isArray(v)) { change.ip = ipv4(v[0], "addr4"); change.netmask = netmask(v[1]); }
      else if (typeof v === "string" && v.indexOf("/") > 0) {
        const [ip, prefix] = v.split("/");
        change.ip = ipv4(ip, "addr4");
        change.netmask = netmask(Number(prefix));
      } else change.ip = ipv4(v, "addr4");
    } else if (key === "gw4") change.gateway = ipv4(v, "gw4");
    else if (key === "dhcp4") dhcp = !!v;
    else throw new ValueError("unexpected key");
  }
  if (dhcp) configure(r, iface, "dhcp");
  if (Object.keys(change).length) configure(r, iface, change);
  return undefined;
}
