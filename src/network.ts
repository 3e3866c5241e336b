// MicroPython's `network` module (the ESP32 port's, with the ESP8266 port's numbers in an ESP8266
// build): network.WLAN for the station and the access point. What the radio does is in
// wlan-station.ts (joining, retries, status), wlan-ap.ts (the access point's settings) and
// wlan-config.ts (config/ifconfig/ipconfig keys); the platform is reached through port-wifi.ts.
import { host } from "usocket-xs/host";
import { wifi as hostWifi } from "usocket-xs/host-wifi";
import { OSError, Errno } from "./errno";
import { ValueError } from "./value-error";
import { encode, toBytes, describe, type BytesLike } from "./arguments";
import { Station } from "./wlan-station";
import { AccessPoint } from "./wlan-ap";
import { codesFor, SEC_OPEN, SEC_WEP, SEC_WPA_PSK, SEC_WPA2_PSK, SEC_WPA_WPA2_PSK, SEC_WPA2_ENT, SEC_WPA3_PSK, SEC_WPA2_WPA3_PSK } from "./wlan-codes";
import { getConfig, setConfig, ifconfig as ifaceIfconfig, ipconfig as ifaceIpconfig, configure, addresses, checkHostname, type Radio } from "./wlan-config";
import type { WifiIface } from "./port-wifi";

export { ValueError };

const codes = codesFor(hostWifi.chip);

export const STA_IF = 0;
export const AP_IF = 1;
export const STAT_IDLE = codes.STAT_IDLE;
export const STAT_CONNECTING = codes.STAT_CONNECTING;
export const STAT_WRONG_PASSWORD = codes.STAT_WRONG_PASSWORD;
export const STAT_NO_AP_FOUND = codes.STAT_NO_AP_FOUND;
export const STAT_CONNECT_FAIL = codes.STAT_CONNECT_FAIL;
export const STAT_GOT_IP = codes.STAT_GOT_IP;
/** ESP32 only (the ESP8266 port reports these as STAT_CONNECT_FAIL). */
export const STAT_BEACON_TIMEOUT = codes.STAT_BEACON_TIMEOUT;
export const STAT_HANDSHAKE_TIMEOUT = codes.STAT_HANDSHAKE_TIMEOUT;
/** Deprecated aliases (MicroPython's module-level AUTH_*; use WLAN.SEC_*). */
export const AUTH_OPEN = SEC_OPEN;
export const AUTH_WEP = SEC_WEP;
export const AUTH_WPA_PSK = SEC_WPA_PSK;
export const AUTH_WPA2_PSK = SEC_WPA2_PSK;
export const AUTH_WPA_WPA2_PSK = SEC_WPA_WPA2_PSK;

/** One scan() result: (ssid, bssid, channel, RSSI, security, hidden), as MicroPython's tuple. */
export type ScanResult = [ssid: Uint8Array, bssid: Uint8Array, channel: number, RSSI: number, security: number, hidden: boolean | number];
export type IfconfigTuple = [ip: string, netmask: string, gateway: string, dns: string];

let radio: Radio | undefined;

function theRadio(): Radio {
  if (radio) return radio;
  const wifi = hostWifi;
  const station = new Station(host, wifi, codes);
  radio = { wifi, codes, station, ap: new AccessPoint(wifi, codes), hostname: wifi.defaultHostname, txpower: 20, pm: codes.PM_PERFORMANCE, dhcp: true };
  return radio;
}

/** A network interface: WLAN(STA_IF) or WLAN(AP_IF), one object per interface. */
export class WLANInterface {
  /** @internal */
  constructor(private readonly iface: WifiIface) {}

  private get r(): Radio {
    return theRadio();
  }

  private needsSta(what = "STA required"): Station {
    if (this.iface !== "sta") throw new OSError(Errno.EPERM, what);
    return this.r.station;
  }

  /** active() → the state; active(flag) sets it and returns the new state. */
  active(flag?: boolean): boolean {
    const r = this.r;
    if (flag !== undefined) {
      if (this.iface === "sta") r.station.setActive(!!flag);
      else r.ap.setActive(!!flag);
    }
    return this.iface === "sta" ? r.station.active : r.ap.active;
  }

  /**
   * Starts joining and returns at once; the Promise settles with the first outcome: STAT_GOT_IP,
   * or the reason the first attempt failed (retries go on as config("reconnects") says), or
   * STAT_IDLE after disconnect(). It never rejects; bad arguments throw here. Without arguments,
   * the last network is joined again. A connect() while joining starts over.
   */
  connect(ssid?: string, key?: string, options?: { bssid?: BytesLike }): Promise<number> {
    const sta = this.needsSta();
    if (!sta.active) throw new OSError(Errno.EPERM, "Wifi Not Started: call active(true) first");
    if (ssid === undefined || ssid === null) {
      if (!sta.ssid) throw new ValueError("connect: no SSID given and none configured");
      ssid = sta.ssid;
    }
    if (typeof ssid !== "string") throw new TypeError(`connect: ssid must be a string, got ${describe(ssid)}`);
    const n = encode(ssid).length;
    if (n < 1 || n > 32) throw new ValueError(`connect: ssid must be 1-32 bytes, got ${n}`);
    if (key === undefined || key === null) key = "";
    if (typeof key !== "string") throw new TypeError(`connect: key must be a string, got ${describe(key)}`);
    if (encode(key).length > 64) throw new ValueError("connect: key must be at most 64 bytes");
    let bssid: Uint8Array | undefined;
    if (options !== undefined && options !== null && options.bssid !== undefined && options.bssid !== null) {
      bssid = toBytes(options.bssid, "connect").slice();
      if (bssid.length !== 6) throw new ValueError(`connect: bssid must be 6 bytes, got ${bssid.length}`);
    }
    return sta.connect(ssid, key, bssid);
  }

  disconnect(): void {
    this.needsSta().disconnect();
  }

  /** Station: joined with an address. AP: at least one station joined. */
  isconnected(): boolean {
    const r = this.r;
    return this.iface === "sta" ? r.station.isconnected() : r.ap.active && r.ap.stations.length > 0;
  }

  /** status() → a STAT_* code; status("rssi") → dBm; status("stations") (AP) → [[mac, ip], …]. */
  status(param?: string): unknown {
    const r = this.r;
    if (param === undefined) return this.iface === "sta" ? r.station.status() : r.codes.apStatus;
    if (param === "rssi") {
      const sta = this.needsSta();
      if (!sta.isconnected()) throw new OSError(Errno.ENOTCONN, "Wifi Not Connected");
      return r.wifi.link().rssi ?? 0;
    }
    if (param === "stations") {
      if (this.iface !== "ap") throw new OSError(Errno.EPERM, "AP required");
      return r.ap.stations.map((s) => [s.mac.slice(), s.ip]);
    }
    throw new ValueError("unknown status param");
  }

  /** Promise of the access points in range, strongest first. */
  scan(): Promise<ScanResult[]> {
    const sta = this.needsSta();
    if (!sta.active) throw new OSError(Errno.EPERM, "STA must be active");
    const r = this.r;
    return new Promise((resolve, reject) => {
      // The radio cannot scan while it joins (MicroPython's ESP32 returns [] then): wait for the attempt to end.
      sta.whenSettled(() => {
        try {
          r.wifi.scan((error, records) => {
            if (error !== undefined) { reject(new OSError(Errno.EIO, `scan failed: ${error}`)); return; }
            const list = records.slice().sort((a, b) => b.rssi - a.rssi);
            resolve(list.map((a): ScanResult => [
              encode(a.ssid), a.bssid ? a.bssid.slice() : new Uint8Array(6), a.channel, a.rssi, a.security,
              r.codes.apStatus === -1 ? (a.hidden ? 1 : 0) : a.hidden,
            ]));
          });
        } catch (e) {
          reject(new OSError(Errno.EIO, `scan failed: ${e instanceof Error ? e.message : String(e)}`));
        }
      });
    });
  }

  /** ifconfig() → [ip, netmask, gateway, dns]; ifconfig([…]) sets them; ifconfig("dhcp") (station). */
  ifconfig(): IfconfigTuple;
  ifconfig(config: IfconfigTuple | [string, string | number, string, string] | "dhcp"): void;
  ifconfig(config?: unknown): IfconfigTuple | void {
    return ifaceIfconfig(this.r, this.iface, config);
  }

  /** ipconfig("addr4" | "gw4" | "dhcp4") reads one; ipconfig({addr4, gw4, dhcp4}) sets them. */
  ipconfig(param: "addr4"): [string, string];
  ipconfig(param: "gw4"): string;
  ipconfig(param: "dhcp4"): boolean;
  ipconfig(params: { addr4?: string | [string, string | number]; gw4?: string; dhcp4?: boolean }): void;
  ipconfig(arg?: unknown): unknown {
    return ifaceIpconfig(this.r, this.iface, arg);
  }

  /** config("key") reads one; config({key: value, …}) sets them (all checked first). */
  config(param: string): unknown;
  config(params: { [key: string]: unknown }): void;
  config(...args: unknown[]): unknown {
    if (args.length !== 1) throw new TypeError("can query only one param");
    const a = args[0];
    if (typeof a === "string") return getConfig(this.r, this.iface, a);
    if (a === null || typeof a !== "object" || Array.isArray(a)) throw new TypeError(`config: expected a key or an object of settings, got ${describe(a)}`);
    setConfig(this.r, this.iface, a as { [key: string]: unknown });
    return undefined;
  }
}

export type WLAN = WLANInterface;

const interfaces: WLANInterface[] = [];

export interface WLANFactory {
  (id?: number): WLANInterface;
  new (id?: number): WLANInterface;
  readonly IF_STA: 0;
  readonly IF_AP: 1;
  readonly SEC_OPEN: number;
  readonly SEC_WEP: number;
  readonly SEC_WPA_PSK: number;
  readonly SEC_WPA2_PSK: number;
  readonly SEC_WPA_WPA2_PSK: number;
  readonly SEC_WPA2_ENT: number;
  readonly SEC_WPA3_PSK: number;
  readonly SEC_WPA2_WPA3_PSK: number;
  readonly PM_NONE: number;
  readonly PM_PERFORMANCE: number;
  readonly PM_POWERSAVE: number;
}

function wlan(id: number = STA_IF): WLANInterface {
  if (id !== STA_IF && id !== AP_IF) throw new ValueError(`invalid WLAN interface identifier ${describe(id)}`);
  theRadio();
  return interfaces[id] ??= new WLANInterface(id === STA_IF ? "sta" : "ap");
}

/** WLAN(id = WLAN.IF_STA): the interface's one object, with or without `new`. */
export const WLAN = Object.assign(function WLAN(id?: number) { return wlan(id); }, {
  IF_STA: 0, IF_AP: 1,
  SEC_OPEN, SEC_WEP, SEC_WPA_PSK, SEC_WPA2_PSK, SEC_WPA_WPA2_PSK, SEC_WPA2_ENT, SEC_WPA3_PSK, SEC_WPA2_WPA3_PSK,
  PM_NONE: codes.PM_NONE, PM_PERFORMANCE: codes.PM_PERFORMANCE, PM_POWERSAVE: codes.PM_POWERSAVE,
}) as unknown as WLANFactory;

/** network.hostname() reads it; network.hostname(name) sets it (used by the station's next join). */
export function hostname(name?: string): string | undefined {
  const r = theRadio();
  if (name === undefined) return r.hostname;
  r.hostname = checkHostname(name);
  return undefined;
}

/** network.ipconfig("dns") → the DNS server; network.ipconfig({dns}) sets it. */
export function ipconfig(arg: "dns"): string;
export function ipconfig(arg: { dns: string }): void;
export function ipconfig(arg: unknown): unknown {
  const r = theRadio();
  if (arg === "dns") return addresses(r, "sta").dns;
  if (typeof arg === "string") throw new ValueError("unexpected key");
  if (arg === null || typeof arg !== "object" || Array.isArray(arg)) throw new TypeError("must query one param");
  const o = arg as { [key: string]: unknown };
  for (const key of Object.keys(o)) if (key !== "dns") throw new ValueError("unexpected key");
  if (o.dns === undefined) return undefined;
  const dns = o.dns;
  if (typeof dns !== "string" || !/^\d+\.\d+\.\d+\.\d+$/.test(dns)) throw new ValueError("invalid arguments as dns server");
  configure(r, "sta", { dns });
  return undefined;
}
