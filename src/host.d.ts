// The platform the core runs on: each build binds "usocket-xs/host" to one hosts/<name>/host.ts.
declare module "usocket-xs/host" {
  export const host: import("./port").Port;
}
// The platform's WiFi (port-wifi.ts), bound the same way to hosts/<name>/host-wifi.ts: a capability
// of its own, imported only by network.ts (socket.ts and time.ts never load the wifi module).
declare module "usocket-xs/host-wifi" {
  export const wifi: import("./port-wifi").Wifi;
}
// TLS, a separate binding so that apps without usocket-xs/ssl never load it (on Moddable it needs
// the SDK's TLS modules: manifest-ssl.json). undefined where the platform has none.
declare module "usocket-xs/host-tls" {
  export const tls: import("./port-tls").TlsPort | undefined;
}
