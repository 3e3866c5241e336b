// The access point: MicroPython sets it up with config(...) and starts it with active(true);
// Moddable's WiFi.accessPoint() configures and starts in one call. So the settings are kept here,
// checked as they are given (a clear error at config() time, not at start), and handed to the host
// whole when the AP starts, or again when they change while it runs.
import type { ApStation, ApSettings, Wifi } from "./port-wifi";
import { SEC_OPEN, SEC_WPA2_PSK, SEC_WPA_WPA2_PSK, type WlanCodes } from "./wlan-codes";
import { ValueError } from "./value-error";
import { encode } from "./arguments";

export interface ApConfig {
  ssid: string;
  key: string;
  /** undefined: WPA/WPA2 when there is a key, else open (what Moddable starts). */
  security: number | undefined;
  channel: number;
  hidden: boolean;
  max_clients: number;
}

function hex(b: number): string {
  return (b < 16 ? "0" : "") + b.toString(16);
}

export class AccessPoint {
  active = false;
  stations: ApStation[] = [];
  readonly settings: ApConfig;

  constructor(private readonly wifi: Wifi, codes: WlanCodes) {
    // MicroPython's first-boot defaults: ESP32 "ESP_XXXXXX" open; ESP8266 "MicroPython-xxxxxx"
    // with WPA/WPA2 and the key "micropythoN" (inisetup.py).
    const mac = wifi.mac("ap");
    const tail = hex(mac[3]) + hex(mac[4]) + hex(mac[5]);
    const esp8266 = wifi.chip === "esp8266";
    this.settings = {
      ssid: codes.apPrefix + (esp8266 ? tail : tail.toUpperCase()),
      key: esp8266 ? "micropythoN" : "",
      security: esp8266 ? SEC_WPA_WPA2_PSK : undefined,
      channel: 1,
      hidden: false,
      max_clients: 4,
    };
  }

  security(): number {
    const s = this.settings;
    return s.security ?? (s.key ? SEC_WPA_WPA2_PSK : SEC_OPEN);
  }

  /** Apply changed settings: all checked before any is kept; a running AP restarts with them. */
  update(changes: Partial<ApConfig>): void {
    const next: ApConfig = { ...this.settings, ...changes };
    check(next);
    Object.assign(this.settings, next);
    if (this.active) this.start();
  }

  setActive(on: boolean): void {
    if (!on) {
      if (this.active) this.wifi.stopAp();
      this.active = false;
      this.stations = [];
      return;
    }
    this.start();
    this.active = true;
  }

  private start(): void {
    const s = this.settings;
    check(s);
    const open = this.security() === SEC_OPEN;
    const settings: ApSettings = { ssid: s.ssid, key: open ? "" : s.key, channel: s.channel, hidden: s.hidden, maxClients: s.max_clients };
    this.wifi.startAp(settings, { onStations: (list) => { this.stations = list; } });
  }
}

function check(s: ApConfig): void {
  const n = encode(s.ssid).length;
  if (n < 1 || n > 32) throw new ValueError(`AP ssid must be 1-32 bytes, got ${n}`);
  const sec = s.security ?? (s.key ? SEC_WPA_WPA2_PSK : SEC_OPEN);
  if (sec !== SEC_OPEN && sec !== SEC_WPA2_PSK && sec !== SEC_WPA_WPA2_PSK) {
    throw new ValueError(`AP security ${sec} is not supported: an access point here is SEC_OPEN or WPA2 (SEC_WPA2_PSK, SEC_WPA_WPA2_PSK)`);
  }
  if (sec !== SEC_OPEN) {
    const k = encode(s.key).length;
    if (k < 8 || k > 63) throw new ValueError(`AP key must be 8-63 characters for WPA2 security, got ${k} (use security SEC_OPEN for an open network)`);
  }
  if (!Number.isInteger(s.channel) || s.channel < 1 || s.channel > 13) throw new ValueError(`AP channel must be 1-13, got ${s.channel}`);
  if (!Number.isInteger(s.max_clients) || s.max_clients < 1 || s.max_clients > 10) throw new ValueError(`AP max_clients must be 1-10, got ${s.max_clients}`);
}
