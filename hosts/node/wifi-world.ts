// Simulated access points, from a JSON description (README: "Simulated WiFi"). Decides what a join
// attempt meets (which AP, how long, which failure), when a joined link drops, and what a scan
// sees. Plain ES2022 with no Node imports: the Node host's simulated WiFi (wifi.ts) and the XS
// lane's stand-in for Moddable's `wifi` module (test/xs/standins/wifi.ts) run the same scenarios.

export interface WorldAccessPoint {
  ssid: string;
  /** Absent or "": an open network. */
  password?: string;
  /** "aa:bb:cc:dd:ee:ff"; made up from the SSID when absent. */
  bssid?: string;
  channel?: number;
  /** dBm, default -60. */
  rssi?: number;
  /** "open" | "wep" | "wpa_psk" | "wpa2_psk" | "wpa_wpa2_psk" | a MicroPython SEC_* number; default from password. */
  security?: string | number;
  hidden?: boolean;
  /** Seconds from join to association (default 0.1) and from association to an address (default 0.1). */
  joinSeconds?: number;
  dhcpSeconds?: number;
  /** Seconds until a failed attempt is reported (default 0.2). */
  failSeconds?: number;
  /** The station's address on this network, and the network's mask, gateway and DNS server. */
  address?: string;
  netmask?: string;
  gateway?: string;
  dns?: string;
  /** The link drops this long after it came up (each time, up to `drops` times: default 1). */
  dropAfterSeconds?: number;
  drops?: number;
  /** After a drop the AP is out of reach for this long (default 1). */
  outageSeconds?: number;
}

export interface WorldStation {
  mac: string;
  ip?: string;
  /** Joins our access point this long after it starts (default 0.2). */
  afterSeconds?: number;
}

export interface WorldDescription {
  /** Status numbers: "esp32" (default) or "esp8266". Read once, when the program starts. */
  chip?: "esp32" | "esp8266";
  /** The board's station MAC address. */
  mac?: string;
  accessPoints?: WorldAccessPoint[];
  /** The station is joined to this SSID when the program starts (as after the SDK's setup/network). */
  joinedAtBoot?: string;
  /** Stations that join our access point once it runs. */
  apStations?: WorldStation[];
  /** Seconds a scan takes (default 0.2). */
  scanSeconds?: number;
}

export type Outcome =
  | { ok: true; ap: Resolved; associateMs: number; addressMs: number }
  | { ok: false; reason: "no-ap" | "wrong-password"; afterMs: number };

/** An access point with every default filled in. */
export interface Resolved {
  ssid: string;
  password: string;
  bssid: Uint8Array;
  channel: number;
  rssi: number;
  security: number;
  hidden: boolean;
  joinMs: number;
  dhcpMs: number;
  failMs: number;
  address: string;
  netmask: string;
  gateway: string;
  dns: string;
  dropMs: number | undefined;
  drops: number;
  outageMs: number;
  /** Out of reach until this time (the clock's ms). */
  downUntil: number;
}

const SECURITY: { [name: string]: number } = { open: 0, wep: 1, wpa_psk: 2, wpa2_psk: 3, wpa_wpa2_psk: 4 };

export function parseMac(text: string, what: string): Uint8Array {
  const m = /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i.exec(text);
  if (!m) throw new Error(`simulated WiFi: ${what} must look like "aa:bb:cc:dd:ee:ff", got ${JSON.stringify(text)}`);
  const b = new Uint8Array(6);
  for (let i = 0; i < 6; i++) b[i] = parseInt(m[i + 1], 16);
  return b;
}

function seconds(v: unknown, fallback: number, what: string): number {
  if (v === undefined) return fallback * 1000;
  if (typeof v !== "number" || !(v >= 0)) throw new Error(`simulated WiFi: ${what} must be a number of seconds >= 0, got ${JSON.stringify(v)}`);
  return v * 1000;
}

function made(ssid: string, i: number): Uint8Array {
  const b = new Uint8Array([0x02, 0x00, 0x5e, 0, 0, i]);
  for (let k = 0; k < ssid.length; k++) b[3 + (k % 2)] = (b[3 + (k % 2)] * 31 + ssid.charCodeAt(k)) & 255;
  return b;
}

export class World {
  readonly aps: Resolved[] = [];
  readonly description: WorldDescription;

  constructor(description: unknown, private readonly now: () => number) {
    if (!description || typeof description !== "object" || Array.isArray(description)) throw new Error("simulated WiFi: the description must be a JSON object");
    const d = description as WorldDescription;
    this.description = d;
    if (d.chip !== undefined && d.chip !== "esp32" && d.chip !== "esp8266") throw new Error(`simulated WiFi: chip must be "esp32" or "esp8266", got ${JSON.stringify(d.chip)}`);
    if (d.mac !== undefined) parseMac(d.mac, "mac");
    const list = d.accessPoints ?? [];
    if (!Array.isArray(list)) throw new Error("simulated WiFi: accessPoints must be an array");
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      const what = `accessPoints[${i}]`;
      if (!a || typeof a.ssid !== "string" || a.ssid.length < 1 || a.ssid.length > 32) throw new Error(`simulated WiFi: ${what}.ssid must be a string of 1-32 characters`);
      const password = a.password ?? "";
      if (typeof password !== "string") throw new Error(`simulated WiFi: ${what}.password must be a string`);
      let security = a.security ?? (password ? "wpa2_psk" : "open");
      if (typeof security === "string") {
        if (!(security in SECURITY)) throw new Error(`simulated WiFi: ${what}.security must be one of ${Object.keys(SECURITY).join(", ")} or a number`);
        security = SECURITY[security];
      }
      this.aps.push({
        ssid: a.ssid, password, security, hidden: !!a.hidden,
        bssid: a.bssid !== undefined ? parseMac(a.bssid, `${what}.bssid`) : made(a.ssid, i),
        channel: a.channel ?? 1 + (i * 5) % 13,
        rssi: a.rssi ?? -60,
        joinMs: seconds(a.joinSeconds, 0.1, `${what}.joinSeconds`),
        dhcpMs: seconds(a.dhcpSeconds, 0.1, `${what}.dhcpSeconds`),
        failMs: seconds(a.failSeconds, 0.2, `${what}.failSeconds`),
        address: a.address ?? `192.168.${10 + i}.23`,
        netmask: a.netmask ?? "255.255.255.0",
        gateway: a.gateway ?? `192.168.${10 + i}.1`,
        dns: a.dns ?? a.gateway ?? `192.168.${10 + i}.1`,
        dropMs: a.dropAfterSeconds === undefined ? undefined : seconds(a.dropAfterSeconds, 0, `${what}.dropAfterSeconds`),
        drops: a.drops ?? 1,
        outageMs: seconds(a.outageSeconds, 1, `${what}.outageSeconds`),
        downUntil: 0,
      });
    }
    if (d.joinedAtBoot !== undefined && !this.aps.some((a) => a.ssid === d.joinedAtBoot)) {
      throw new Error(`simulated WiFi: joinedAtBoot ${JSON.stringify(d.joinedAtBoot)} is not one of the accessPoints`);
    }
  }

  get scanMs(): number {
    return seconds(this.description.scanSeconds, 0.2, "scanSeconds");
  }

  /** The access points in reach now. */
  visible(): Resolved[] {
    const t = this.now();
    return this.aps.filter((a) => a.downUntil <= t);
  }

  /** What a join attempt started now meets. */
  join(ssid: string, key: string, bssid?: Uint8Array): Outcome {
    let best: Resolved | undefined;
    const seen = this.visible();
    for (let i = 0; i < seen.length; i++) {
      const a = seen[i];
      if (a.ssid !== ssid || (bssid && !same(a.bssid, bssid))) continue;
      if (!best || a.rssi > best.rssi) best = a;
    }
    if (!best) return { ok: false, reason: "no-ap", afterMs: this.aps.length ? Math.max(...this.aps.map((a) => a.failMs)) : 200 };
    if (best.password && key !== best.password) return { ok: false, reason: "wrong-password", afterMs: best.failMs };
    return { ok: true, ap: best, associateMs: best.joinMs, addressMs: best.dhcpMs };
  }

  /** The link to ap just came up: ms until it drops, if it does (one of its drops is used). */
  dropIn(ap: Resolved): number | undefined {
    if (ap.dropMs === undefined || ap.drops <= 0) return undefined;
    ap.drops--;
    return ap.dropMs;
  }

  /** The link to ap dropped: out of reach for its outage. */
  dropped(ap: Resolved): void {
    ap.downUntil = this.now() + ap.outageMs;
  }

  boot(): Resolved | undefined {
    const ssid = this.description.joinedAtBoot;
    return ssid === undefined ? undefined : this.aps.find((a) => a.ssid === ssid);
  }
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return a.length === b.length;
}

export function formatMac(b: Uint8Array, upper = false): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += (i ? ":" : "") + (b[i] < 16 ? "0" : "") + b[i].toString(16);
  return upper ? s.toUpperCase() : s;
}
