// The WiFi part of the port (bound as "usocket-xs/host-wifi", see host.d.ts): one radio with a station and an access-point interface. The host
// makes ONE attempt per join() and never retries by itself (reconnecting, timeouts and the status
// numbers live in wlan-station.ts, the same on every host). Events follow the port's rules
// (port.ts): never re-entrant from inside a call the core made.

/** Which MicroPython port's numbers status() and the constants use. */
export type WifiChip = "esp32" | "esp8266";

/** Why a join attempt failed or a link went down. */
export type WifiReason = "no-ap" | "wrong-password" | "failed" | "lost";

export interface StationEvents {
  /** Associated with an AP (no address yet). Also sent unasked when the platform joined by itself (at boot). */
  onAssociated(ssid: string): void;
  /** An IPv4 address is configured: the station can carry traffic. */
  onAddress(): void;
  /** The address went away while associated (ESP8266's DHCP timeout). */
  onAddressLost(): void;
  /** The attempt failed or the link went down. Nothing more arrives until the next join(). */
  onDown(reason: WifiReason): void;
}

export interface ApEvents {
  /** The stations joined to our access point changed. */
  onStations(stations: ApStation[]): void;
}

export interface ApStation {
  mac: Uint8Array;
  ip: string | null;
}

/** One access point seen by a scan. security uses MicroPython's numbers (WLAN.SEC_*). */
export interface ScanRecord {
  ssid: string;
  /** 6 bytes, or undefined where the platform does not say (the Moddable simulator). */
  bssid?: Uint8Array;
  channel: number;
  rssi: number;
  security: number;
  hidden: boolean;
}

export interface ApSettings {
  ssid: string;
  /** "" for an open network. */
  key: string;
  channel: number;
  hidden: boolean;
  maxClients: number;
}

/** Numeric IPv4 strings; "0.0.0.0" where unknown or unset. */
export interface IfAddresses {
  ip: string;
  netmask: string;
  gateway: string;
  dns: string;
}

export type WifiIface = "sta" | "ap";

export interface Wifi {
  readonly chip: WifiChip;
  /** network.hostname()'s default. */
  readonly defaultHostname: string;
  /**
   * Registers the one listener for station events (called once, before anything else). Returns the
   * SSID when the station is already joined with an address (at boot), else undefined.
   */
  station(events: StationEvents): string | undefined;
  /** Power the station interface up or down (down also leaves). */
  setStationActive(on: boolean): void;
  /** Start one join attempt. Throws on arguments the platform rejects. */
  join(ssid: string, key: string, bssid: Uint8Array | undefined): void;
  /** Leave (or stop joining): no station events until the next join(). */
  leave(): void;
  /** Scan once: records in any order, or an error text. */
  scan(callback: (error: string | undefined, records: ScanRecord[]) => void): void;
  /** Start (or restart with new settings) the access point. Throws when the platform refuses. */
  startAp(settings: ApSettings, events: ApEvents): void;
  stopAp(): void;
  /** The interface's addresses now. */
  addresses(iface: WifiIface): IfAddresses;
  /** The interface's MAC address (6 bytes). */
  mac(iface: WifiIface): Uint8Array;
  /** The station's link: RSSI (dBm), channel, the AP's BSSID; undefined where unknown. */
  link(): { rssi?: number; channel?: number; bssid?: Uint8Array };
  /**
   * Static addresses (a partial set: only the given fields change) or "dhcp". Absent on hosts
   * that cannot set them (the core then raises EOPNOTSUPP).
   */
  configure?(iface: WifiIface, addresses: Partial<IfAddresses> | "dhcp"): void;
}
