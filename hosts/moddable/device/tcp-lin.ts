// What a device build has as usocket-xs/tcp-lin (manifest.json maps it here on esp and esp32, so
// a board carries none of the simulator's TCP rules). tcp.ts asks for the simulator's stream only
// when config.usocketPlatform is "lin", which a board's is not.
import type { ClassicStream } from "../tcp";

export function linStream(Base: typeof ClassicStream): typeof ClassicStream {
  return Base;
}
