// The project's own declarations for Moddable's "net" module, from documentation/network/network.md.
declare module "net" {
  const Net: {
    get(property: "IP" | "MAC" | "SSID" | "BSSID", iface?: "station" | "ap" | "ethernet"): string | undefined;
    get(property: "RSSI" | "CHANNEL", iface?: "station" | "ap"): number | undefined;
    get(property: "DNS"): string[] | undefined;
    /** Asynchronous look-up; address is undefined when name cannot be resolved. Throws when the lwIP queue is full. */
    resolve(host: string, callback: (name: string, address?: string) => void): void;
  };
  export default Net;
}
