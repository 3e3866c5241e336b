// Stand-in for Moddable's classic "wifi" module (documentation/network/network.md), sending the
// message sequences of SDK 8.2.3's implementations (shared/reference/wlan-facts.md §3), for the
// access points of a simulated world (hosts/node/wifi-world.ts, the scenarios the Node host runs):
//
// esp32 (modules/network/wifi/esp32/xs6wifi.c):
//   - "connect" on association, "gotIP" once the address (and IPv6 link-local) is up; never "lostIP";
//   - a failed join: one "disconnect" after the IDF's own retries, value -1 for a rejected password
//     (sticky until the next connect()), else 0; a drop after association: "disconnect" 0, no retry;
//   - WiFi.disconnect() while associated also sends "disconnect"; scan() while joining throws
//     "scan request failed", a second scan "already scanning"; records have hidden false and fold
//     every authmode >= 4 into "wpa_wpa2_psk"; the mode reads -5 until WiFi starts; AP stations
//     send "station_connect" (no MAC).
// esp8266 (modules/network/wifi/esp/modwifi.c):
//   - every disconnect is reported, and the SDK retries by itself (another "disconnect" a second
//     later, or "connect"/"gotIP" once it works) until WiFi.disconnect();
//   - connect() switches to station mode, which stops a running access point; scan needs station
//     mode ("can't scan"), a second one throws "unfinished wifi scan pending"; no AP station events.
// lin (modules/network/wifi/sim/wifi.js, the simulator; ignores the world):
//   - one instance only; a 1 s state machine: "connect" about 2 s after connect(), "gotIP" about
//     3 s; the password "invalid!" gives "disconnect" with no value; WiFi.disconnect() never
//     notifies (and a join under way goes on); WiFi.mode = 0 throws; scan() throws while the mode
//     is 0; scan records have no bssid and end with callback() (undefined).
import Timer from "timer";
import { settings } from "./settings";
import { uncaught } from "./bridge";
import { World, formatMac, type Resolved, type WorldDescription } from "../../../hosts/node/wifi-world";

type Notify = (message: string, value?: number) => void;
type Record = { ssid: string; rssi: number; channel: number; hidden: boolean; bssid?: ArrayBuffer; authentication?: string };

const AUTH = ["none", "wep", "wpa_psk", "wpa2_psk", "wpa_wpa2_psk"];
const STA_MAC = new Uint8Array([0x24, 0x0a, 0xc4, 0x12, 0x34, 0x56]);

// ---- the radio's native state (shared by every instance, as in the SDK) ----

let world = new World({ accessPoints: [] }, () => Date.now());
let staMac = STA_MAC;
const instances: WiFi[] = [];
let mode = -5; // esp32: not started yet
let started = false;
let timers: object[] = [];
let scanning = false;
/** What the app has been told: joined with an address (the truth tests compare status() with). */
let linkUp = false;
let associated = false;
let current: Resolved | undefined;
let joiningNow = false;
let apRunning: { ssid: string; stations: number } | undefined;
let apTimers: object[] = [];
let stickyReason = 0;
/** Each join, disconnect and restart of the radio starts a new generation: timers of older ones do nothing. */
let gen = 0;

const lin = () => settings.platform === "lin";
const chip = () => settings.wifi;

function later(list: object[], ms: number, fn: () => void): void {
  const g = gen;
  const t = Timer.set(() => {
    const i = list.indexOf(t);
    if (i >= 0) list.splice(i, 1);
    if (list !== timers || g === gen) fn();
  }, ms);
  list.push(t);
}

function clear(list: object[]): void {
  for (const t of list.splice(0)) Timer.clear(t);
}

/** A native event, posted to every instance with a callback (each is its own message on a device). */
function post(message: string, value?: number, before?: () => void): void {
  if (before) before();
  for (const w of instances.slice()) {
    const cb = w.notify;
    if (!cb) continue;
    try {
      if (value === undefined) cb(message); else cb(message, value);
    } catch (e) {
      uncaught(e);
    }
  }
}

/** The XS lane's harness: a new world, the radio restarted (not joined unless joinedAtBoot). */
export function simulate(description: WorldDescription | null): { linkUp(): boolean } {
  gen++;
  clear(timers);
  clear(apTimers);
  linkUp = associated = joiningNow = false;
  current = undefined;
  apRunning = undefined;
  scanning = false;
  stickyReason = 0;
  mode = -5;
  started = false;
  linState = linNext = "idle";
  linScan = false;
  world = new World(description ?? { accessPoints: [] }, () => Date.now());
  staMac = description?.mac ? parseMacBytes(description.mac) : STA_MAC;
  const boot = world.boot();
  if (boot && !lin()) {
    current = boot;
    later(timers, 0, () => post("connect", undefined, () => { associated = true; }));
    later(timers, 1, () => post("gotIP", undefined, () => { linkUp = true; }));
  }
  return { linkUp: () => linkUp };
}

function parseMacBytes(text: string): Uint8Array {
  return new Uint8Array(text.split(":").map((h) => parseInt(h, 16)));
}

// ---- station ----

function dropLink(): void {
  linkUp = false;
  associated = false;
}

function startJoin(ssid: string, password: string, bssid?: Uint8Array): void {
  gen++;
  clear(timers);
  dropLink();
  current = undefined;
  joiningNow = true;
  stickyReason = 0;
  const r = world.join(ssid, password, bssid);
  if (!r.ok) {
    const value = r.reason === "wrong-password" ? -1 : 0;
    stickyReason = value;
    if (chip() === "esp8266") {
      // The SDK retries by itself: a "disconnect" for each failed try until WiFi.disconnect().
      const again = () => {
        later(timers, 1000, () => { const n = world.join(ssid, password, bssid); if (n.ok) joined(n.ap, n.associateMs, n.addressMs, ssid, password, bssid); else again(); });
        post("disconnect", value, () => { joiningNow = false; });
      };
      later(timers, r.afterMs, again);
    } else {
      later(timers, r.afterMs, () => post("disconnect", stickyReason, () => { joiningNow = false; }));
    }
    return;
  }
  joined(r.ap, r.associateMs, r.addressMs, ssid, password, bssid);
}

function joined(ap: Resolved, associateMs: number, addressMs: number, ssid: string, password: string, bssid?: Uint8Array): void {
  joiningNow = true;
  later(timers, associateMs, () => {
    current = ap;
    post("connect", undefined, () => { associated = true; joiningNow = false; });
    later(timers, addressMs, () => {
      post("gotIP", undefined, () => { linkUp = true; });
      const drop = world.dropIn(ap);
      if (drop === undefined) return;
      later(timers, drop, () => {
        world.dropped(ap);
        current = undefined;
        // esp32 does not retry after an association; the ESP8266 SDK does, by itself.
        if (chip() === "esp8266") later(timers, 1000, () => startJoin(ssid, password, bssid));
        post("disconnect", 0, dropLink);
      });
    });
  });
}

function stopStation(): void {
  const was = associated;
  gen++;
  clear(timers);
  dropLink();
  joiningNow = false;
  current = undefined;
  if (was && chip() === "esp32") post("disconnect", 0);
}

// ---- lin: the simulator's own state machine ----

let linState = "idle", linNext = "idle";
let linTimer: object | undefined;
let linScan = false;

function linTick(): void {
  if (linNext !== linState) linState = linNext;
  switch (linState) {
    case "starting": linNext = "connect"; break;
    case "connect": post("connect", undefined, () => { associated = true; }); linNext = "gotIP"; break;
    case "gotIP": post("gotIP", undefined, () => { linkUp = true; }); linNext = "done"; break;
    case "ending": linNext = "disconnect"; break;
    case "done": linNext = "idle"; break;
    case "disconnect": post("disconnect", undefined, dropLink); linNext = "idle"; break;
  }
}

const LIN_RECORDS: Record[] = [
  { ssid: "Moddable", rssi: -62, channel: 6, hidden: false, authentication: "wpa2_psk" },
  { ssid: "coffee shop", rssi: -79, channel: 1, hidden: false, authentication: "none" },
  { ssid: "upstairs", rssi: -85, channel: 11, hidden: false, authentication: "wpa_wpa2_psk" },
];

// ---- the module ----

function checkConnect(d: { ssid?: unknown; password?: unknown; bssid?: unknown }): void {
  if (typeof d.ssid !== "string" || !d.ssid) throw new Error("ssid required");
  if (d.ssid.length > 32) throw new Error("ssid too long - 32 bytes max");
  if (typeof d.password === "string" && d.password.length > 64) throw new Error("password too long - 64 bytes max");
  if (d.bssid !== undefined && !(d.bssid instanceof ArrayBuffer && d.bssid.byteLength === 6)) throw new Error("bssid must be 6 bytes");
}

function record(a: Resolved): Record {
  const esp32 = chip() === "esp32";
  return {
    ssid: a.hidden ? "" : a.ssid, rssi: a.rssi, channel: a.channel,
    hidden: esp32 ? false : a.hidden,
    bssid: a.bssid.slice().buffer,
    authentication: AUTH[Math.min(a.security, 4)],
  };
}

export default class WiFi {
  notify?: Notify;
  private closed = false;

  constructor(dictionary: { ssid: string; password?: string } | undefined, onNotify?: Notify) {
    if (lin()) {
      if (linTimer) throw new Error("only one instance in simulator");
      linTimer = Timer.repeat(linTick, 1000);
    }
    this.notify = onNotify;
    instances.push(this);
    if (dictionary) WiFi.connect(dictionary);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const i = instances.indexOf(this);
    if (i >= 0) instances.splice(i, 1);
    if (lin() && linTimer) { Timer.clear(linTimer); linTimer = undefined; }
  }

  set onNotify(fn: Notify | undefined) { this.notify = fn; }

  static get mode(): number {
    if (lin()) return mode < 0 ? 0 : mode;
    return started || chip() === "esp8266" ? Math.max(mode, 0) : -5;
  }

  static set mode(value: number) {
    if (lin()) {
      if (value !== 1 && value !== 2 && value !== 3) throw new Error("invalid wi-fi mode");
      mode = value;
      return;
    }
    if (value === -5 && chip() === "esp32") { stopStation(); apRunning = undefined; started = false; mode = -5; return; }
    if (value < 0 || value > 3) throw new Error("invalid mode");
    if (value === 0) stopStation();
    if (!(value & 2)) { clear(apTimers); apRunning = undefined; }
    if (!(value & 1) && value !== 0) stopStation();
    mode = value;
    started = true;
  }

  static connect(dictionary?: { ssid: string; password?: string; bssid?: ArrayBuffer }): void {
    if (lin()) {
      if (mode <= 0) mode = 1;
      else if (mode !== 1 && mode !== 3) throw new Error("Wi-Fi station disabled");
      if (!dictionary) { linState = "ending"; return; }
      linNext = dictionary.password === "invalid!" ? "ending" : "starting";
      if (linTimer) Timer.schedule(linTimer, 1000, 1000);
      return;
    }
    if (!dictionary) { stopStation(); return; }
    checkConnect(dictionary);
    if (chip() === "esp8266") {
      // STATION_MODE: a running access point stops.
      if (apRunning) { clear(apTimers); apRunning = undefined; }
      mode = 1;
    } else if (mode <= 0) mode = 1;
    started = true;
    if (associated && chip() === "esp32") post("disconnect", 0, dropLink); // clearConfig() first
    startJoin(dictionary.ssid, dictionary.password ?? "", dictionary.bssid ? new Uint8Array(dictionary.bssid) : undefined);
  }

  static disconnect(): void {
    WiFi.connect();
  }

  static scan(dictionary: object, callback: (r: Record | null | undefined) => void): void {
    if (lin()) {
      if (!mode || mode < 0) throw new Error("Wi-Fi is disabled");
      if (linScan) throw new Error("already scanning");
      linScan = true;
      const items = LIN_RECORDS.slice();
      const next = () => {
        const r = items.shift();
        if (r) { callback({ ...r }); Timer.set(next, 10); } else { linScan = false; callback(); }
      };
      Timer.set(next, 1500);
      return;
    }
    if (scanning) throw new Error(chip() === "esp8266" ? "unfinished wifi scan pending" : "already scanning");
    if (chip() === "esp8266" && !(mode & 1)) throw new Error("can't scan");
    if (chip() === "esp32" && joiningNow) throw new Error("scan request failed");
    scanning = true;
    const t = Timer.set(() => {
      scanning = false;
      for (const a of world.visible()) callback(record(a));
      callback(null);
    }, world.scanMs);
    void t;
  }

  static accessPoint(d: { ssid?: string; password?: string; channel?: number; max?: number; station?: boolean }): void {
    if (lin()) {
      if (mode <= 0) mode = 2;
      else if (mode !== 2 && mode !== 3) throw new Error("Wi-Fi access point disabled");
      return; // the simulator only traces "Sim AP started ssid: …"
    }
    if (!d.ssid) throw new Error("ssid required");
    if (d.password !== undefined && d.password.length > 64) throw new Error("password too long - 64 bytes max");
    if (d.password !== undefined && d.password.length < 8) throw new Error("password too short - 8 bytes min");
    if (!d.station && associated) stopStation();
    mode = d.station ? 3 : 2;
    started = true;
    clear(apTimers);
    const running = { ssid: d.ssid, stations: 0 };
    apRunning = running;
    for (const s of world.description.apStations ?? []) {
      later(apTimers, (s.afterSeconds ?? 0.2) * 1000, () => {
        if (apRunning !== running || running.stations >= (d.max ?? 4)) return;
        running.stations++;
        if (chip() === "esp32") post("station_connect");
      });
    }
  }

  static readonly Mode = Object.freeze(settings.platform === "lin" ? { none: 0, station: 1, accessPoint: 2 } : { off: -5, none: 0, station: 1, accessPoint: 2 });
  static readonly gotIP = "gotIP";
  static readonly lostIP = "lostIP";
  static readonly connected = "connect";
  static readonly disconnected = "disconnect";
  static readonly station_connect = "station_connect";
  static readonly station_disconnect = "station_disconnect";
}

/** For Net.get (the stand-in "net"): the radio as lwIP sees it. */
export const native = {
  stationIP(): string | undefined { return linkUp && current ? current.address : undefined; },
  apIP(): string | undefined { return apRunning ? "192.168.4.1" : undefined; },
  both(): boolean { return (mode & 3) === 3; },
  mac(ap: boolean): string { const m = staMac.slice(); if (ap) m[5] = (m[5] + 1) & 255; return formatMac(m, true); },
  /** The AP the station is associated with (SSID, BSSID, RSSI, CHANNEL are known from then on). */
  joined(): Resolved | undefined { return associated ? current : undefined; },
  /** Forget every instance (the stand-ins' own tests make their own). */
  reset(): void {
    for (const w of instances.slice()) w.close();
    simulate(null);
    mode = -5;
    started = false;
    linState = linNext = "idle";
    linScan = false;
  },
};
