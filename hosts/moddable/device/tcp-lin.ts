// What a device build has as usocket-xs/tcp-lin (manifest.json maps it here on esp and esp32, so
// a board carries none of the simulator's TCP rules):
// tcp.ts asks for the simulator's stream only when config.usocketPlatform is "lin".
import type { ClassicStream } from "../tcp";

export function linStream(_Base: typeof ClassicStream): typeof ClassicStream {
  throw new Error("usocket-xs: the simulator's TCP rules are not in a device build");
}
