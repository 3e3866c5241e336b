// Which Moddable platform the stand-ins imitate. "esp32" follows modules/network/socket/lwip (the
// devices), "lin" follows modules/network/socket/lin (the simulator, with its quirks). The run
// chooses the default (XS_PLATFORM); the stand-ins' own tests switch it per test.
declare const __XS_PLATFORM__: string;

export type Platform = "lin" | "esp32";

export const settings: { platform: Platform; wifi: "esp32" | "esp8266" } = {
  platform: __XS_PLATFORM__ === "lin" ? "lin" : "esp32",
  /** On lwIP platforms: which chip's WiFi messages the `wifi` stand-in sends (test/xs/standins/wifi.ts). */
  wifi: "esp32",
};

/** Native counters, like Moddable's instrumentation: sockets open, and double closes (the lin bug). */
export const stats = { sockets: 0, listeners: 0, udp: 0, doubleCloses: 0 };
