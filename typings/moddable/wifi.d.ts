// The project's own declarations for Moddable's classic "wifi" module (documentation/network/network.md).
declare module "wifi" {
  export interface WiFiScanRecord {
    ssid: string;
    rssi: number;
    channel: number;
    hidden: boolean;
    /** Absent on the simulator. */
    bssid?: ArrayBuffer;
    authentication?: "none" | "wep" | "wpa_psk" | "wpa2_psk" | "wpa_wpa2_psk";
  }
  export interface WiFiConnectOptions { ssid: string; password?: string; bssid?: ArrayBuffer; channel?: number }
  export interface WiFiAccessPointOptions {
    ssid: string; password?: string; channel?: number; hidden?: boolean; interval?: number; max?: number; station?: boolean;
  }
  export default class WiFi {
    /** With a dictionary: WiFi.connect(dictionary). onNotify(message, value) gets every event. */
    constructor(dictionary: WiFiConnectOptions | undefined, onNotify?: (message: string, value?: number) => void);
    close(): void;
    static mode: number;
    static scan(dictionary: { hidden?: boolean; channel?: number; active?: boolean }, callback: (record: WiFiScanRecord | null | undefined) => void): void;
    static connect(dictionary?: WiFiConnectOptions): void;
    static accessPoint(dictionary: WiFiAccessPointOptions): void;
    static disconnect(): void;
    static readonly Mode: { readonly off?: number; readonly none: number; readonly station: number; readonly accessPoint: number };
    static readonly gotIP: string;
    static readonly lostIP: string;
    static readonly connected: string;
    static readonly disconnected: string;
  }
}
