// Which Moddable socket implementation we run on. The classic socket module behaves differently on
// the Linux simulator ("lin", modules/network/socket/lin) and on lwIP (ESP32, ESP8266, Pico):
// usocket-xs's manifest sets config.usocketPlatform to "lin" for the simulator.
import config from "mc/config";

/** True on the simulator's socket implementation (see tcp.ts for what changes). */
export function isLin(): boolean {
  return config.usocketPlatform === "lin";
}

/** Defer to a Promise job: runs after the current callback returns, before any timer (see host.ts). */
export function defer(fn: () => void): void {
  Promise.resolve().then(fn);
}
