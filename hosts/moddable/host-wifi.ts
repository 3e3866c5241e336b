// The WiFi port over Moddable's classic `wifi` module and `Net.get`: one attempt per join(), as
// the port asks (retries are the core's, wlan-station.ts). What it absorbs, per platform:
//
// | Moddable behaviour                                                   | what the core sees              |
// | :------------------------------------------------------------------- | :------------------------------ |
// | "disconnect" with value -1 (password rejected; sticky until connect) | "wrong-password"                |
// | "disconnect" 0 before "connect" (ESP32 folds AUTH_FAIL in here too)  | "no-ap"                         |
// | "disconnect" after "connect" without an address / after "gotIP"      | "failed" / "lost"               |
// | ESP32 never sends "lostIP"; "gotIP" waits for IPv6 link-local too    | a drop is its "disconnect"      |
// | ESP8266's SDK keeps retrying after a failure, reporting each one     | WiFi.disconnect() after the     |
// |                                                                      | first: the core decides retries |
// | ESP8266: WiFi.connect() switches to station mode, killing our AP     | the AP is started again (AP+STA)|
// | events after WiFi.disconnect() (the simulator's join goes on)        | ignored until the next join()   |
// | a "connect" nobody asked for (ESP8266's SDK joins at boot by itself) | a join: onAssociated(its SSID)  |
// | simulator: the only failure is the password "invalid!", reported as  | "wrong-password"                |
// |   "disconnect" with no value                                         |                                 |
// | simulator: WiFi.mode = 0 throws; scan() throws while the mode is 0   | mode 0 is never set there; the  |
// |                                                                      | station sets mode 1 to scan     |
// | simulator: one instance only; Net.get("IP") is the host's address    | one instance for the app; the   |
// |                                                                      | address counts only once joined |
// | no GATEWAY or NETMASK key in Net.get                                 | "0.0.0.0" (unknown)             |
// | "station_connect"/"station_disconnect" carry no MAC (ESP32)          | stations with MAC 00:00:…       |
import WiFiModule from "wifi";
import NetModule from "net";
import config from "mc/config";
import { OSError, EIO } from "usocket-xs/errno";
import type { ApEvents, ApSettings, ApStation, IfAddresses, ScanRecord, StationEvents, Wifi, WifiIface } from "usocket-xs/port-wifi";
import { isLin, defer } from "./platform";

// Moddable's own typings (under mcconfig) and ours (typings/moddable) differ in detail, and both
// leave out what this file uses (Net.get's CHANNEL and interface argument, the AP's station
// option, the callback's value): one loose view of each module.
interface ScanRecordIn { ssid: string; rssi: number; channel: number; hidden?: boolean; bssid?: ArrayBuffer; authentication?: string }
interface ClassicWiFi {
  new (dictionary: undefined, onNotify: (message: string, value?: number) => void): { close(): void };
  mode: number;
  scan(dictionary: object, callback: (record: ScanRecordIn | null | undefined) => void): void;
  connect(dictionary?: object): void;
  disconnect(): void;
  accessPoint(dictionary: object): void;
}
const WiFi = WiFiModule as unknown as ClassicWiFi;
const Net = NetModule as unknown as {
  get(key: "IP" | "MAC" | "SSID" | "BSSID", iface?: "station" | "ap"): string | undefined;
  get(key: "RSSI" | "CHANNEL"): number | undefined;
  get(key: "DNS"): string[] | undefined;
};

const chip = config.usocketWifi === "esp8266" ? "esp8266" : "esp32";
/** Read each time (the XS lane's stand-ins switch chips between tests); the status numbers use `chip`. */
const esp8266 = () => config.usocketWifi === "esp8266";
const SECURITY: { [name: string]: number } = { none: 0, wep: 1, wpa_psk: 2, wpa2_psk: 3, wpa_wpa2_psk: 4 };

let radio: { close(): void } | undefined;
let events: StationEvents | undefined;
let phase: "idle" | "joining" | "associated" | "up" = "idle";
let joining = "";
let stationOn = false;
let ap: { settings: ApSettings; events: ApEvents; stations: ApStation[] } | undefined;
let scanning: ((error: string | undefined, records: ScanRecord[]) => void)[] | undefined;

function mac(text: string | undefined): Uint8Array {
  const b = new Uint8Array(6);
  if (text) {
    const parts = text.split(":");
    for (let i = 0; i < 6 && i < parts.length; i++) b[i] = parseInt(parts[i], 16) || 0;
  }
  return b;
}

function setMode(mode: number): void {
  if (isLin() && mode === 0) return; // the simulator's setter rejects 0 (it checks the missing Mode.off)
  try { if (WiFi.mode !== mode) WiFi.mode = mode; } catch { /* the platform keeps its mode */ }
}

function mode(): number {
  return (stationOn ? 1 : 0) | (ap ? 2 : 0);
}

function notify(message: string, value?: number): void {
  const ev = events;
  switch (message) {
    case "connect":
      if (phase === "idle" && !isLin()) {
        // Joined without being asked (the ESP8266 SDK's own join at boot): a join like ours from here on.
        joining = Net.get("SSID", "station") ?? "";
        phase = "joining";
      }
      if (phase !== "joining") return;
      phase = "associated";
      ev?.onAssociated(joining);
      return;
    case "gotIP":
      if (phase !== "joining" && phase !== "associated") return;
      phase = "up";
      ev?.onAddress();
      return;
    case "lostIP":
      if (phase !== "up") return;
      phase = "associated";
      ev?.onAddressLost();
      return;
    case "disconnect": {
      if (phase === "idle") return;
      const reason = value === -1 || (isLin() && phase === "joining") ? "wrong-password"
        : phase === "joining" ? "no-ap" : phase === "associated" ? "failed" : "lost";
      phase = "idle";
      if (esp8266()) { try { WiFi.disconnect(); } catch { /* already off */ } }
      ev?.onDown(reason);
      return;
    }
    case "station_connect":
    case "station_disconnect": {
      const a = ap;
      if (!a) return;
      a.stations = message === "station_connect" ? a.stations.concat([{ mac: new Uint8Array(6), ip: null }]) : a.stations.slice(1);
      a.events.onStations(a.stations);
    }
  }
}

function instance(): void {
  radio ??= new WiFi(undefined, (message, value) => {
    try { notify(message, value); } catch { /* the core's handlers do not throw; a callback must never let anything escape */ }
  });
}

function startAp(): void {
  const s = ap!.settings;
  if (isLin()) setMode(stationOn ? 3 : 2); // the simulator's accessPoint() refuses while the mode is station only
  WiFi.accessPoint({
    ssid: s.ssid, channel: s.channel, hidden: s.hidden, max: s.maxClients, station: stationOn,
    ...(s.key ? { password: s.key } : {}),
  });
}

export const wifi: Wifi = {
  chip,
  defaultHostname: `mpy-${chip}`,
  station(e) {
    events = e;
    instance();
    // Already joined (the SDK's setup/network, kept by an app that wants it): the station is up.
    if (isLin() || Net.get("IP", "station") === undefined) return undefined;
    phase = "up";
    stationOn = true;
    return Net.get("SSID", "station") ?? "";
  },
  setStationActive(on) {
    if (!on && phase !== "idle") wifi.leave();
    stationOn = on;
    setMode(mode());
  },
  join(ssid, key, bssid) {
    instance();
    phase = "joining";
    joining = ssid;
    if (isLin()) setMode(ap ? 3 : 1);
    WiFi.connect({
      ssid,
      ...(key ? { password: key } : {}),
      ...(bssid ? { bssid: bssid.slice().buffer } : {}),
    });
    if (esp8266() && ap) {
      try { startAp(); } catch { /* the AP stays down; the next active(true) reports why */ }
    }
  },
  leave() {
    phase = "idle";
    try { WiFi.disconnect(); } catch { /* not joined */ }
  },
  scan(callback) {
    if (scanning) { scanning.push(callback); return; } // one scan at a time: share its result
    const waiting = [callback];
    scanning = waiting;
    const records: ScanRecord[] = [];
    const finish = (error: string | undefined) => {
      scanning = undefined;
      for (let i = 0; i < waiting.length; i++) waiting[i](error, records);
    };
    try {
      if (isLin() && WiFi.mode === 0) setMode(1); // the simulator scans only once a mode is set
      WiFi.scan({ hidden: true }, (r: ScanRecordIn | null | undefined) => {
        if (!r) { finish(undefined); return; }
        records.push({
          ssid: r.ssid, channel: r.channel, rssi: r.rssi, hidden: !!r.hidden,
          security: SECURITY[r.authentication ?? "none"] ?? 0,
          ...(r.bssid ? { bssid: new Uint8Array(r.bssid) } : {}),
        });
      });
    } catch (e) {
      const text = e instanceof Error ? e.message : String(e);
      defer(() => finish(text));
    }
  },
  startAp(settings, apEvents) {
    const previous = ap;
    ap = { settings, events: apEvents, stations: previous ? previous.stations : [] };
    try {
      startAp();
    } catch (e) {
      ap = previous;
      throw new OSError(EIO, `access point: ${e instanceof Error ? e.message : String(e)}`);
    }
  },
  stopAp() {
    ap = undefined;
    setMode(mode());
  },
  addresses(iface) {
    const dns = Net.get("DNS");
    if (iface === "ap") {
      const ip = (isLin() ? undefined : Net.get("IP", "ap")) ?? (ap ? "192.168.4.1" : "0.0.0.0");
      return { ip, netmask: "255.255.255.0", gateway: ip, dns: "0.0.0.0" };
    }
    const ip = phase === "up" ? (isLin() ? Net.get("IP") : Net.get("IP", "station")) : undefined;
    const a: IfAddresses = { ip: ip ?? "0.0.0.0", netmask: "0.0.0.0", gateway: "0.0.0.0", dns: dns && dns.length ? dns[0] : "0.0.0.0" };
    return a;
  },
  mac(iface: WifiIface) {
    const m = mac(isLin() ? undefined : Net.get("MAC", iface === "ap" ? "ap" : "station"));
    if (isLin() && iface === "ap") m[5] = 1;
    return m;
  },
  link() {
    if (phase !== "up") return {};
    const bssid = Net.get("BSSID");
    return { rssi: Net.get("RSSI"), channel: Net.get("CHANNEL"), ...(bssid ? { bssid: mac(bssid) } : {}) };
  },
};
