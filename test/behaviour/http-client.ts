// Helpers for the tests that drive the raw CPython HTTP client (test/peers/http.ts).
import type { Peer } from "./fixture";

/** A JS string as an argument of the peer's send:/bytes: (Python escapes; bytes 0x80-0xff as \xHH). */
export function esc(text: string): string {
  let s = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) s += "\\\\";
    else if (c === 13) s += "\\r";
    else if (c === 10) s += "\\n";
    else if (c === 9) s += "\\t";
    else if (c < 0x20 || c > 0x7e) s += "\\x" + (c < 16 ? "0" : "") + c.toString(16);
    else s += text[i];
  }
  return s;
}

/** The answer the peer received, from its RESPONSE line. */
export async function response(peer: Peer): Promise<string> {
  for (;;) {
    const line = await peer.line();
    if (line.startsWith("RESPONSE ") || line.startsWith("RESET ")) return JSON.parse(line.slice(line.indexOf(" ") + 1)) as string;
  }
}
