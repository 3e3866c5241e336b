// The WiFi port on the desktop. By default the machine is a station already joined through its own
// network: ifconfig() is its real primary IPv4 address, netmask, default gateway (from
// /proc/net/route; "0.0.0.0" where that cannot be read) and DNS server (/etc/resolv.conf, else
// dns.getServers()); connect() to any SSID succeeds at once; scan() finds nothing (the desktop's
// radio is not ours to drive); it cannot be an access point.
//
// With USOCKET_XS_WIFI=path.json (or simulateWifi(description)), the radio is simulated instead:
// access points from the description (wifi-world.ts), with wrong passwords, missing APs, drops,
// scans and an access point of our own. A drop still to come does not keep Node running.
import * as os from "node:os";
import * as dns from "node:dns";
import { readFileSync } from "node:fs";
import { OSError, EOPNOTSUPP } from "usocket-xs/errno";
import type { ApEvents, ApSettings, ApStation, IfAddresses, ScanRecord, StationEvents, Wifi, WifiChip, WifiIface } from "usocket-xs/port-wifi";
import { World, parseMac, type Resolved, type WorldDescription } from "./wifi-world";

type Impl = Omit<Wifi, "chip" | "defaultHostname" | "station"> & {
  /** Joined at start (ssid), if so; events go to `events` from then on. */
  attach(events: StationEvents): string | undefined;
  detach(): void;
  linkUp(): boolean;
};

const ZERO: IfAddresses = { ip: "0.0.0.0", netmask: "0.0.0.0", gateway: "0.0.0.0", dns: "0.0.0.0" };

// ---- the desktop's own network ----

function defaultRoute(): { iface: string; gateway: string } | undefined {
  try {
    const lines = readFileSync("/proc/net/route", "utf8").split("\n").slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f.length < 3 || f[1] !== "00000000") continue;
      const g = parseInt(f[2], 16);
      return { iface: f[0], gateway: [g & 255, (g >>> 8) & 255, (g >>> 16) & 255, g >>> 24].join(".") };
    }
  } catch { /* not Linux */ }
  return undefined;
}

function dnsServer(): string {
  try {
    const m = /^\s*nameserver\s+(\d+\.\d+\.\d+\.\d+)\s*$/m.exec(readFileSync("/etc/resolv.conf", "utf8"));
    if (m) return m[1];
  } catch { /* no resolv.conf */ }
  return dns.getServers().find((s) => /^\d+\.\d+\.\d+\.\d+$/.test(s)) ?? "0.0.0.0";
}

function primary(): { addresses: IfAddresses; mac: Uint8Array } {
  const all = os.networkInterfaces();
  const route = defaultRoute();
  const pick = (name: string) => (all[name] ?? []).find((a) => a.family === "IPv4" && !a.internal);
  const name = route && pick(route.iface) ? route.iface : Object.keys(all).find((n) => pick(n));
  const a = name ? pick(name) : undefined;
  if (!a) {
    const lo = Object.values(all).flat().find((x) => x?.family === "IPv4" && x.internal);
    return { addresses: { ip: lo?.address ?? "127.0.0.1", netmask: lo?.netmask ?? "255.0.0.0", gateway: "0.0.0.0", dns: dnsServer() }, mac: new Uint8Array(6) };
  }
  return {
    addresses: { ip: a.address, netmask: a.netmask, gateway: route && route.iface === name ? route.gateway : "0.0.0.0", dns: dnsServer() },
    mac: parseMac(a.mac, "mac"),
  };
}

function desktop(): Impl {
  let events: StationEvents | undefined;
  let pending: NodeJS.Immediate | undefined;
  let joined = false;
  const cancel = () => { if (pending) clearImmediate(pending); pending = undefined; };
  return {
    attach(e) { events = e; joined = true; return ""; },
    detach() { cancel(); events = undefined; },
    linkUp() { return joined; },
    setStationActive(on) { if (!on) { cancel(); joined = false; } },
    join(ssid) {
      cancel();
      joined = false;
      pending = setImmediate(() => {
        pending = undefined;
        joined = true;
        events?.onAssociated(ssid);
        events?.onAddress();
      });
    },
    leave() { cancel(); joined = false; },
    scan(callback) { setImmediate(() => callback(undefined, [])); },
    startAp() {
      throw new OSError(EOPNOTSUPP, "the desktop cannot be an access point here: simulate one with USOCKET_XS_WIFI=file.json (README: Simulated WiFi)");
    },
    stopAp() {},
    addresses(iface) { return iface === "sta" ? primary().addresses : ZERO; },
    mac(iface) { return apMac(primary().mac, iface); },
    link() { return {}; },
  };
}

/** The AP's MAC is the station's plus one, as on the ESP chips. */
function apMac(sta: Uint8Array, iface: WifiIface): Uint8Array {
  const m = sta.slice();
  if (iface === "ap") m[5] = (m[5] + 1) & 255;
  return m;
}

// ---- simulated access points ----

function simulated(world: World): Impl {
  let events: StationEvents | undefined;
  let joined: Resolved | undefined;
  let up = false;
  const timers = new Set<NodeJS.Timeout>();
  const apTimers = new Set<NodeJS.Timeout>();
  /** A timer of the simulation; only those nobody waits for (a drop to come) let Node exit. */
  const later = (set: Set<NodeJS.Timeout>, ms: number, fn: () => void, keepAlive = true) => {
    const t = setTimeout(() => { set.delete(t); fn(); }, ms);
    if (!keepAlive) t.unref();
    set.add(t);
  };
  const stopAll = (set: Set<NodeJS.Timeout>) => { for (const t of set) clearTimeout(t); set.clear(); };
  const staMac = world.description.mac ? parseMac(world.description.mac, "mac") : new Uint8Array([0x24, 0x0a, 0xc4, 0x12, 0x34, 0x56]);
  const fixed: { [iface: string]: Partial<IfAddresses> } = { sta: {}, ap: {} };
  let ap: { settings: ApSettings; events: ApEvents; stations: ApStation[] } | undefined;

  const comeUp = (a: Resolved) => {
    joined = a;
    up = true;
    events?.onAddress();
    const drop = world.dropIn(a);
    if (drop !== undefined) {
      later(timers, drop, () => {
        up = false;
        joined = undefined;
        world.dropped(a);
        events?.onDown("lost");
      }, false);
    }
  };

  return {
    attach(e) {
      events = e;
      const boot = world.boot();
      if (!boot) return undefined;
      joined = boot;
      up = true;
      return boot.ssid;
    },
    detach() { stopAll(timers); stopAll(apTimers); events = undefined; },
    linkUp() { return up; },
    setStationActive(on) { if (!on) { stopAll(timers); up = false; joined = undefined; } },
    join(ssid, key, bssid) {
      stopAll(timers);
      up = false;
      joined = undefined;
      const r = world.join(ssid, key, bssid);
      if (!r.ok) { later(timers, r.afterMs, () => events?.onDown(r.reason)); return; }
      later(timers, r.associateMs, () => {
        events?.onAssociated(ssid);
        later(timers, r.addressMs, () => comeUp(r.ap));
      });
    },
    leave() { stopAll(timers); up = false; joined = undefined; },
    scan(callback) {
      later(apTimers, world.scanMs, () => {
        const records: ScanRecord[] = world.visible().map((a) => ({
          ssid: a.hidden ? "" : a.ssid, bssid: a.bssid.slice(), channel: a.channel, rssi: a.rssi, security: a.security, hidden: a.hidden,
        }));
        callback(undefined, records);
      });
    },
    startAp(settings, apEvents) {
      stopAll(apTimers);
      ap = { settings, events: apEvents, stations: [] };
      const current = ap;
      for (const s of world.description.apStations ?? []) {
        later(apTimers, (s.afterSeconds ?? 0.2) * 1000, () => {
          if (ap !== current || current.stations.length >= settings.maxClients) return;
          current.stations = current.stations.concat([{ mac: parseMac(s.mac, "apStations mac"), ip: s.ip ?? null }]);
          current.events.onStations(current.stations);
        });
      }
    },
    stopAp() { stopAll(apTimers); ap = undefined; },
    addresses(iface) {
      const base: IfAddresses = iface === "ap"
        ? { ip: "192.168.4.1", netmask: "255.255.255.0", gateway: "192.168.4.1", dns: "0.0.0.0" }
        : joined ? { ip: joined.address, netmask: joined.netmask, gateway: joined.gateway, dns: joined.dns } : ZERO;
      return { ...base, ...fixed[iface] };
    },
    mac(iface) { return apMac(staMac, iface); },
    link() { return joined && up ? { rssi: joined.rssi, channel: joined.channel, bssid: joined.bssid.slice() } : {}; },
    configure(iface, change) {
      fixed[iface] = change === "dhcp" ? {} : { ...fixed[iface], ...change };
    },
  };
}

// ---- the port's wifi: whichever of the two is current ----

export interface WifiSimulation {
  /** The simulated station link is up (joined, with an address) at this moment. */
  linkUp(): boolean;
}

function fromEnv(): { impl: Impl; chip: WifiChip } {
  const path = process.env.USOCKET_XS_WIFI;
  if (!path) return { impl: desktop(), chip: process.env.USOCKET_XS_WIFI_CHIP === "esp8266" ? "esp8266" : "esp32" };
  let description: WorldDescription;
  try {
    description = JSON.parse(readFileSync(path, "utf8")) as WorldDescription;
  } catch (e) {
    throw new Error(`USOCKET_XS_WIFI=${path}: ${(e as Error).message}`);
  }
  return { impl: simulated(new World(description, () => performance.now())), chip: description.chip ?? "esp32" };
}

const start = fromEnv();
let impl: Impl = start.impl;
let listener: StationEvents | undefined;

/**
 * Switch the radio to simulated access points (a description object, or the path of a JSON file),
 * or back to the desktop's own network with null. The station starts over: joined only if the
 * description says joinedAtBoot. The status numbers (chip) stay those the program started with.
 */
export function simulateWifi(description: WorldDescription | string | null): WifiSimulation {
  const d = typeof description === "string" ? JSON.parse(readFileSync(description, "utf8")) as WorldDescription : description;
  const next = d ? simulated(new World(d, () => performance.now())) : desktop();
  const wasUp = impl.linkUp();
  impl.detach();
  impl = next;
  if (listener) {
    const events = listener;
    // The old network is gone: a link that was up is lost. The desktop's own network is joined
    // only at the program's start; a description may say the station is joined "at boot".
    if (wasUp) events.onDown("lost");
    const boot = impl.attach(events);
    if (d && boot !== undefined) setImmediate(() => { if (impl === next) { events.onAssociated(boot); events.onAddress(); } });
    if (!d) next.leave();
  }
  return { linkUp: () => impl === next && next.linkUp() };
}

export const wifi: Wifi = {
  chip: start.chip,
  defaultHostname: os.hostname() || `mpy-${start.chip}`,
  station(events) { listener = events; return impl.attach(events); },
  setStationActive(on) { impl.setStationActive(on); },
  join(ssid, key, bssid) { impl.join(ssid, key, bssid); },
  leave() { impl.leave(); },
  scan(callback) { impl.scan(callback); },
  startAp(settings, events) { impl.startAp(settings, events); },
  stopAp() { impl.stopAp(); },
  addresses(iface) { return impl.addresses(iface); },
  mac(iface) { return impl.mac(iface); },
  link() { return impl.link(); },
  configure(iface, change) {
    if (!impl.configure) {
      if (change === "dhcp") return; // the desktop's own network is what it is
      throw new OSError(EOPNOTSUPP, "static addresses and DNS servers cannot be set on the desktop's own network (simulate one with USOCKET_XS_WIFI)");
    }
    impl.configure(iface, change);
  },
};
